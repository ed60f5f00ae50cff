import * as protoLoader from '@grpc/proto-loader';
import { loadPackageDefinition } from '@grpc/grpc-js';
import {
  ChangeEnvelope,
  KASHO_PROTO_LOADER_OPTIONS,
  KASHO_PROTO_PATH,
  KashoGrpcPackage,
  Position,
  WireChange,
  fromWireBatch,
  fromWireChange,
  toWireBatch,
  toWireChange,
} from '@kasho/contracts';

/** Encodes through the real .proto (as grpc-js does on the wire) and decodes with the same loader options. */
function throughProto(change: WireChange): WireChange {
  const definition = protoLoader.loadSync(KASHO_PROTO_PATH, KASHO_PROTO_LOADER_OPTIONS);
  const pkg = loadPackageDefinition(definition) as unknown as KashoGrpcPackage;
  const method = pkg.kasho.v1.ChangeStream.service.Stream;
  const bytes = method.responseSerialize({ changes: [change] });
  return method.responseDeserialize(bytes).changes[0];
}

const samples: ChangeEnvelope[] = [
  {
    position: Position.parse('18446744073709551615-0'),
    change: {
      kind: 'update',
      schema: 'public',
      table: 'users',
      columns: [
        { name: 'id', type: 'int8', typeOid: 20, typeMod: -1, key: true },
        { name: 'bio', type: 'text', typeOid: 25, typeMod: -1, key: false },
        { name: 'note', type: 'text', typeOid: 25, typeMod: -1, key: false },
        { name: 'empty', type: 'text', typeOid: 25, typeMod: -1, key: false },
      ],
      new: { id: '9007199254740993', note: null, empty: '' },
      old: { id: '9007199254740992' },
      unchangedToast: ['bio'],
      replicaIdentity: 'default',
    },
  },
  { position: Position.parse('5-0'), change: { kind: 'insert', schema: 's', table: 't', columns: [], new: {}, replicaIdentity: 'full' } },
  { position: Position.parse('5-1'), change: { kind: 'delete', schema: 's', table: 't', columns: [], old: { a: '1' }, replicaIdentity: 'full' } },
  { position: Position.parse('5-2'), change: { kind: 'truncate', relations: [{ schema: 'public', table: 'a' }], cascade: true, restartIdentity: false } },
  {
    position: Position.parse('5-3'),
    change: { kind: 'ddl', sql: 'ALTER TABLE t ADD c int', searchPath: '"$user", public', tag: 'ALTER TABLE', object: 'public.t' },
  },
  {
    position: Position.parse('5-4'),
    change: { kind: 'commit', xid: 4294967295, commitEndLsn: '18446744073709551615', commitTimeMicros: '1732492800123456', changeCount: 4 },
  },
];

describe('wire mapping', () => {
  it.each(samples.map((s) => [s.change.kind, s] as const))('round-trips a %s change exactly through the .proto', (_kind, envelope) => {
    expect(fromWireChange(throughProto(toWireChange(envelope)))).toEqual(envelope);
  });

  it('keeps NULL distinct from the empty string and unchanged TOAST absent', () => {
    const decoded = fromWireChange(throughProto(toWireChange(samples[0])));
    if (decoded.change.kind !== 'update') throw new Error('expected an update');
    expect(decoded.change.new).toEqual({ id: '9007199254740993', note: null, empty: '' });
    expect('bio' in decoded.change.new!).toBe(false);
  });

  it('rejects a change without payload', () => {
    expect(() => fromWireChange({ position: '1-0' })).toThrow('no payload');
  });
});

describe('batch wire mapping', () => {
  it('sends each relation once per batch and restores one shared columns array', () => {
    const columns = [{ name: 'id', type: 'int4', typeOid: 23, typeMod: -1, key: true }];
    const rows: ChangeEnvelope[] = ['1', '2', '3'].map((id, i) => ({
      position: new Position(9n, BigInt(i)),
      change: { kind: 'insert', schema: 'public', table: 't', columns, new: { id }, replicaIdentity: 'default' },
    }));
    const definition = protoLoader.loadSync(KASHO_PROTO_PATH, KASHO_PROTO_LOADER_OPTIONS);
    const pkg = loadPackageDefinition(definition) as unknown as KashoGrpcPackage;
    const method = pkg.kasho.v1.ChangeStream.service.Stream;
    const wire = toWireBatch([...rows, samples[5]]);
    expect(wire.relations).toHaveLength(1);
    const decoded = fromWireBatch(method.responseDeserialize(method.responseSerialize(wire)));
    expect(decoded).toEqual([...rows, samples[5]]);
    const [a, b] = decoded.map((e) => (e.change as { columns?: unknown }).columns);
    expect(a).toBe(b);
  });

  it('rejects a row that references a relation the batch does not carry', () => {
    const wire = toWireBatch([samples[1]]);
    expect(() => fromWireBatch({ ...wire, relations: [] })).toThrow('unknown relation');
  });
});
