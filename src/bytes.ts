/** Anything `WebSocket.send()` accepts. */
export type SendData = string | ArrayBufferLike | ArrayBufferView | Blob;

/**
 * Size in bytes of what `send(data)` puts on the wire: the UTF-8 length of a string
 * (lone surrogates count as the 3 bytes of U+FFFD, as the browser encodes them),
 * `byteLength` of buffers and views, `size` of a Blob.
 */
export function byteLength(data: SendData): number {
  if (typeof data !== 'string') return (data as Blob).size ?? (data as ArrayBufferLike).byteLength;
  // ASCII, the common case, is measured without allocating; TextEncoder counts the rest exactly.
  return /^[\0-\x7f]*$/.test(data) ? data.length : new TextEncoder().encode(data).length;
}
