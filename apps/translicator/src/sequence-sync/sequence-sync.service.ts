import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Client } from 'pg';
import { openTargetSession, setSequencesForward } from '@kasho/apply';
import { closePg } from '@kasho/runtime';
import { SnapshotGrpcClient } from '../ingest/snapshot.client';
import { ApplyState } from '../state/apply-state';
import { SEQUENCE_SYNC_OPTIONS, SequenceSyncOptions } from './sequence-sync.module-definition';

/**
 * Logical replication carries rows, not sequence state: every SEQUENCE_SYNC_SECONDS the source's
 * sequence values are fetched (Snapshot.Sequences) and target sequences moved forward, never back,
 * so inserts on a promoted or test replica do not collide with replicated keys. Only while this
 * translicator is the writer, streaming.
 */
@Injectable()
export class SequenceSyncService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Sequences');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private target?: Client;
  private failures = 0;
  constructor(
    private readonly client: SnapshotGrpcClient,
    @Inject(SEQUENCE_SYNC_OPTIONS) private readonly options: SequenceSyncOptions,
    private readonly state: ApplyState,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.intervalSeconds <= 0) return;
    this.timer = setInterval(() => {
      if (!this.running && this.state.phase === 'streaming')
        this.running = this.syncOnce()
          .then(() => undefined)
          .finally(() => (this.running = undefined));
    }, this.options.intervalSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await closePg(this.target);
  }

  /** One round; returns how many target sequences moved. Never throws. */
  async syncOnce(): Promise<number> {
    try {
      const sequences = await this.client.sequences();
      this.target ??= await openTargetSession(this.options.targetUrl, 'kasho-sequences', { synchronousCommit: true });
      const moved = await setSequencesForward(this.target, sequences);
      if (moved > 0) this.logger.debug(`${moved} of ${sequences.length} target sequences moved forward`);
      this.failures = 0;
      return moved;
    } catch (err) {
      await closePg(this.target);
      this.target = undefined;
      if (this.failures++ % 20 === 0) this.logger.warn(`Sequence sync failed (retried every ${this.options.intervalSeconds} s): ${(err as Error).message}`);
      return 0;
    }
  }
}
