import { ChangeEnvelope, RowChange } from './change';
import { changeSize, envelopesSize, splitBySize } from './change-size';
import { Position } from './position';

const row = (position: string, value: string | null): ChangeEnvelope => ({
  position: Position.parse(position),
  change: { kind: 'insert', schema: 'public', table: 't', columns: [], replicaIdentity: 'default', new: { id: '1', v: value } } as RowChange,
});
const commit = (position: string): ChangeEnvelope => ({
  position: Position.parse(position),
  change: { kind: 'commit', xid: 1, commitEndLsn: '10', commitTimeMicros: '0', changeCount: 0 },
});

describe('changeSize', () => {
  it('counts values and column names of the new and old rows, NULL as nothing', () => {
    const small = changeSize(row('1-0', 'x').change);
    expect(changeSize(row('1-0', 'x'.repeat(1001)).change) - small).toBe(1000);
    expect(changeSize(row('1-0', null).change)).toBe(small - 1);
    const update: RowChange = { ...(row('1-0', 'abc').change as RowChange), kind: 'update', old: { id: '1' } };
    expect(changeSize(update)).toBe(changeSize(row('1-0', 'abc').change) + 3);
  });

  it('counts UTF-8 bytes on request', () => {
    const text = row('1-0', 'é'.repeat(100)).change;
    expect(changeSize(text, { utf8: true }) - changeSize(text)).toBe(100);
  });

  it('counts DDL text', () => {
    const sql = 'CREATE TABLE t (a int)';
    expect(changeSize({ kind: 'ddl', sql, searchPath: '', tag: 'CREATE TABLE', object: '' })).toBe(changeSize(commit('1-0').change) + sql.length);
  });
});

describe('splitBySize', () => {
  it('keeps order, caps each run, sends an oversized change alone and keeps the commit last', () => {
    const unit = changeSize(row('1-0', '').change);
    const changes = [row('1-0', ''), row('1-1', ''), row('1-2', 'x'.repeat(10 * unit)), row('1-3', ''), row('1-4', ''), row('1-5', ''), commit('1-6')];
    const runs = splitBySize(changes, 2 * unit + 1);
    expect(runs.map((r) => r.map((c) => c.position.toString()))).toEqual([['1-0', '1-1'], ['1-2'], ['1-3', '1-4'], ['1-5', '1-6']]);
    expect(runs.flat()).toEqual(changes);
    for (const run of runs.filter((r) => r.length > 1)) expect(envelopesSize(run)).toBeLessThanOrEqual(2 * unit + 1);
  });

  it('returns nothing for nothing and one run when all fit', () => {
    expect(splitBySize([], 100)).toEqual([]);
    expect(splitBySize([row('1-0', 'a'), commit('1-1')], 1 << 20)).toHaveLength(1);
  });
});
