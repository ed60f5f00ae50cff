import { Inject, Injectable, Logger } from '@nestjs/common';
import { CHANGE_BUFFER, ChangeBuffer } from '@kasho/buffer';
import { Position } from '@kasho/contracts';
import { WalReader } from '@kasho/replication';
import { CaptureMetrics } from '../metrics/capture.metrics';
import { SlotProgress } from './slot-progress';

/**
 * Confirms the replication slot, never beyond what the target durably applied (I2, {@link SlotProgress}),
 * and trims the buffer through the applied position. Also answers the source's keepalives: an idle
 * slot with nothing pending follows the server's WAL end, so it does not hold WAL forever.
 */
@Injectable()
export class SlotAcknowledger {
  private readonly logger = new Logger(SlotAcknowledger.name);

  constructor(
    private readonly reader: WalReader,
    @Inject(CHANGE_BUFFER) private readonly buffer: ChangeBuffer,
    private readonly progress: SlotProgress,
    private readonly metrics: CaptureMetrics,
  ) {}

  /** The translicator reports a commit durably applied on the target (a commit entry of the buffer, checked by the caller). */
  async recordApplied(position: Position, commitEndLsn: bigint): Promise<void> {
    if (!this.progress.applied(position, commitEndLsn)) return;
    await this.buffer.setApplied(position);
    await this.buffer.trimThrough(position);
    await this.acknowledge();
  }

  /** A keepalive from the source (the WAL reader's handler). */
  async onKeepalive(walEnd: bigint, shouldRespond: boolean, idle: boolean): Promise<void> {
    const next = this.progress.nextAck(walEnd, idle);
    if (next !== null) await this.sendAck(next);
    else if (shouldRespond) await this.keepAlive();
  }

  /** Re-sends the last acknowledged position: a status update that keeps the connection alive. */
  async keepAlive(): Promise<void> {
    await this.reader.acknowledge(this.progress.lastAcknowledged).catch(() => undefined);
  }

  private async acknowledge(): Promise<void> {
    const next = this.progress.nextAck();
    if (next !== null) await this.sendAck(next);
  }

  private async sendAck(lsn: bigint): Promise<void> {
    try {
      await this.reader.acknowledge(lsn);
      this.progress.markAcknowledged(lsn);
    } catch (err) {
      this.metrics.recordError('ack');
      this.logger.warn(`Could not acknowledge the slot: ${(err as Error).message}`);
    }
  }
}
