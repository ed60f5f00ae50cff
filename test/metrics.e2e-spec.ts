import { KashoPipeline } from './support/kasho-pipeline';

/** Values that must never appear in /metrics or in a log line: only names (schema.table, kind, transform) become labels. */
const SECRET_EMAIL = 'zq-row-value-7781@corp.example';
const SECRET_NAME = 'Xyzzy Rowvalue-4242';
const SECRET_NOTE = 'untransformed-note-value-5150';

/** `name{labels} value` samples of one metric from the Prometheus text format. */
function samples(text: string, name: string): { labels: string; value: number }[] {
  const out: { labels: string; value: number }[] = [];
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (match) out.push({ labels: match[1] ?? '', value: Number(match[2]) });
  }
  return out;
}

function value(text: string, name: string, labels = ''): number | undefined {
  return samples(text, name).find((s) => s.labels === labels)?.value;
}

describe('metrics and logs: /metrics in Prometheus format, JSON logs, never a row value', () => {
  let k: KashoPipeline;

  beforeAll(async () => {
    k = await KashoPipeline.start({
      transformsYaml: 'version: v1\ntables:\n  public.people:\n    email: FakeEmail\n    name: FakeName\n',
    });
  }, 120_000);

  afterAll(async () => {
    await k?.stop();
  });

  it('counts captured and applied changes per table and kind, and reports lag, depth, batches and transforms', async () => {
    await k.source.query(`CREATE TABLE public.people (id int PRIMARY KEY, email text, name text, note text)`);
    await k.source.query(`INSERT INTO public.people SELECT g, 'user' || g || '@corp.example', 'Person ' || g, 'n' FROM generate_series(1, 200) g`);
    await k.source.query(`INSERT INTO public.people VALUES (1000, $1, $2, $3)`, [SECRET_EMAIL, SECRET_NAME, SECRET_NOTE]);
    await k.source.query(`UPDATE public.people SET note = $1 WHERE id <= 10`, [SECRET_NOTE]);
    await k.source.query(`DELETE FROM public.people WHERE id BETWEEN 11 AND 15`);
    await k.waitForEqual(`SELECT count(*)::int AS n, max(note) AS note FROM public.people`);

    const cs = await k.changeStream.metrics();
    const tr = await k.translicator.metrics();
    console.log(
      `--- pg-change-stream /metrics (kasho_ lines) ---\n${cs
        .split('\n')
        .filter((l) => /^kasho_(changes|buffer|replication|capture|errors)/.test(l))
        .join('\n')}`,
    );
    console.log(
      `--- pg-translicator /metrics (kasho_ lines) ---\n${tr
        .split('\n')
        .filter((l) => /^kasho_(changes|apply|last|errors|transform)/.test(l))
        .join('\n')}`,
    );

    expect(value(cs, 'kasho_changes_captured_total', '{table="public.people",kind="insert"}')).toBe(201);
    expect(value(cs, 'kasho_changes_captured_total', '{table="public.people",kind="update"}')).toBe(10);
    expect(value(cs, 'kasho_changes_captured_total', '{table="public.people",kind="delete"}')).toBe(5);
    expect(value(cs, 'kasho_changes_captured_total', '{table="public.people",kind="ddl"}')).toBe(1);
    expect(value(cs, 'kasho_buffer_depth')).toBeGreaterThanOrEqual(0);
    expect(value(cs, 'kasho_replication_lag_bytes')).toBeGreaterThanOrEqual(0);
    expect(value(cs, 'kasho_capture_paused')).toBe(0);
    expect(value(cs, 'kasho_replication_retained_wal_bytes')).toBeGreaterThan(0);
    expect(value(cs, 'kasho_replication_slot_wal_status', '{wal_status="reserved"}')).toBe(1);
    expect(value(cs, 'kasho_replication_slot_wal_status', '{wal_status="lost"}')).toBe(0);
    expect(value(cs, 'kasho_errors_total', '{service="pg-change-stream",kind="capture"}')).toBe(0);
    expect(cs).toMatch(/^kasho_process_cpu_seconds_total /m);
    expect(cs).toMatch(/^kasho_nodejs_eventloop_lag_seconds /m);

    expect(value(tr, 'kasho_changes_applied_total', '{table="public.people",kind="insert"}')).toBe(201);
    expect(value(tr, 'kasho_changes_applied_total', '{table="public.people",kind="update"}')).toBe(10);
    expect(value(tr, 'kasho_changes_applied_total', '{table="public.people",kind="delete"}')).toBe(5);
    expect(value(tr, 'kasho_changes_applied_total', '{table="public.people",kind="ddl"}')).toBe(1);
    expect(value(tr, 'kasho_apply_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(value(tr, 'kasho_last_apply_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(value(tr, 'kasho_apply_batch_changes_count')).toBeGreaterThanOrEqual(1);
    expect(value(tr, 'kasho_apply_batch_changes_sum')).toBeGreaterThanOrEqual(217);
    expect(value(tr, 'kasho_apply_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    const timedTransforms = samples(tr, 'kasho_transform_duration_seconds_count').map((s) => s.labels);
    expect(timedTransforms.length).toBeGreaterThan(0);
    for (const labels of timedTransforms) expect(labels).toMatch(/^\{transform="Fake(Email|Name)"\}$/);
    expect(value(tr, 'kasho_errors_total', '{service="pg-translicator",kind="apply"}')).toBe(0);
    expect(tr).toMatch(/^kasho_process_resident_memory_bytes /m);

    // Every metric name carries the kasho_ prefix; no row value anywhere.
    for (const text of [cs, tr]) {
      for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line).toMatch(/^kasho_/);
      for (const secret of [SECRET_EMAIL, SECRET_NAME, SECRET_NOTE, 'Person 1', 'corp.example']) expect(text).not.toContain(secret);
    }
  });

  it('logs JSON lines at LOG_LEVEL (info), with the service name, and never a row value', async () => {
    for (const service of [k.changeStream, k.translicator]) {
      const lines = service.output.filter((l) => l.startsWith('{'));
      expect(lines.length).toBeGreaterThan(3);
      for (const line of lines) {
        const entry = JSON.parse(line) as { level: string; name: string; msg: string; time: string };
        expect(entry.name).toBe(service.name);
        expect(['info', 'warn', 'error', 'fatal']).toContain(entry.level);
        expect(entry.time).toMatch(/^\d{4}-\d\d-\d\dT/);
      }
      const all = service.output.join('\n');
      for (const secret of [SECRET_EMAIL, SECRET_NAME, SECRET_NOTE]) expect(all).not.toContain(secret);
    }
  });
});
