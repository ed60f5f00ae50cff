// Runs the compiled stream benchmark in plain Node; `@kasho/<lib>` resolves to the compiled libs.
// Usage: npm run build && npx tsc -p bench/stream/tsconfig.json && node bench/stream/run.js
const Module = require('node:module');
const { existsSync } = require('node:fs');
const path = require('node:path');
const out = path.join(__dirname, '../../dist/bench-stream');
const entry = path.join(out, 'bench/stream/stream.bench.js');
if (!existsSync(entry)) {
  console.error(`${entry} is missing: run npm run build && npx tsc -p bench/stream/tsconfig.json first`);
  process.exit(1);
}
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const m = /^@kasho\/([^/]+)$/.exec(request);
  return resolve.call(this, m ? path.join(out, 'libs', m[1], 'src') : request, ...rest);
};
require(entry)
  .main()
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
