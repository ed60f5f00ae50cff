import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransformsModule } from '@kasho/transforms';
import type { TableFacts } from './check-facts';
import { TransformsInspector } from './transforms.inspector';

const users: TableFacts = {
  schema: 'public',
  table: 'users',
  kind: 'r',
  partition: false,
  replicaIdentity: 'd',
  hasPrimaryKey: true,
  hasIdentityIndex: false,
  canSelect: true,
  ownedByRole: true,
  columns: [
    { name: 'id', type: 'integer', typeOid: 23, typeMod: -1, key: true },
    { name: 'email', type: 'character varying(8)', typeOid: 1043, typeMod: 12, key: false },
    { name: 'age', type: 'integer', typeOid: 23, typeMod: -1, key: false },
    { name: 'name', type: 'text', typeOid: 25, typeMod: -1, key: false },
  ],
  uniqueIndexes: [],
};

/** The real transforms and loader, on a made-up table: what `kasho check` learns from transforms.yml. */
describe('TransformsInspector', () => {
  let dir: string;
  const apps: INestApplicationContext[] = [];

  async function inspect(yaml: string) {
    const file = join(dir, `t${apps.length}.yml`);
    writeFileSync(file, yaml);
    @Module({ imports: [TransformsModule.forRoot({ file, secret: 'k'.repeat(32) })], providers: [TransformsInspector] })
    class M {}
    const app = await NestFactory.createApplicationContext(M, { logger: false, abortOnError: false });
    apps.push(app);
    return app.get(TransformsInspector).inspect(file, [users]);
  }

  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'kasho-inspector-'))));
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists columns with their lines and unique options; runs each transform on a sample of the column type', async () => {
    const facts = await inspect(
      [
        'version: v1',
        'tables:',
        '  public.users:',
        '    email: {type: FakeEmail, unique: false}',
        '    age: FakeName',
        '    name: FakeName',
        '    id: Keep',
        '',
      ].join('\n'),
    );
    expect(facts.tables).toEqual([
      {
        schema: 'public',
        table: 'users',
        line: 3,
        columns: [
          { column: 'email', line: 4, transform: 'FakeEmail', unique: false, supportsUnique: true },
          { column: 'age', line: 5, transform: 'FakeName', unique: undefined, supportsUnique: expect.any(Boolean) },
          { column: 'name', line: 6, transform: 'FakeName', unique: undefined, supportsUnique: expect.any(Boolean) },
          { column: 'id', line: 7, transform: 'Keep', supportsUnique: false },
        ],
      },
    ]);
    expect(await facts.fit('public', 'users', 'age')).toBe('FakeName: output is not an integer, column type is integer');
    expect(await facts.fit('public', 'users', 'email')).toMatch(/^FakeEmail: output is longer than character varying\(8\) allows/);
    expect(await facts.fit('public', 'users', 'name')).toBeUndefined();
  });

  it('mode: strict with unlisted columns still checks the listed ones', async () => {
    const facts = await inspect(['version: v1', 'mode: strict', 'tables:', '  public.users:', '    age: FakeName', ''].join('\n'));
    expect(facts.strict).toBe(true);
    expect(await facts.fit('public', 'users', 'age')).toBe('FakeName: output is not an integer, column type is integer');
  });
});
