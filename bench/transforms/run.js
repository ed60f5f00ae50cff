// Runs the compiled transforms benchmark in plain Node (not under jest: jest's module sandbox makes
// some libraries, re2js among them, several times slower). `@kasho/<lib>` resolves to the compiled libs.
// Usage: npx tsc -p bench/transforms/tsconfig.json && node bench/transforms/run.js
const Module = require('node:module');
const path = require('node:path');
const out = path.join(__dirname, '../../dist/bench-transforms');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const m = /^@kasho\/([^/]+)$/.exec(request);
  return resolve.call(this, m ? path.join(out, 'libs', m[1], 'src') : request, ...rest);
};
require(path.join(out, 'bench/transforms/transforms.bench.js'))
  .main()
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
