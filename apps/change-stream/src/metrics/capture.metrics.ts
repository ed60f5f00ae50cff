import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { CHANGE_BUFFER, ChangeBuffer } from '@kasho/buffer';
import { ChangeEnvelope } from '@kasho/contracts';
import { ChangeTally, ErrorMetrics } from '@kasho/metrics';
import { SLOT_WAL_STATUSES, SlotLagProbe } from '@kasho/replication';
import { withTimeout } from '@kasho/runtime';
import { CaptureState } from '../capture/capture-state';

/** A scrape never waits longer than this on Redis or the source; the gauge keeps its last value. */
const PROBE_TIMEOUT_MS = 1_000;

/**
 * pg-change-stream's instruments. Counting is per batch (one map update per change, one counter
 * call per table and kind); the gauges that need Redis or the source are read when scraped.
 */
@Injectable()
export class CaptureMetrics {
  private readonly capturedTotal: Counter<'table' | 'kind'>;
  private readonly skippedDdlTotal: Counter<'tag'>;
  private readonly tally = new ChangeTally();

  constructor(
    registry: Registry,
    state: CaptureState,
    @Inject(CHANGE_BUFFER) buffer: ChangeBuffer,
    slotLag: SlotLagProbe,
    private readonly errors: ErrorMetrics,
  ) {
    const registers = [registry];
    this.capturedTotal = new Counter({
      name: 'kasho_changes_captured_total',
      help: 'Changes read from the source WAL and buffered, by table (schema.table) and kind (insert, update, delete, truncate, ddl).',
      labelNames: ['table', 'kind'],
      registers,
    });
    this.skippedDdlTotal = new Counter({
      name: 'kasho_ddl_skipped_total',
      help: 'Commands run inside a function, procedure or DO block on the source that could not be derived from the catalog, so were not replicated, by command tag (counted each time they are decoded).',
      labelNames: ['tag'],
      registers,
    });
    new Gauge({
      name: 'kasho_buffer_depth',
      help: 'Changes in the Redis buffer beyond the applied position.',
      registers,
      async collect() {
        const depth = await withTimeout(buffer.length(), PROBE_TIMEOUT_MS, 'timeout').catch(() => undefined);
        if (depth !== undefined) this.set(depth);
      },
    });
    new Gauge({
      name: 'kasho_replication_lag_bytes',
      help: "Bytes of WAL between the source's current position and the slot's confirmed (applied) position.",
      registers,
      async collect() {
        const lag = await withTimeout(slotLag.lagBytes(), PROBE_TIMEOUT_MS, 'timeout').catch(() => undefined);
        if (lag !== undefined && lag !== null) this.set(lag);
      },
    });
    const slotWal = () => withTimeout(slotLag.slotWal(), PROBE_TIMEOUT_MS, 'timeout').catch(() => undefined);
    new Gauge({
      name: 'kasho_replication_retained_wal_bytes',
      help: "Bytes of WAL the source keeps for the slot: between its restart_lsn and the source's current position (alert on it: a stopped pipeline keeps it growing).",
      registers,
      async collect() {
        const retained = (await slotWal())?.retainedBytes;
        if (retained !== undefined && retained !== null) this.set(retained);
      },
    });
    new Gauge({
      name: 'kasho_replication_slot_wal_status',
      help: "1 for the slot's current wal_status (reserved, extended, unreserved: past max_slot_wal_keep_size, lost: its WAL is gone), 0 for the others.",
      labelNames: ['wal_status'],
      registers,
      async collect() {
        const wal = await slotWal();
        if (wal === undefined) return;
        for (const status of SLOT_WAL_STATUSES) this.labels(status).set(wal?.walStatus === status ? 1 : 0);
      },
    });
    new Gauge({
      name: 'kasho_capture_paused',
      help: '1 while WAL reading is paused by MAX_BUFFERED_CHANGES / MAX_BUFFERED_BYTES backpressure, else 0.',
      registers,
      collect() {
        this.set(state.phase === 'paused' ? 1 : 0);
      },
    });
  }

  /** A batch is durably in the buffer. */
  recordCaptured(changes: readonly ChangeEnvelope[]): void {
    this.tally.add(changes);
    this.tally.flushTo(this.capturedTotal);
  }

  /** A nested DDL command that was not replicated (WalReader logs it with its object). */
  recordSkippedDdl(tag: string): void {
    this.skippedDdlTotal.labels(tag).inc();
  }

  /** `kind`: `capture` (the loop restarts from the slot), `ack` (the slot could not be acknowledged). */
  recordError(kind: 'capture' | 'ack'): void {
    this.errors.record(kind);
  }
}
