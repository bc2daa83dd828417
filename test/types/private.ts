// Checked under the resolutions that read package.json's `exports` (bundler, node16, nodenext): the package's
// files are reachable only through its entry points, never by path. (node10 has no `exports`: every file of any
// package is reachable by path there, and this file is not checked.)
// @ts-expect-error dist/ is not an entry point
import * as internal from 'steadysocket/dist/steadysocket.js';
// @ts-expect-error nor is any other file of it
import * as json from 'steadysocket/dist/json.cjs';

export { internal, json };
