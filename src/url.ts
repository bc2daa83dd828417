import { domError } from './errors';

/**
 * Turns what the constructor or a URL function gave into the absolute ws/wss URL the native
 * constructor gets. http/https map to ws/wss and relative URLs resolve against `location`
 * (pages and workers), as the native constructor does.
 *
 * @throws {DOMException} `SyntaxError` when the URL can't be parsed or its scheme is not ws, wss, http or https.
 */
export function toWebSocketUrl(input: string | URL): string {
  let url: URL;
  try {
    url = new URL(String(input), globalThis.location?.href);
  } catch {
    throw domError('SyntaxError', `bad URL ${input}`);
  }
  url.protocol = url.protocol.replace('http', 'ws');
  if (!/^wss?:$/.test(url.protocol)) throw domError('SyntaxError', `bad scheme ${url.protocol}`);
  // A fragment never reaches the server; current browsers drop it rather than throw.
  url.hash = '';
  return url.href;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~\w]+$/;

/**
 * The checks the native constructor makes on `protocols`.
 *
 * @throws {DOMException} `SyntaxError` for a value that is not an HTTP token, or a repeated value.
 */
export function checkProtocols(protocols: string | string[] | undefined): void {
  const list = typeof protocols === 'string' ? [protocols] : protocols ?? [];
  if (list.some((p, i) => !TOKEN.test(p) || list.indexOf(p) !== i))
    throw domError('SyntaxError', `bad protocols ${list}`);
}
