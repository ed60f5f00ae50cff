import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TestingModule } from '@nestjs/testing';
import type { CopyFormat, Datum } from '@kasho/contracts';
import type { TransformEngine } from '@kasho/transforms';
import { bootEngine, col } from '@kasho/testing/transforms';
import {
  binaryFieldCount,
  binaryHeaderLength,
  decodeTextField,
  encodeTextField,
  isBinaryTrailer,
  readBinaryFields,
  splitTextFields,
  textRowEnd,
} from '@kasho/pg-copy';
import { CopyTransformer } from './copy-transformer';

const YAML = `version: v1
tables:
  public.users:
    name: FakeName
    email: FakeEmail
    note: {type: Template, template: '{{ .name }} <{{ .email }}>'}
`;

/** A row transform that is asynchronous (a password hash) next to a synchronous one. */
const HASHING_YAML = `version: v1
tables:
  public.users:
    name: FakeName
    bio: {type: PasswordBcrypt, cost: 4, cleartext: 'pw'}
`;

const columns = [col('id', 'bigint', true), col('name'), col('email'), col('bio'), col('note')];

async function run(engine: TransformEngine, chunks: Buffer[], format: CopyFormat = 'text'): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    new CopyTransformer(engine, 'public', 'users', columns, format),
    new Writable({ write: (c: Buffer, _e, cb) => (out.push(c), cb()) }),
  );
  return Buffer.concat(out);
}

