import { Injectable, Logger } from '@nestjs/common';
import { Client } from 'pg';
import { ChangePayload, Position } from '@kasho/contracts';
import { ApplyState } from '../apply/apply-state';
import type { SnapshotGate } from '../apply/snapshot-gate';
import { TranslicatorEnv } from '../config/translicator.env';
import { CopyTransformers } from './copy-transformers';
import { ResyncFilter } from './resync-filter';
import { SnapshotRunner } from './snapshot-runner.service';
import { ensureSnapshotTables } from './snapshot-store';
import { TableResyncService } from './table-resync.service';
import { closeQuietly, openTargetSession } from './target-session';

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
    private readonly env: TranslicatorEnv,
    private readonly state: ApplyState,
  ) {}

  /**
   * Called with the lock held and the position just read. Returns true when a snapshot ran (the loop
   * then re-opens the applier to read the new position); false to follow the stream now.
   */
  async beforeFollow(opened: { position: Position; commitEndLsn: string | null; targetId: string }, signal: AbortSignal): Promise<boolean> {
    const mode = this.env.SNAPSHOT_MODE;
    if (mode !== 'never') {
      const force = mode === 'always' && !this.forcedDone;
      const reason = force ? 'SNAPSHOT_MODE=always' : opened.commitEndLsn === null ? 'the target has no Kasho position' : (await this.runner.inProgress()) ? 'a snapshot was interrupted' : '';
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
      client = await openTargetSession(this.env.REPLICA_DATABASE_URL, 'kasho-resync-filter', { synchronousCommit: true });
      await ensureSnapshotTables(client);
      await this.filter.load(client, applied);
    } finally {
      await closeQuietly(client);
    }
  }
}
