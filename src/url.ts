import { domError } from './errors';

/**
 * Turns what the constructor or a URL function gave into the absolute ws/wss URL the native
 * constructor gets. http/https map to ws/wss and relative URLs resolve against `location`
 * (pages and workers), as the native constructor does.
 *
 * @throws {DOMException} `SyntaxError` when the URL can't be parsed, its scheme is not ws, wss, http or https, or it has a fragment.
 */
export function toWebSocketUrl(input: string | URL): string {
  let href = '';
  try {
    href = new URL(String(input), globalThis.location?.href).href.replace(/^http/, 'ws');
  } catch {
    // unparseable: refused below, like any other scheme
  }
  // '#' can only start a fragment in a serialised URL, and the WHATWG spec refuses any fragment (even an empty one).
  if (!/^wss?:[^#]*$/.test(href)) throw domError('SyntaxError', `bad URL ${input}`);
  return href;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~\w]+$/;

/**
 * The checks the native constructor makes on `protocols`.
 *
 * @throws {DOMException} `SyntaxError` for a value that is not an HTTP token, or a repeated value.
 */
export function checkProtocols(protocols: string | string[] | undefined): void {
  const list = [protocols ?? []].flat();
  if (list.some((p, i) => !TOKEN.test(p) || list.indexOf(p) !== i))
    throw domError('SyntaxError', `bad protocols ${list}`);
}