function parse(buf: Buffer): (string | null)[][] {
  const rows: (string | null)[][] = [];
  const bounds = new Int32Array(64);
  for (let start = 0, end = textRowEnd(buf, 0); end !== -1; start = end + 1, end = textRowEnd(buf, start)) {
    const n = splitTextFields(buf, start, end, bounds);
    rows.push(Array.from({ length: n }, (_, i) => decodeTextField(buf, bounds[2 * i], bounds[2 * i + 1])));
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
  const text = source.map((r) => r.map(encodeTextField).join('\t') + '\n').join('');

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

  it('keeps rules on columns the table does not have (yet) inactive and still transforms the others', async () => {
    const missing = [col('id', 'bigint', true), col('name')];
    const t = new CopyTransformer(engine, 'public', 'users', missing);
    const out: Buffer[] = [];
    await pipeline(Readable.from([Buffer.from('1\tAda Lovelace\n')]), t, new Writable({ write: (c: Buffer, _e, cb) => (out.push(c), cb()) }));
    const [id, name] = Buffer.concat(out).toString().replace(/\n$/, '').split('\t');
    expect(id).toBe('1');
    expect(name).not.toBe('Ada Lovelace');
    expect(name).toMatch(/^\S+ \S+/);
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
    const { engine: hashing, module: hashModule } = await bootEngine(HASHING_YAML);
    try {
      const rows = source.map((r, i) => [r[0], r[1], r[2], i === 1 ? 'hunter2' : null, r[4]]);
      const input = rows.map((r) => r.map(encodeTextField).join('\t') + '\n').join('');
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

// COPY binary: the same transformer, rows length-prefixed between a header and a trailer.

const BINARY_YAML = `version: v1
tables:
  public.users:
    name: FakeName
    email: {type: FakeEmail, unique: true}
    note: {type: Template, template: '{{ .name }} <{{ .email }}>'}
`;

/** The header PostgreSQL writes (no flags), with a 3-byte extension to check that it is skipped whole. */
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.from([0, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3])]);
const TRAILER = Buffer.from([0xff, 0xff]);

function int8(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
}

/** One row: id as int8, the rest as text (null → NULL). */
function row(id: number, ...texts: Datum[]): Buffer {
  const parts = [Buffer.from([0, texts.length + 1]), Buffer.from([0, 0, 0, 8]), int8(id)];
  for (const t of texts) {
    if (t === null) parts.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    else {
      const bytes = Buffer.from(t, 'utf8');
      const len = Buffer.alloc(4);
      len.writeInt32BE(bytes.length);
      parts.push(len, bytes);
    }
  }
  return Buffer.concat(parts);
}

/** Header, rows (each field's bytes, null for NULL) and trailer of COPY binary data. */
function parseBinary(buf: Buffer): { header: Buffer; rows: (Buffer | null)[][]; trailer: boolean } {
  const headerEnd = binaryHeaderLength(buf);
  const rows: (Buffer | null)[][] = [];
  const bounds = new Int32Array(64);
  let at = headerEnd;
  for (let n = binaryFieldCount(buf, at); n !== -1; n = binaryFieldCount(buf, at)) {
    at = readBinaryFields(buf, at, n, bounds);
    rows.push(Array.from({ length: n }, (_, i) => (bounds[2 * i] === -1 ? null : buf.subarray(bounds[2 * i], bounds[2 * i + 1]))));
  }
  return { header: buf.subarray(0, headerEnd), rows, trailer: isBinaryTrailer(buf, at) && at + 2 === buf.length };
}

describe('CopyTransformer, COPY binary', () => {
  let engine: TransformEngine;
  let module: TestingModule;
  beforeAll(async () => ({ engine, module } = await bootEngine(BINARY_YAML)));
  afterAll(() => module.close());

  const source: [number, ...Datum[]][] = [
    [1, 'Ada Lovelace', 'ada@example.com', 'tab\there\nnewline \\ back', 'x'],
    [2, null, 'grace@example.com', null, ''],
    [3, 'Zoë Ünïcode', 'zoe@example.com', '', '\\N literal'],
  ];
  const data = Buffer.concat([HEADER, ...source.map(([id, ...texts]) => row(id, ...texts)), TRAILER]);

  it('writes every configured column from its transform, copies the other fields, the header and the trailer byte for byte', async () => {
    const output = await run(engine, [data], 'binary');
    const { header, rows, trailer } = parseBinary(output);
    expect(header.equals(HEADER)).toBe(true);
    expect(trailer).toBe(true);
    expect(rows).toHaveLength(source.length);
    for (let r = 0; r < source.length; r++) {
      const [id, name, email, bio, note] = source[r];
      const expected = await engine.transformTuple('public', 'users', columns, { id: String(id), name, email, bio, note });
      expect(rows[r][0]!.equals(int8(id))).toBe(true);
      expect(rows[r][3] === null ? null : rows[r][3]!.toString('utf8')).toBe(bio);
      expect(rows[r].slice(1, 3).map((b) => b && b.toString('utf8'))).toEqual([expected.name, expected.email]);
      expect(rows[r][4]!.toString('utf8')).toBe(expected.note);
    }
    expect(rows[1][1]).toBeNull(); // NULL stays NULL
    for (const secret of ['Ada Lovelace', 'ada@example.com', 'grace@example.com', 'Zoë']) expect(output.includes(Buffer.from(secret))).toBe(false);
  });

  it('gives the same output whatever the chunk boundaries (header, lengths and characters split)', async () => {
    const whole = await run(engine, [data], 'binary');
    for (const size of [1, 5, 7, 13]) {
      const pieces: Buffer[] = [];
      for (let i = 0; i < data.length; i += size) pieces.push(data.subarray(i, i + size));
      expect((await run(engine, pieces, 'binary')).equals(whole)).toBe(true);
    }
  });

  it('fails on a row with the wrong number of fields, and on data that ends inside a row', async () => {
    await expect(run(engine, [Buffer.concat([HEADER, row(1, 'a'), TRAILER])], 'binary')).rejects.toThrow('has 2 fields, expected 5');
    await expect(run(engine, [Buffer.concat([HEADER, row(1, 'a', 'b', 'c', 'd').subarray(0, 20)])], 'binary')).rejects.toThrow('ends inside a row');
  });

  it('keeps row order when some rows hash their password (asynchronous) and others not (NULL)', async () => {
    const { engine: hashing, module: hashModule } = await bootEngine(HASHING_YAML);
    try {
      const rows = source.map(([id, name, email, , note], i): [number, ...Datum[]] => [id, name, email, i === 1 ? 'hunter2' : null, note]);
      const input = Buffer.concat([HEADER, ...rows.map(([id, ...texts]) => row(id, ...texts)), TRAILER]);
      const parsed = parseBinary(await run(hashing, [input], 'binary'));
      expect(parsed.trailer).toBe(true);
      for (let r = 0; r < rows.length; r++) {
        const [id, name, email, bio, note] = rows[r];
        const expected = await hashing.transformTuple('public', 'users', columns, { id: String(id), name, email, bio, note });
        expect(parsed.rows[r][0]!.equals(int8(id))).toBe(true);
        expect([parsed.rows[r][1]?.toString('utf8') ?? null, parsed.rows[r][3]?.toString('utf8') ?? null]).toEqual([expected.name, expected.bio]);
      }
      expect(parsed.rows[1][3]!.toString('utf8')).toMatch(/^\$2b\$04\$/);
      expect(parsed.rows[2][3]).toBeNull();
    } finally {
      await hashModule.close();
    }
  });
});
