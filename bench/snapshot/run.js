// Runs the compiled snapshot benchmark in plain Node; `@kasho/<lib>` resolves to the compiled libs.
// Usage: npm run build && npx tsc -p bench/snapshot/tsconfig.json && node bench/snapshot/run.js
const Module = require('node:module');
const path = require('node:path');
const out = path.join(__dirname, '../../dist/bench-snapshot');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const m = /^@kasho\/([^/]+)$/.exec(request);
  return resolve.call(this, m ? path.join(out, 'libs', m[1], 'src') : request, ...rest);
};
require(path.join(out, 'bench/snapshot/snapshot.bench.js'))
  .main()
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
