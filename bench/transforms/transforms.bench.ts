/**
 * Values per second per transform type, through TransformEngine.transformTuple (plan lookup, keyed
 * HMAC, generation, column-fit check), one core, 100k distinct inputs per type; the same-run
 * reference is a bare HMAC-SHA256 per value. Password types: ms per hash at their defaults.
 * Run: npx tsc -p bench/transforms/tsconfig.json && node bench/transforms/run.js   (BENCH_VALUES=n to change the count)
 */
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColumnMeta } from '@kasho/contracts';
import { TransformEngine, TransformRegistry, TransformsModule } from '@kasho/transforms';

const RESULTS = join(process.cwd(), 'bench/results');
const N = Number(process.env.BENCH_VALUES ?? 100_000);
/** Median of this many timed rounds per type (the machine may be shared). */
const ROUNDS = 3;
const COLUMN_TYPES: Record<string, string> = {
  FakeYear: 'int4',
  FakeMonthNum: 'int4',
  FakeLatitude: 'numeric',
  FakeLongitude: 'numeric',
  FakeDateOfBirth: 'date',
};
const EXTRA: Record<string, string> = {
  Bool: 'Bool',
  Regex: "{type: Regex, pattern: '^(\\w)[^@]*@(.*)$', replacement: '${1}***@$2'}",
  Template: '{type: Template, template: \'{{.other | before "@" | slugify}}@example.com\'}',
  'FakeEmail unique': '{type: FakeEmail, unique: true}',
};
const PASSWORDS: Record<string, string> = {
  'PasswordBcrypt (cost 10)': '{type: PasswordBcrypt, cleartext: pw}',
  'PasswordScrypt (n=131072 r=8 p=1)': '{type: PasswordScrypt, cleartext: pw}',
  'PasswordPBKDF2 (600k iterations)': '{type: PasswordPBKDF2, cleartext: pw}',
  'PasswordArgon2id (t=3 m=64MiB p=4)': '{type: PasswordArgon2id, cleartext: pw}',
};

function col(name: string, type = 'text'): ColumnMeta {
  return { name, type, typeOid: 0, typeMod: -1, key: false };
}

export async function main(): Promise<void> {
  Logger.overrideLogger(false);
  const probe = await NestFactory.createApplicationContext(TransformsModule.forRoot({ file: writeYaml('version: v1\ntables: {}\n') }), { logger: false });
  const fakes = probe
    .get(TransformRegistry)
    .names()
    .filter((n) => n.startsWith('Fake'));
  await probe.close();

  const rules: Record<string, string> = { ...Object.fromEntries(fakes.map((n) => [n, n])), ...EXTRA, ...PASSWORDS };
  const tables = Object.keys(rules).map((name, i) => ({ name, table: `t${i}`, type: COLUMN_TYPES[name] ?? 'text' }));
  const yaml = `version: v1\ntables:\n${tables.map((t) => `  public.${t.table}:\n    v: ${rules[t.name]}`).join('\n')}\n`;
  const module = await NestFactory.createApplicationContext(TransformsModule.forRoot({ file: writeYaml(yaml), secret: 'bench-secret' }), { logger: false });
  const engine = module.get(TransformEngine);
  const inputs = Array.from({ length: N }, (_, i) => `user${i}.name${i % 977}@corp${i % 13}.example.org`);

  const results: { type: string; perSecond?: number; msPerValue?: number }[] = [];
  const key = Buffer.from('bench-secret');
  const hmacRate = rate(() => {
    let x = 0;
    for (const v of inputs) x += createHmac('sha256', key).update('FakeName').update('\0').update(v).digest()[0];
    return x;
  });
  results.push({ type: '(reference) bare HMAC-SHA256', perSecond: hmacRate });

  for (const t of tables) {
    const columns = t.name === 'Template' ? [col('v'), col('other')] : [col('v', t.type)];
    if (t.name in PASSWORDS) {
      const count = 5;
      const started = process.hrtime.bigint();
      for (let i = 0; i < count; i++) await engine.transformTuple('public', t.table, columns, { v: inputs[i] });
      results.push({ type: t.name, msPerValue: Number(process.hrtime.bigint() - started) / 1e6 / count });
      continue;
    }
    for (let i = 0; i < 2000; i++) await engine.transformTuple('public', t.table, columns, { v: inputs[i], other: inputs[i] }); // warm-up
    const rounds: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = process.hrtime.bigint();
      for (const v of inputs) await engine.transformTuple('public', t.table, columns, { v, other: v });
      rounds.push(N / (Number(process.hrtime.bigint() - started) / 1e9));
    }
    results.push({ type: t.name, perSecond: median(rounds) });
  }
  await module.close();

  const lines = results.map((r) =>
    r.perSecond !== undefined
      ? `${r.type.padEnd(36)} ${Math.round(r.perSecond).toLocaleString('en-US').padStart(12)} values/s   ${(r.perSecond / hmacRate).toFixed(2)}× HMAC`
      : `${r.type.padEnd(36)} ${r.msPerValue!.toFixed(1).padStart(12)} ms/hash`,
  );
  const report = `transforms benchmark, ${N.toLocaleString('en-US')} distinct values per type, median of ${ROUNDS} rounds, Node ${process.version}\n${lines.join('\n')}`;
  process.stdout.write(`\n${report}\n`);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'transforms.json'), JSON.stringify({ node: process.version, values: N, results }, null, 2));
  writeFileSync(join(RESULTS, 'transforms.txt'), `${report}\n`);
}

function rate(fn: () => number): number {
  fn();
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    fn();
    rounds.push(N / (Number(process.hrtime.bigint() - started) / 1e9));
  }
  return median(rounds);
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function writeYaml(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kasho-bench-')), 'transforms.yml');
  writeFileSync(file, text);
  return file;
}
