import type { Pool } from 'pg';
import type { DemoWriter } from './demo-writer';

export interface LagStats {
  /** The last heartbeat seen on the target. */
  seenSeq: number;
  /** ms between the source commit of `seenSeq` and the probe seeing it on the target. */
  lastMs?: number;
  avgMs?: number;
  maxMs?: number;
  samples: number;
  /** How long the oldest heartbeat not yet on the target has been waiting, if any. */
  pendingMs?: number;
}

/**
 * Replication lag, end to end: polls the target's `demo_heartbeat` every 100 ms and, when a new
 * seq appears, subtracts the time its source transaction committed. Resolution ~100 ms.
 */
export class LagProbe {
  private readonly stats: LagStats = { seenSeq: 0, samples: 0 };
  private total = 0;
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(
    private readonly target: Pool,
    private readonly writer: DemoWriter,
  ) {}

  start(intervalMs = 100): void {
    this.timer = setInterval(() => void this.poll(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  snapshot(): LagStats {
    const next = this.writer.committedAtOf(this.stats.seenSeq + 1);
    return { ...this.stats, pendingMs: next !== undefined ? Date.now() - next : undefined };
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const { rows } = await this.target.query<{ seq: string }>('SELECT seq::text FROM demo_heartbeat WHERE id = 1');
      const seq = Number(rows[0]?.seq ?? 0);
      if (seq > this.stats.seenSeq) {
        const committed = this.writer.committedAtOf(seq);
        this.stats.seenSeq = seq;
        if (committed !== undefined) {
          const lag = Math.max(0, Date.now() - committed);
          this.stats.lastMs = lag;
          this.stats.samples++;
          this.total += lag;
          this.stats.avgMs = Math.round(this.total / this.stats.samples);
          this.stats.maxMs = Math.max(this.stats.maxMs ?? 0, lag);
        }
      }
    } catch {
      // the table is not on the target yet (its DDL is still on the way)
    } finally {
      this.busy = false;
    }
  }
}
