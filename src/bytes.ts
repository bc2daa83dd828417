/** Anything `WebSocket.send()` accepts. */
export type SendData = string | ArrayBufferLike | ArrayBufferView | Blob;

/**
 * Size in bytes of what `send(data)` puts on the wire: the UTF-8 length of a string
 * (lone surrogates count as the 3 bytes of U+FFFD, as the browser encodes them),
 * `byteLength` of buffers and views, `size` of a Blob.
 */
export function byteLength(data: SendData): number {
  if (typeof data !== 'string') return (data as Blob).size ?? (data as ArrayBufferLike).byteLength;
  // Counted without TextEncoder so that measuring a queued message allocates nothing.
  let bytes = data.length;
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c < 0xdc00 && (data.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: 2 code units, 4 bytes
      i++;
    } else bytes += 2;
  }
  return bytes;
}
