import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { loadDdlPolicy } from '@kasho/apply';
import { sleep } from '@kasho/runtime';
import { ApplyProgress } from './apply-progress';
import { ApplySession } from './apply-session';
import { ApplyShutdown } from './apply-shutdown';
import { ApplyState } from '../state/apply-state';
import { ChangeFeed } from './change-feed';

/**
 * Stream → transform → apply, exactly once (invariant I3): the changes of one or more whole source
 * transactions and the new applied position are committed in one target transaction; a change at
 * or below the applied position is skipped. Any failure rolls back, reconnects, re-reads the
 * position from the target and resumes from there, with backoff; it never skips a change (I6),
 * except the one source transaction an operator names with `kasho skip` (docs/operations.md): the
 * change it is stopped at is recorded on the target; while stopped, each target transaction holds one
 * source transaction, so a failure's position names exactly one.
 *
 * This class runs the attempts (ApplySession) and the shutdown; a session follows the stream
 * (StreamFollower), whose batches become target transactions (TransactionBatcher, TargetTransaction).
 */
@Injectable()
export class ReplicationLoopService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReplicationLoopService.name);
  private loop?: Promise<void>;

  constructor(
    private readonly session: ApplySession,
    private readonly progress: ApplyProgress,
    private readonly shutdown: ApplyShutdown,
    private readonly feed: ChangeFeed,
    private readonly state: ApplyState,
  ) {}

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  /** Resolves once the loop has stopped (for tests). */
  stopped(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  /**
   * Intake stops first: no new target transaction begins. The one in flight takes the rest of its
   * source transaction from the batches still arriving, commits and is acknowledged, if that
   * completes within half of SHUTDOWN_TIMEOUT_MS; otherwise it is rolled back (and re-applied after
   * the restart). Then connections close.
   */
  async onApplicationShutdown(): Promise<void> {
    this.shutdown.begin();
    if (!(await this.shutdown.settles(this.loop, 0.7))) {
      // Stuck in a query (e.g. waiting for the advisory lock): ending the session makes it fail.
      this.logger.warn('the apply loop did not stop in time; closing the target connection');
      await this.shutdown.settles(this.session.close(), 0.1);
      await this.shutdown.settles(this.loop, 0.1);
    }
    this.shutdown.end();
    if (this.feed.acknowledged) await this.shutdown.settles(this.feed.acknowledged, 0.1);
    await this.session.close().catch(() => undefined);
    this.state.set('stopped');
    this.logger.log(`Stopped at applied position ${this.progress.applied}`);
  }

  private async run(): Promise<void> {
    await loadDdlPolicy();
    while (!this.shutdown.stopping) {
      try {
        this.state.set('waiting-for-lock');
        await this.session.run(this.shutdown.signal);
      } catch (err) {
        if (this.shutdown.stopping) break;
        const { message, delay } = await this.progress.failed(err);
        this.logger.error(`Apply stopped: ${message}; retrying in ${delay} ms`);
        await sleep(delay, this.shutdown.signal);
      } finally {
        await this.session.end();
      }
    }
  }
}
