/**
 * Commit-to-visible latency. A paced writer inserts one-row transactions into `lat` on the source at a
 * fixed rate from 4 connections, each row stamped with the source's clock_timestamp(); a poller on the
 * target reads new `lat` rows every few milliseconds and records, per row, the target's clock_timestamp()
 * at the read minus the row's stamp (both servers read this machine's clock). Resolution is the poll interval plus one
 * query; the stamp is taken just before the commit, so figures lean high by the commit's own time.
 */
import { Client } from 'pg';
import { EphemeralPostgres } from '@kasho/testing';

const WRITERS = 4;
const POLL_MS = 5;

export interface LatencyRun {
  /** Latencies in ms, one per row. */
  latencies: number[];
  /** Rows per second the writer reached. */
  achievedRate: number;
  written: number;
  /** False when the bound ran out before every row reached the target: the percentiles cover those that did. */
  complete: boolean;
}

export async function measureLatency(source: EphemeralPostgres, target: EphemeralPostgres, db: string, rate: number, seconds: number): Promise<LatencyRun> {
  const writers = Array.from({ length: WRITERS }, () => new Client(source.clientConfig(db)));
  const reader = new Client(target.clientConfig(db));
  await Promise.all([...writers, reader].map((c) => c.connect()));
  const seen = new Map<number, number>();
  try {
    const total = Math.max(1, Math.round(rate * seconds));
    // A second run on the same database continues after the ids of the first.
    const base = Number((await writers[0].query<{ n: string }>('SELECT coalesce(max(id), 0)::text AS n FROM public.lat')).rows[0].n);
    let issued = 0;
    const started = performance.now();
    const due = () => Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
    // Each writer connection takes the next due id, one transaction at a time; bounded at twice the planned time.
    const writer = async (client: Client) => {
      while (issued < total && performance.now() - started < seconds * 2000) {
        if (issued >= due()) {
          await new Promise((r) => setTimeout(r, 1));
          continue;
        }
        await client.query('INSERT INTO public.lat (id) VALUES ($1)', [base + ++issued]);
      }
    };
    const writing = Promise.all(writers.map(writer)).then(() => performance.now() - started);
    // Rows up to `contiguous` have all been seen; later ones may be visible out of order (4 writers).
    let contiguous = base;
    const deadline = Date.now() + seconds * 2000 + 120_000;
    let writeMs: number | undefined;
    void writing.then(
      (ms) => (writeMs = ms),
      () => (writeMs = 0),
    );
    while (Date.now() < deadline && (writeMs === undefined || contiguous < base + issued)) {
      const { rows } = await reader.query<{ id: string; ms: number }>(
        'SELECT id::text, extract(epoch FROM clock_timestamp() - src_at) * 1000 AS ms FROM public.lat WHERE id > $1 ORDER BY id',
        [contiguous],
      );
      for (const r of rows) if (!seen.has(Number(r.id))) seen.set(Number(r.id), Number(r.ms));
      while (seen.has(contiguous + 1)) contiguous++;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const ms = await writing;
    return { latencies: [...seen.values()], achievedRate: issued / (ms / 1000), written: issued, complete: seen.size === issued };
  } finally {
    await Promise.all([...writers, reader].map((c) => c.end().catch(() => undefined)));
  }
}
