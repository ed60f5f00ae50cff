import { ChangePayload, Position } from '@kasho/contracts';
import { ChangeDecodeError } from './buffer.errors';
import { CHANGE_FIELD, decodeChange, decodeCompact, encodeChange, encodeCompact, entryFields, PREV_FIELD, relationDigestOf } from './change-codec';
import { RelationDef, parseRelation } from './relation-codec';

describe('change codec', () => {
  const update: ChangePayload = {
    kind: 'update',
    schema: 'public',
    table: 'accounts',
    columns: [
      { name: 'id', type: 'bigint', typeOid: 20, typeMod: -1, key: true },
      { name: 'balance', type: 'numeric(30,10)', typeOid: 1700, typeMod: 1966094, key: false },
      { name: 'note', type: 'text', typeOid: 25, typeMod: -1, key: false },
      { name: 'doc', type: 'jsonb', typeOid: 3802, typeMod: -1, key: false },
    ],
    new: { id: '9223372036854775807', balance: '12345678901234567890.0000000001', note: null, doc: '{"a": [1, "\\u00e9"]}' },
    old: { id: '9223372036854775806' },
    unchangedToast: ['blob'],
    replicaIdentity: 'default',
  };

  it('round-trips exactly: strings stay strings, nulls stay null, absent keys stay absent', () => {
    const back = decodeChange('9007199254740993-0', encodeChange(update));
    expect(back).toStrictEqual({ position: Position.parse('9007199254740993-0'), change: update });
    const row = back.change as typeof update;
    expect(row.new).not.toHaveProperty('blob');
    expect(row.new?.note).toBeNull();
    expect(row.new?.id).toBe('9223372036854775807');
  });

  it('round-trips every kind, including empty strings and unicode', () => {
    const payloads: ChangePayload[] = [
      { kind: 'insert', schema: 's', table: 't', columns: [], new: { a: '', b: 'é\u0000\n"' }, replicaIdentity: 'full' },
      { kind: 'delete', schema: 's', table: 't', columns: [], old: { a: '1' }, replicaIdentity: 'full' },
      { kind: 'truncate', relations: [{ schema: 's', table: 't' }], cascade: true, restartIdentity: false },
      { kind: 'ddl', sql: 'ALTER TABLE t ADD c int', searchPath: '"$user", public', tag: 'ALTER TABLE', object: 'public.t' },
      { kind: 'commit', xid: 4294967295, commitEndLsn: '18446744073709551615', commitTimeMicros: '1700000000123456', changeCount: 3 },
    ];
    payloads.forEach((p, i) => expect(decodeChange(`5-${i}`, encodeChange(p)).change).toStrictEqual(p));
  });

  it('is compact JSON of the payload only', () => {
    const json = encodeChange({ kind: 'truncate', relations: [], cascade: false, restartIdentity: true });
    expect(json).toBe('{"kind":"truncate","relations":[],"cascade":false,"restartIdentity":true}');
  });

  it('drops keys holding undefined (an unchanged TOAST value is an absent key)', () => {
    const payload = { kind: 'insert', schema: 's', table: 't', columns: [], new: { a: '1', b: undefined }, replicaIdentity: 'default' };
    const back = decodeChange('1-0', encodeChange(payload as unknown as ChangePayload)).change as { new: object };
    expect(Object.keys(back.new)).toEqual(['a']);
  });

  it('canonicalises the entry ID as the position', () => {
    expect(decodeChange('007-01', encodeChange(update)).position.toString()).toBe('7-1');
  });

  it('names the position but never the payload when an entry cannot be decoded', () => {
    const secret = '{"kind":"insert","new":{"ssn":"123-45-6789"}';
    expect(() => decodeChange('3-1', secret)).toThrow(ChangeDecodeError);
    expect(() => decodeChange('3-1', secret)).toThrow(/3-1/);
    expect(() => decodeChange('3-1', secret)).not.toThrow(/6789/);
    expect(() => decodeChange('3-1', '[1]')).toThrow('not a JSON object');
    expect(() => decodeChange('3-1', '{"kind":"nope"}')).toThrow('unknown change kind');
  });

  it('finds the change field in a stream entry', () => {
    const json = encodeChange(update);
    expect(decodeChange('1-0', entryFields('1-0', ['other', 'x', CHANGE_FIELD, json]).json).change).toStrictEqual(update);
    expect(entryFields('1-0', [CHANGE_FIELD, json, PREV_FIELD, '0-5'])).toEqual({ json, prev: '0-5' });
    expect(entryFields('1-0', [CHANGE_FIELD, json]).prev).toBeNull();
    expect(() => entryFields('1-0', ['other', 'x'])).toThrow(`no "${CHANGE_FIELD}" field`);
  });
});

describe('compact encoding (relation metadata stored once)', () => {
  const columns = [
    { name: 'id', type: 'int8', typeOid: 20, typeMod: -1, key: true },
    { name: 'rel', type: 'text', typeOid: 25, typeMod: -1, key: false },
  ];
  const row = (id: string) => ({ kind: 'insert' as const, schema: 'public', table: 't', columns, new: { id, rel: '"rel":"x"' }, replicaIdentity: 'default' });

  it('replaces the columns by a relation digest, reported once per definition, and restores them shared', () => {
    const seen: RelationDef[] = [];
    const a = encodeCompact(row('1'), (d) => seen.push(d));
    const b = encodeCompact(row('2'), (d) => seen.push(d));
    expect(a).not.toContain('typeOid');
    expect(seen[0].digest).toBe(seen[1].digest);
    expect(relationDigestOf(a)).toBe(seen[0].digest);
    const stored = parseRelation(seen[0].json)!;
    const lookup = (id: string) => (id === seen[0].digest ? stored : undefined);
    const [x, y] = [decodeCompact('5-0', a, lookup), decodeCompact('5-1', b, lookup)];
    expect(x.change).toStrictEqual(row('1'));
    expect((x.change as { columns: unknown }).columns).toBe((y.change as { columns: unknown }).columns);
  });

  it('gives a changed relation a new digest and fails closed on an unknown one', () => {
    let first = '';
    let second = '';
    encodeCompact(row('1'), (d) => (first = d.digest));
    encodeCompact({ ...row('1'), columns: [...columns, { name: 'c', type: 'int4', typeOid: 23, typeMod: -1, key: false }] }, (d) => (second = d.digest));
    expect(second).not.toBe(first);
    expect(() =>
      decodeCompact(
        '5-0',
        encodeCompact(row('1'), () => undefined),
        () => undefined,
      ),
    ).toThrow('unknown relation');
  });

  it('leaves non-row changes as plain JSON', () => {
    const commit = { kind: 'commit' as const, xid: 1, commitEndLsn: '10', commitTimeMicros: '1', changeCount: 0 };
    expect(
      decodeCompact(
        '1-0',
        encodeCompact(commit, () => {
          throw new Error('no relation expected');
        }),
        () => undefined,
      ).change,
    ).toStrictEqual(commit);
  });
});
