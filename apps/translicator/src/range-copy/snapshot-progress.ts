import { Injectable, Logger } from '@nestjs/common';

export interface TableProgress {
  table: string;
  rowsDone: number;
  /** Planner estimate; raised to rowsDone when the estimate was low. */
  rowsTotal: number;
  bytesDone: number;
  bytesTotal: number;
  rangesDone: number;
  rangesTotal: number;
}

/**
 * Progress of the snapshot in flight, per table: rows and bytes done against the planner's
 * estimates, rate and ETA. Logged every LOG_INTERVAL_MS while copying, with a one-line summary at
 * the end; read by the metrics and the health details. Holds no row values.
 */
@Injectable()
export class SnapshotProgress {
  static readonly LOG_INTERVAL_MS = 5_000;
  private readonly logger = new Logger('Snapshot');
  private readonly tables = new Map<string, TableProgress>();
  private startedAt = 0;
  private finishedAt = 0;
  private timer?: NodeJS.Timeout;
  private lastLogged = new Map<string, number>();
  active = false;

  begin(tables: { table: string; rowsTotal: number; bytesTotal: number; rangesTotal: number }[]): void {
    this.tables.clear();
    this.lastLogged.clear();
    for (const t of tables) this.tables.set(t.table, { ...t, rowsDone: 0, bytesDone: 0, rangesDone: 0 });
    this.startedAt = Date.now();
    this.finishedAt = 0;
    this.active = true;
    clearInterval(this.timer);
    this.timer = setInterval(() => this.logProgress(), SnapshotProgress.LOG_INTERVAL_MS);
    this.timer.unref();
  }

  /** Rows and bytes committed on the target (a range already done in an earlier run counts too). */
  add(table: string, rows: number, bytes: number): void {
    const t = this.tables.get(table);
    if (!t) return;
    t.rowsDone += rows;
    t.bytesDone += bytes;
    if (t.rowsDone > t.rowsTotal) t.rowsTotal = t.rowsDone;
  }

  rangeDone(table: string): void {
    const t = this.tables.get(table);
    if (t) t.rangesDone++;
  }

  /** Stops the periodic log; returns the summary line. */
  end(): string {
    clearInterval(this.timer);
    this.active = false;
    this.finishedAt = Date.now();
    const { rows, bytes } = this.totals();
    const seconds = Math.max(0.001, (this.finishedAt - this.startedAt) / 1000);
    return (
      `snapshot done: ${this.tables.size} tables, ${rows} rows, ${mb(bytes)} MB in ${seconds.toFixed(1)} s ` +
      `(${Math.round(rows / seconds)} rows/s, ${(bytes / 1e6 / seconds).toFixed(1)} MB/s)`
    );
  }

  abort(): void {
    clearInterval(this.timer);
    this.active = false;
  }

  get all(): TableProgress[] {
    return [...this.tables.values()];
  }

  totals(): { rows: number; bytes: number; rowsTotal: number } {
    let rows = 0;
    let bytes = 0;
    let rowsTotal = 0;
    for (const t of this.tables.values()) {
      rows += t.rowsDone;
      bytes += t.bytesDone;
      rowsTotal += t.rowsTotal;
    }
    return { rows, bytes, rowsTotal };
  }

  private logProgress(): void {
    const elapsed = (Date.now() - this.startedAt) / 1000;
    for (const t of this.tables.values()) {
      if (t.rangesDone === t.rangesTotal || t.rowsDone === 0 || this.lastLogged.get(t.table) === t.rowsDone) continue;
      this.lastLogged.set(t.table, t.rowsDone);
      const rate = t.rowsDone / Math.max(elapsed, 0.001);
      const eta = rate > 0 ? Math.max(0, (t.rowsTotal - t.rowsDone) / rate) : NaN;
      const pct = t.rowsTotal > 0 ? Math.min(100, (100 * t.rowsDone) / t.rowsTotal) : 0;
      this.logger.log(
        `snapshot ${t.table}: ${t.rowsDone}/${t.rowsTotal} rows (${pct.toFixed(0)}%), ${mb(t.bytesDone)} MB, ` +
          `${Math.round(rate)} rows/s, ETA ${Number.isFinite(eta) ? `${Math.round(eta)} s` : '?'}`,
      );
    }
    const { rows, rowsTotal } = this.totals();
    this.logger.log(`snapshot: ${rows}/${rowsTotal} rows in ${elapsed.toFixed(0)} s (${Math.round(rows / Math.max(elapsed, 0.001))} rows/s)`);
  }
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}
