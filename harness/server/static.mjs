// @ts-check
// Static file serving for the test server: URL prefix -> directory, no caching, no path traversal.
import fs from 'node:fs';
import path from 'node:path';

/** @type {Record<string, string>} */
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * @typedef {Record<string, string>} StaticRoots URL prefix (e.g. '/pages/') -> directory on disk.
 * @typedef {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, pathname: string) => boolean} StaticHandler
 *   Returns false when no root matches, so the caller can answer 404 itself.
 */

/** @param {string} file */
export function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * @param {StaticRoots} roots
 * @returns {StaticHandler}
 */
export function createStaticHandler(roots) {
  // Longest prefix first, so '/pages/x/' wins over '/'.
  const mounts = Object.entries(roots)
    .map(([prefix, dir]) => ({ prefix: prefix.endsWith('/') ? prefix : `${prefix}/`, dir: path.resolve(dir) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);

  return (req, res, pathname) => {
    const mount = mounts.find((m) => pathname.startsWith(m.prefix));
    if (!mount) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      reply(res, 405, 'method not allowed');
      return true;
    }
    const file = resolveInside(mount.dir, pathname.slice(mount.prefix.length));
    if (!file) {
      reply(res, 403, 'forbidden');
      return true;
    }
    sendFile(req, res, file);
    return true;
  };
}

/**
 * Maps a URL path (still percent-encoded) onto a file strictly inside `dir`, or null.
 * Decoding happens before the check, so '%2e%2e/' and '..%2f' cannot climb out either.
 * @param {string} dir absolute
 * @param {string} rel
 */
export function resolveInside(dir, rel) {
  let decoded;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(dir, `.${path.sep}${decoded}`);
  if (file !== dir && !file.startsWith(dir + path.sep)) return null;
  return file;
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} file
 */
function sendFile(req, res, file) {
  fs.stat(file, (err, st) => {
    if (!err && st.isDirectory()) {
      sendFile(req, res, path.join(file, 'index.html'));
      return;
    }
    if (err || !st.isFile()) {
      reply(res, 404, 'not found');
      return;
    }
    res.writeHead(200, {
      'content-type': contentType(file),
      'content-length': st.size,
      // Tests rebuild dist/ and edit pages between runs: never serve a stale copy (no validators, so always refetched).
      'cache-control': 'no-cache', // revalidated every time; not no-store, which keeps pages out of the back/forward cache
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = fs.createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  });
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} text
 */
export function reply(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}
