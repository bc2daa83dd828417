// Case 5: size of each library as an app ships it. Every entry is bundled and minified by Rolldown exactly as
// scripts/size.mjs does for ours (its minified()), then compressed with gzip -9 and brotli quality 11.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { minified } from '../scripts/size.mjs';

/** What an app imports. minified() resolves './' against the repository root and bare names from node_modules. */
export const SIZE_ENTRIES = [
  { lib: 'steadysocket', entry: 'steadysocket', code: "export * from './dist/steadysocket.js';" },
  { lib: 'steadysocket', entry: 'steadysocket/json', code: "export * from './dist/json.js';" },
  { lib: 'reconnecting-websocket', entry: 'reconnecting-websocket', code: "export { default } from 'reconnecting-websocket';" },
  { lib: 'partysocket', entry: 'partysocket (WebSocket export only)', code: "export { WebSocket } from 'partysocket';" },
  { lib: 'partysocket', entry: 'partysocket (all exports)', code: "export * from 'partysocket';" },
  { lib: 'sockette', entry: 'sockette', code: "export { default } from 'sockette';" },
  { lib: 'websocket-ts', entry: 'websocket-ts (all exports)', code: "export * from 'websocket-ts';" },
];

export async function measureSizes() {
  const rows = [];
  for (const e of SIZE_ENTRIES) {
    const buf = Buffer.from(await minified(e.code));
    rows.push({
      ...e,
      minBytes: buf.length,
      gzipBytes: gzipSync(buf, { level: 9 }).length,
      brotliBytes: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    });
  }
  return rows;
}
