import { ChangeEnvelope, Position, RowChange, changeSize } from '@kasho/contracts';
import { BufferedBytes } from './buffered-bytes';

const row = (position: string, value: string): ChangeEnvelope => ({
  position: Position.parse(position),
  change: { kind: 'insert', schema: 'public', table: 't', columns: [], replicaIdentity: 'default', new: { v: value } } as RowChange,
});
const commit = (position: string): ChangeEnvelope => ({
  position: Position.parse(position),
  change: { kind: 'commit', xid: 1, commitEndLsn: '1', commitTimeMicros: '0', changeCount: 0 },
});
const size = (value: string) => changeSize(row('1-0', value).change);

describe('BufferedBytes', () => {
  it('counts appended transactions until the applied position passes their commit', () => {
    const bytes = new BufferedBytes();
    bytes.appended([row('100-0', 'a'.repeat(1000)), row('100-1', 'b')]);
    expect(bytes.total).toBe(size('a'.repeat(1000)) + size('b'));
    bytes.appended([commit('100-2')]);
    bytes.appended([row('200-0', 'c'.repeat(50)), commit('200-1')]);
    const both = size('a'.repeat(1000)) + size('b') + size('c'.repeat(50));
    expect(bytes.total).toBe(both);
    bytes.appliedThrough(Position.parse('150-0'));
    expect(bytes.total).toBe(size('c'.repeat(50)));
    bytes.appliedThrough(Position.parse('200-1'));
    expect(bytes.total).toBe(0);
  });

  it('does not count a re-delivered transaction twice, and restarts a half-read one', () => {
    const bytes = new BufferedBytes();
    bytes.appended([row('100-0', 'x'), commit('100-1')]);
    bytes.appended([row('200-0', 'y'.repeat(10))]);
    // decoding restarts from the slot: 100 again, then 200 from its beginning
    bytes.appended([row('100-0', 'x'), commit('100-1')]);
    bytes.appended([row('200-0', 'y'.repeat(10)), commit('200-1')]);
    expect(bytes.total).toBe(size('x') + size('y'.repeat(10)));
  });

  it('holds nothing after clear()', () => {
    const bytes = new BufferedBytes();
    bytes.appended([row('100-0', 'x'), commit('100-1'), row('200-0', 'z')]);
    bytes.clear();
    expect(bytes.total).toBe(0);
    bytes.appended([row('100-0', 'x'), commit('100-1')]);
    expect(bytes.total).toBe(size('x'));
  });
});
