import { Logger, type ModuleMetadata } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import type { ColumnMeta, RowChange, Tuple } from '@kasho/contracts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransformEngine, TransformsModule } from '@kasho/transforms';

export const TEST_SECRET = 'test-secret-0123456789';

/** Writes `yaml` to a temp transforms.yml and returns its path. */
export function writeConfig(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kasho-transforms-')), 'transforms.yml');
  writeFileSync(file, yaml);
  return file;
}

/** Boots TransformsModule (plus `extra` modules/providers) on a config; close the returned module after. */
export async function bootEngine(
  yaml: string,
  options: { secret?: string | null; extra?: ModuleMetadata } = {},
): Promise<{ engine: TransformEngine; module: TestingModule }> {
  Logger.overrideLogger(false);
  const file = writeConfig(yaml);
  const secret = options.secret === null ? undefined : (options.secret ?? TEST_SECRET);
  const module = await Test.createTestingModule({
    imports: [TransformsModule.forRoot({ file, secret }), ...(options.extra?.imports ?? [])],
    providers: options.extra?.providers ?? [],
  }).compile();
  await module.init();
  return { engine: module.get(TransformEngine), module };
}

export function col(name: string, type = 'text', key = false): ColumnMeta {
  return { name, type, typeOid: 0, typeMod: -1, key };
}

export function insert(table: string, columns: ColumnMeta[], row: Tuple): RowChange {
  const [schema, name] = table.split('.');
  return { kind: 'insert', schema, table: name, columns, new: row, replicaIdentity: 'default' };
}

/** Runs one value through `type` (with options) on a column of `columnType`. */
export async function transformOne(engine: TransformEngine, value: string | null, column = 'v', columnType = 'text'): Promise<string | null | undefined> {
  const out = await engine.transformTuple('public', 't', [col(column, columnType)], { [column]: value });
  return out[column];
}
