import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client } from 'pg';
import { ensureSnapshotTables, openTargetSession } from '@kasho/apply';
import { ChangePayload, Position } from '@kasho/contracts';
import { closePg } from '@kasho/runtime';
import { ResyncFilter } from '../resync/resync-filter';
import { TableResyncService } from '../resync/table-resync.service';
import { ApplyState } from '../state/apply-state';
import { CopyTransformers } from '../copy-transform/copy-transformers';
import { SNAPSHOT_OPTIONS, SnapshotOptions } from './snapshot.module-definition';
import type { SnapshotGate } from '../apply/snapshot-gate';
import { SnapshotRunner } from './snapshot-runner.service';

/**
 * What the apply loop asks of the snapshot capability, at its few decision points:
 * - after taking the target's lock: is a snapshot needed (SNAPSHOT_MODE: auto = when the target has
 *   no position or a snapshot is half done; always = once per process start; never), and run it;
 * - per change: is it already in a table resync's copy;
 * - at a transaction boundary: run requested table resyncs.
 */
@Injectable()
export class SnapshotCoordinator implements SnapshotGate {
  private readonly logger = new Logger('Snapshot');
  private forcedDone = false;

  constructor(
    private readonly runner: SnapshotRunner,
    private readonly resyncs: TableResyncService,
    private readonly filter: ResyncFilter,
    private readonly transformers: CopyTransformers,
    @Inject(SNAPSHOT_OPTIONS) private readonly options: SnapshotOptions,
    private readonly state: ApplyState,
  ) {}

  /**
   * Called with the lock held and the position just read. Returns true when a snapshot ran (the loop
   * then re-opens the applier to read the new position); false to follow the stream now.
   */
  async beforeFollow(opened: { position: Position; commitEndLsn: string | null; targetId: string }, signal: AbortSignal): Promise<boolean> {
    const mode = this.options.mode;
    if (mode !== 'never') {
      const force = mode === 'always' && !this.forcedDone;
      const reason = force
        ? 'SNAPSHOT_MODE=always'
        : opened.commitEndLsn === null
          ? 'the target has no Kasho position'
          : (await this.runner.inProgress())
            ? 'a snapshot was interrupted'
            : '';
      if (reason) {
        this.logger.log(`Initial snapshot: ${reason}`);
        this.state.set('snapshot');
        await this.runner.run(opened.position, opened.targetId, signal);
        this.forcedDone = true;
        return true;
      }
    }
    // The transform threads loaded at boot in case a snapshot was due: not needed now.
    await this.transformers.close();
    await this.loadFilter(opened.position);
    return false;
  }

  keep(change: ChangePayload, position: Position): ChangePayload | null {
    return this.filter.keep(change, position);
  }

  get resyncPending(): boolean {
    return this.resyncs.pending;
  }

  get resyncWakeSignal(): AbortSignal {
    return this.resyncs.wakeSignal;
  }

  runResyncs(): Promise<void> {
    return this.resyncs.runPending();
  }

  private async loadFilter(applied: Position): Promise<void> {
    let client: Client | undefined;
    try {
      client = await openTargetSession(this.options.targetUrl, 'kasho-resync-filter', { synchronousCommit: true });
      await ensureSnapshotTables(client);
      await this.filter.load(client, applied);
    } finally {
      await closePg(client);
    }
  }
}
