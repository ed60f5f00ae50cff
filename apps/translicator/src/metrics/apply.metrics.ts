import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ApplyError } from '@kasho/apply';
import { ChangeEnvelope } from '@kasho/contracts';
import { ChangeTally, ErrorMetrics } from '@kasho/metrics';
import { TransformError } from '@kasho/transforms';
import { ApplyState } from '../state/apply-state';

export type ApplyErrorKind = 'transform' | 'apply' | 'stream' | 'other';
export const APPLY_ERROR_KINDS: readonly ApplyErrorKind[] = ['transform', 'apply', 'stream', 'other'];

/**
 * pg-translicator's apply instruments. Changes written into the open target transaction are
 * tallied per table and kind and reach the counter only when that transaction commits (a rolled
 * back one counts nothing); one observation per target transaction for the histograms.
 */
@Injectable()
export class ApplyMetrics {
  private readonly appliedTotal: Counter<'table' | 'kind'>;
  private readonly applyLag: Gauge;
  private readonly batchChanges: Histogram;
  private readonly duration: Histogram;
  private readonly ddlSkippedTotal: Counter<'rule' | 'tag'>;
  private readonly tally = new ChangeTally();
  /** DDL the policy skipped in the open target transaction: counted when it commits. */
  private skippedDdl: Array<{ rule: string; tag: string }> = [];
  private startedAt?: number;

  constructor(
    registry: Registry,
    state: ApplyState,
    private readonly errors: ErrorMetrics,
  ) {
    const registers = [registry];
    this.appliedTotal = new Counter({
      name: 'kasho_changes_applied_total',
      help: 'Changes committed on the target, by table (schema.table) and kind (insert, update, delete, truncate, ddl).',
      labelNames: ['table', 'kind'],
      registers,
    });
    this.ddlSkippedTotal = new Counter({
      name: 'kasho_ddl_skipped_total',
      help: 'Replicated DDL statements the DDL policy skipped (docs/ddl-policy.md), by rule and command tag; counted when their target transaction commits.',
      labelNames: ['rule', 'tag'],
      registers,
    });
    this.applyLag = new Gauge({
      name: 'kasho_apply_lag_seconds',
      help: 'Age of the last applied source commit when it was applied on the target (now - source commit time).',
      registers,
    });
    new Gauge({
      name: 'kasho_last_apply_age_seconds',
      help: 'Seconds since the last target commit (since start when none yet); grows on an idle source too.',
      registers,
      collect() {
        const since = state.lastAppliedAt?.getTime() ?? STARTED_AT;
        this.set((Date.now() - since) / 1_000);
      },
    });
    this.batchChanges = new Histogram({
      name: 'kasho_apply_batch_changes',
      help: 'Changes per target transaction.',
      buckets: [1, 10, 50, 100, 500, 1_000, 2_500, 5_000, 10_000, 50_000],
      registers,
    });
    this.duration = new Histogram({
      name: 'kasho_apply_duration_seconds',
      help: 'Duration of a target transaction, from BEGIN to COMMIT.',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
  }

  /** A target transaction began. */
  began(): void {
    this.tally.clear();
    this.skippedDdl = [];
    this.startedAt = performance.now();
  }

  /** Changes were written into the open target transaction. */
  written(changes: readonly ChangeEnvelope[]): void {
    this.tally.add(changes);
  }

  /** The open target transaction committed, holding `changes` changes; the last source commit was at `commitTimeMicros`. */
  committed(changes: number, commitTimeMicros: string | bigint): void {
    this.tally.flushTo(this.appliedTotal);
    for (const { rule, tag } of this.skippedDdl) this.ddlSkippedTotal.inc({ rule, tag });
    this.skippedDdl = [];
    this.batchChanges.observe(changes);
    if (this.startedAt !== undefined) this.duration.observe((performance.now() - this.startedAt) / 1_000);
    this.startedAt = undefined;
    const commitMs = Number(BigInt(commitTimeMicros) / 1_000n);
    if (commitMs > 0) this.applyLag.set(Math.max(0, (Date.now() - commitMs) / 1_000));
  }

  /** The open target transaction was rolled back: nothing of it counts as applied. */
  rolledBack(): void {
    this.tally.clear();
    this.skippedDdl = [];
    this.startedAt = undefined;
  }

  /** The DDL policy skipped a statement in the open target transaction. */
  ddlSkipped(rule: string, tag: string): void {
    this.skippedDdl.push({ rule, tag });
  }

  recordError(err: unknown): void {
    this.errors.record(classify(err));
  }
}

const STARTED_AT = Date.now();

function classify(err: unknown): ApplyErrorKind {
  if (err instanceof TransformError) return 'transform';
  if (err instanceof ApplyError) return 'apply';
  // gRPC errors from the change stream carry a numeric status code and details.
  if (err && typeof err === 'object' && typeof (err as { code?: unknown }).code === 'number' && 'details' in err) return 'stream';
  return 'other';
}
