#!/usr/bin/env node
/**
 * The TypeScript wire types of kasho.proto, generated with @grpc/proto-loader's own generator
 * (proto-loader-gen-types) under the loader options both services use (KASHO_PROTO_LOADER_OPTIONS in
 * src/grpc-options.ts), so the types describe exactly what the runtime delivers.
 *
 *   node libs/contracts/scripts/wire-types.js gen              regenerate src/wire/generated/
 *   node libs/contracts/scripts/wire-types.js check [--dir D]  fail when D (default: the committed
 *                                                              src/wire/generated/) is stale
 */
const { execFileSync } = require('node:child_process');
const { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, cpSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..', '..', '..');
/** Relative to ROOT: the generator writes it into every file's "Original file" line. */
const PROTO = 'libs/contracts/src/proto/kasho.proto';
const GENERATED = join(ROOT, 'libs', 'contracts', 'src', 'wire', 'generated');
const HEADER = '// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.\n';

/** Must mirror KASHO_PROTO_LOADER_OPTIONS; a difference makes the types lie about decoded messages. */
const GENERATOR_ARGS = ['--keepCase', '--longs=String', '--enums=String', '--defaults', '--oneofs', '--grpcLib=@grpc/grpc-js'];

/** Generates the wire types into `outDir` (created or emptied). */
function generate(outDir) {
  rmSync(outDir, { recursive: true, force: true });
  const bin = join(ROOT, 'node_modules', '@grpc', 'proto-loader', 'build', 'bin', 'proto-loader-gen-types.js');
  execFileSync(process.execPath, [bin, ...GENERATOR_ARGS, '-O', outDir, PROTO], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  for (const file of listFiles(outDir)) {
    const path = join(outDir, file);
    writeFileSync(path, HEADER + readFileSync(path, 'utf8'));
  }
}

/** Relative paths of the files under `dir`, sorted. */
function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

/** The differences between the committed files in `dir` and `expectedDir`, one line each; empty when equal. */
function compare(dir, expectedDir) {
  const actual = new Set(listFiles(dir));
  const expected = new Set(listFiles(expectedDir));
  const problems = [];
  for (const file of expected) {
    if (!actual.has(file)) problems.push(`missing: ${file}`);
    else if (readFileSync(join(dir, file), 'utf8') !== readFileSync(join(expectedDir, file), 'utf8')) problems.push(`differs: ${file}`);
  }
  for (const file of actual) if (!expected.has(file)) problems.push(`not generated from the .proto: ${file}`);
  return problems;
}

/** Regenerates into a temporary directory and compares with `dir`; the differences, one line each. */
function check(dir = GENERATED) {
  const fresh = mkdtempSync(join(tmpdir(), 'kasho-wire-'));
  try {
    generate(join(fresh, 'generated'));
    return compare(dir, join(fresh, 'generated'));
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

function main(argv) {
  const [command, ...rest] = argv;
  if (command === 'gen') {
    const fresh = mkdtempSync(join(tmpdir(), 'kasho-wire-'));
    try {
      generate(join(fresh, 'generated'));
      rmSync(GENERATED, { recursive: true, force: true });
      cpSync(join(fresh, 'generated'), GENERATED, { recursive: true });
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
    console.log(`wire types generated into ${relative(ROOT, GENERATED)}`);
    return 0;
  }
  if (command === 'check') {
    const dirFlag = rest.indexOf('--dir');
    const dir = dirFlag >= 0 ? rest[dirFlag + 1] : GENERATED;
    const problems = check(dir);
    if (problems.length === 0) {
      console.log(`wire types in ${relative(ROOT, dir) || dir} match ${PROTO}`);
      return 0;
    }
    console.error(
      `wire types in ${relative(ROOT, dir) || dir} are stale: they no longer match ${PROTO}.\n` +
        problems.map((p) => `  ${p}\n`).join('') +
        'Run `npm run gen:wire` and commit the result; never edit the generated files by hand.',
    );
    return 1;
  }
  console.error('usage: wire-types.js gen | check [--dir <generated dir>]');
  return 2;
}

module.exports = { generate, compare, check };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
