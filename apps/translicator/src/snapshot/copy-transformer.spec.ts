import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TestingModule } from '@nestjs/testing';
import type { TransformEngine } from '@kasho/transforms';
import { bootEngine, col } from '../../../../libs/transforms/test/engine-fixture';
import { decodeField, encodeField, rowEnd, splitFields } from './copy-text.codec';
import { CopyTransformer } from './copy-transformer';

const YAML = `version: v1
tables:
  public.users:
    name: FakeName
    email: FakeEmail
    note: {type: Template, template: '{{ .name }} <{{ .email }}>'}
`;

const columns = [col('id', 'bigint', true), col('name'), col('email'), col('bio'), col('note')];

async function run(engine: TransformEngine, chunks: Buffer[]): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    new CopyTransformer(engine, 'public', 'users', columns),
    new Writable({ write: (c: Buffer, _e, cb) => (out.push(c), cb()) }),
  );
  return Buffer.concat(out);
}

function parse(buf: Buffer): (string | null)[][] {
  const rows: (string | null)[][] = [];
  const bounds = new Int32Array(64);
  for (let start = 0, end = rowEnd(buf, 0); end !== -1; start = end + 1, end = rowEnd(buf, start)) {
    const n = splitFields(buf, start, end, bounds);
    rows.push(Array.from({ length: n }, (_, i) => decodeField(buf, bounds[2 * i], bounds[2 * i + 1])));
  }
  return rows;
}

describe('CopyTransformer', () => {
  let engine: TransformEngine;
  let module: TestingModule;
  beforeAll(async () => ({ engine, module } = await bootEngine(YAML)));
  afterAll(() => module.close());

  const source = [
    ['1', 'Ada Lovelace', 'ada@example.com', 'tab\there\nnewline \\ back', 'x'],
    ['2', null, 'grace@example.com', null, ''],
    ['3', 'Zoë Ünïcode', '', '', '\\N literal'],
  ];
  const text = source.map((r) => r.map(encodeField).join('\t') + '\n').join('');

  it('never passes a configured column through: every one is the transform output; other fields are byte-identical', async () => {
    const out = parse(await run(engine, [Buffer.from(text)]));
    expect(out).toHaveLength(3);
    for (let r = 0; r < source.length; r++) {
      const [id, name, email, bio, note] = out[r];
      expect(id).toBe(source[r][0]);
      expect(bio).toBe(source[r][3]);
      const expected = await engine.transformTuple('public', 'users', columns, Object.fromEntries(columns.map((c, i) => [c.name, source[r][i]])));
      expect([name, email, note]).toEqual([expected.name, expected.email, expected.note]);
      if (source[r][1] !== null) expect(name).not.toBe(source[r][1]);
      if (source[r][2]) expect(email).not.toBe(source[r][2]);
      expect(note).not.toBe(source[r][4]);
    }
    expect(out[1][1]).toBeNull(); // NULL stays NULL
    const raw = (await run(engine, [Buffer.from(text)])).toString();
    for (const secret of ['Ada Lovelace', 'ada@example.com', 'grace@example.com', 'Zoë']) expect(raw).not.toContain(secret);
  });

  it('gives the same output whatever the chunk boundaries (rows and multi-byte characters split)', async () => {
    const whole = await run(engine, [Buffer.from(text)]);
    const bytes = Buffer.from(text);
    const pieces: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 7) pieces.push(bytes.subarray(i, i + 7));
    expect((await run(engine, pieces)).equals(whole)).toBe(true);
  });

  it('fails (writes nothing for the row) when a row has the wrong number of fields', async () => {
    await expect(run(engine, [Buffer.from('1\tonly-two\n')])).rejects.toThrow('has 2 fields, expected 5');
  });

  it('fails closed when a configured column is missing from the copied columns', async () => {
    const missing = [col('id', 'bigint', true), col('name')];
    const t = new CopyTransformer(engine, 'public', 'users', missing);
    await expect(
      pipeline(Readable.from([Buffer.from('1\tAda\n')]), t, new Writable({ write: (_c, _e, cb) => cb() })),
    ).rejects.toThrow(/email/);
  });

  it('fails on data that ends inside a row', async () => {
    await expect(run(engine, [Buffer.from('1\ta\tb\tc\td')])).rejects.toThrow('ends inside a row');
  });

  it('decodes the fields a template reads even when they are not configured themselves', async () => {
    const { engine: byRef, module: refModule } = await bootEngine(`version: v1
tables:
  public.users:
    note: {type: Template, template: 'user {{ .id }} / {{ .bio }}'}
`);
    try {
      expect(byRef.inputColumns('public', 'users').sort()).toEqual(['bio', 'id', 'note']);
      const out = parse(await run(byRef, [Buffer.from(text)]));
      for (let r = 0; r < source.length; r++) {
        const expected = await byRef.transformTuple('public', 'users', columns, Object.fromEntries(columns.map((c, i) => [c.name, source[r][i]])));
        expect(out[r][4]).toBe(expected.note);
      }
      expect(out[0][4]).toBe('user 1 / tab\there\nnewline \\ back');
    } finally {
      await refModule.close();
    }
  });

  it('keeps row order when some rows transform asynchronously (password hashes) and others not (NULL)', async () => {
    const { engine: hashing, module: hashModule } = await bootEngine(`version: v1
tables:
  public.users:
    name: FakeName
    bio: {type: PasswordBcrypt, cost: 4, cleartext: 'pw'}
`);
    try {
      const rows = source.map((r, i) => [r[0], r[1], r[2], i === 1 ? 'hunter2' : null, r[4]]);
      const input = rows.map((r) => r.map(encodeField).join('\t') + '\n').join('');
      const out = parse(await run(hashing, [Buffer.from(input)]));
      expect(out).toHaveLength(rows.length);
      for (let r = 0; r < rows.length; r++) {
        const expected = await hashing.transformTuple('public', 'users', columns, Object.fromEntries(columns.map((c, i) => [c.name, rows[r][i]])));
        expect(out[r][0]).toBe(rows[r][0]);
        expect([out[r][1], out[r][3]]).toEqual([expected.name, expected.bio]);
      }
      expect(out[1][3]).toMatch(/^\$2b\$04\$/);
      expect(out[2][3]).toBeNull();
    } finally {
      await hashModule.close();
    }
  });
});
