import { bootEngine, col, insert } from '@kasho/testing/transforms';

const CONFIG = `
version: v1
tables:
  public.users:
    name: FakeName
    password: {type: PasswordBcrypt, cost: 4, cleartext: 'pw'}
`;
const COLUMNS = [col('id', 'int4', true), col('name'), col('password')];
const row = () => insert('public.users', COLUMNS, { id: '1', name: 'Ann Lee', password: 'x' });

describe('TransformEngine timing samples', () => {
  it('reports calls with the transform type, sync and async alike, without changing outputs', async () => {
    const { engine, module } = await bootEngine(CONFIG);
    const plain = await engine.transformRow(row());
    const samples: { transform: string; seconds: number }[] = [];
    engine.sampleTimings(1, (transform, seconds) => samples.push({ transform, seconds }));
    const timed = await engine.transformRow(row());
    await new Promise((r) => setImmediate(r));
    expect(timed.new!.name).toBe(plain.new!.name);
    expect(samples.map((s) => s.transform).sort()).toEqual(['FakeName', 'PasswordBcrypt']);
    for (const s of samples) expect(s.seconds).toBeGreaterThanOrEqual(0);
    await module.close();
  });

  it('samples about one call in N, every column alike (no aliasing with the column count)', async () => {
    const { engine, module } = await bootEngine(`version: v1\ntables:\n  public.t:\n    a: FakeName\n    b: FakeEmail\n`);
    const columns = [col('id', 'int4', true), col('a'), col('b')];
    const counts: Record<string, number> = {};
    engine.sampleTimings(2, (transform) => (counts[transform] = (counts[transform] ?? 0) + 1));
    for (let i = 0; i < 2000; i++) await engine.transformRow(insert('public.t', columns, { id: String(i), a: 'x', b: 'y@z' }));
    // 4000 calls, about 2000 samples, split between both columns.
    expect(counts.FakeName + counts.FakeEmail).toBeGreaterThan(1700);
    expect(counts.FakeName + counts.FakeEmail).toBeLessThan(2300);
    expect(counts.FakeName).toBeGreaterThan(800);
    expect(counts.FakeEmail).toBeGreaterThan(800);
    await module.close();
  });
});
