import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PublicationSwitchError, SourceSetupService } from '@kasho/replication';
import { Backoff, sleep } from '@kasho/runtime';
import { CaptureMetrics } from '../metrics/capture.metrics';
import { CaptureGate } from './capture-gate';
import { CaptureSession } from './capture-session';
import { CaptureState } from './capture-state';

/**
 * The capture loop: source WAL → Redis buffer, one {@link CaptureSession} after another. Any failure
 * (source, Redis, a Redis that came back empty) ends the session and restarts decoding from the
 * slot after a backoff; the slot still holds everything not applied, so nothing is skipped. The
 * {@link CaptureGate} stops it: for good (shutdown), parked (snapshot), or for a rebuild (a hole).
 */
@Injectable()
export class CaptureService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CaptureService.name);
  private readonly backoff = new Backoff();
  private loop?: Promise<void>;

  constructor(
    private readonly setup: SourceSetupService,
    private readonly gate: CaptureGate,
    private readonly session: CaptureSession,
    private readonly state: CaptureState,
    private readonly metrics: CaptureMetrics,
  ) {}

  /** Source setup errors (privileges, wal_level, slot in use) are fatal at boot: they need a person. */
  async onApplicationBootstrap(): Promise<void> {
    await this.setup.ensure();
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.gate.close();
    await this.session.stop();
    await this.loop;
    this.state.set('stopped');
  }

  private async run(): Promise<void> {
    while (!this.gate.closed) {
      if (this.gate.suspended) {
        await this.park();
        continue;
      }
      try {
        const reason = await this.session.run(() => {
          this.state.set('streaming');
          this.logger.log('Streaming changes from the source');
          this.backoff.reset();
        });
        if (this.gate.closed) break;
        if (this.gate.suspended) continue;
        throw reason;
      } catch (err) {
        if (this.gate.closed) break;
        if (this.gate.suspended || this.gate.isRebuilding(err)) {
          await this.session.stop();
          continue;
        }
        if (err instanceof PublicationSwitchError) {
          // Not a failure: the slot has passed the creation of the second publication (an upgrade).
          this.logger.warn(`${err.message}`);
          await this.session.stop();
          continue;
        }
        const error = err as Error;
        const delay = this.backoff.next();
        this.state.set('retrying', error.message);
        this.metrics.recordError('capture');
        this.logger.error(`Capture stopped: ${error.message}; restarting from the slot in ${delay} ms`);
        await this.session.stop();
        await sleep(delay, this.gate.signal);
      }
    }
  }

  /** Suspended (snapshot): the replication connection closes and the append in flight ends before the loop parks. */
  private async park(): Promise<void> {
    this.state.set('snapshot');
    await this.session.stop();
    await this.session.drained();
    await this.gate.park();
    this.backoff.reset();
  }
}
