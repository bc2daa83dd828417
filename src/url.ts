import { domError } from './errors';

/**
 * Turns what the constructor or a URL function gave into the absolute ws/wss URL the native
 * constructor gets. http/https map to ws/wss and relative URLs resolve against `location`
 * (pages and workers), as the native constructor does.
 *
 * @throws {DOMException} `SyntaxError` when the URL can't be parsed or its scheme is not ws, wss, http or https.
 */
export function toWebSocketUrl(input: string | URL): string {
  let href = '';
  try {
    // '#' can only start the fragment in a serialised URL; a fragment never reaches the server,
    // and current browsers drop it rather than throw.
    href = new URL(String(input), globalThis.location?.href).href.replace(/^http/, 'ws').split('#')[0]!;
  } catch {
    // unparseable: refused below, like any other scheme
  }
  if (!/^wss?:/.test(href)) throw domError('SyntaxError', `bad URL ${input}`);
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
