import { Injectable, Optional } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { SnapshotProgress } from './snapshot-progress';

/**
 * Snapshot gauges, read from {@link SnapshotProgress} when scraped: rows done and estimated per
 * table (schema.table), bytes done, and whether a snapshot is running. Registered in the app's
 * Registry (MetricsModule), or prom-client's default one when the app has none.
 */
@Injectable()
export class SnapshotMetrics {
  constructor(progress: SnapshotProgress, @Optional() registry?: Registry) {
    const registers = [registry ?? new Registry()];
    new Gauge({
      name: 'kasho_snapshot_rows_done',
      help: 'Rows of the initial snapshot committed on the target, by table (schema.table).',
      labelNames: ['table'],
      registers,
      collect() {
        for (const t of progress.all) this.set({ table: t.table }, t.rowsDone);
      },
    });
    new Gauge({
      name: 'kasho_snapshot_rows_total',
      help: "Rows to copy in the initial snapshot, by table (the planner's estimate, raised to rows done when it was low).",
      labelNames: ['table'],
      registers,
      collect() {
        for (const t of progress.all) this.set({ table: t.table }, t.rowsTotal);
      },
    });
    new Gauge({
      name: 'kasho_snapshot_bytes_done',
      help: 'Bytes of COPY text of the initial snapshot committed on the target.',
      registers,
      collect() {
        this.set(progress.totals().bytes);
      },
    });
    new Gauge({
      name: 'kasho_snapshot_running',
      help: '1 while an initial snapshot (or a table resync) is copying, else 0.',
      registers,
      collect() {
        this.set(progress.active ? 1 : 0);
      },
    });
  }
}
