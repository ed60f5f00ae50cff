import { Inject, Injectable, Logger } from '@nestjs/common';
import { CHANGE_BUFFER, ChangeBuffer } from '@kasho/buffer';
import { Position } from '@kasho/contracts';
import { ErrorMetrics } from '@kasho/metrics';
import { SlotAcknowledger } from '../capture/slot-acknowledger';
import { SlotProgress } from '../capture/slot-progress';
import { ConsumerLease } from './consumer-lease';
import { failedPrecondition, invalidArgument } from '../grpc/grpc-status.mapper';

/**
 * Acks, trusted no further than the server's own records (invariant I9): an ack names a stream that
 * is open and holds the lease, positions no further than what that stream sent, and an applied
 * position that is a commit entry in the buffer, whose commit end LSN is read from that entry. The
 * trim point and the slot LSN come only from there, never from what the client claims.
 */
@Injectable()
export class AckService {
  private readonly logger = new Logger(AckService.name);

  constructor(
    private readonly lease: ConsumerLease,
    @Inject(CHANGE_BUFFER) private readonly buffer: ChangeBuffer,
    private readonly acknowledger: SlotAcknowledger,
    private readonly progress: SlotProgress,
    private readonly errors: ErrorMetrics,
  ) {}

  /** No position: a heartbeat that renews the consumer's lease. */
  async ack(consumerId: string, received: Position | null, applied: Position | null): Promise<void> {
    const session = this.lease.session(consumerId);
    if (!session) {
      throw this.refuse(consumerId, 'no open stream has this consumer_id', failedPrecondition, 'it ended, or another consumer holds the change stream');
    }
    if (received && received.isAfter(session.lastSent)) {
      throw this.refuse(consumerId, `received_position ${received} is beyond the last position sent on this stream (${session.lastSent})`);
    }
    if (applied && applied.isAfter(session.lastSent)) {
      throw this.refuse(consumerId, `applied_position ${applied} is beyond the last position sent on this stream (${session.lastSent})`);
    }
    if (received) session.window.acknowledge(received);
    if (applied) await this.recordApplied(consumerId, applied);
  }

  private async recordApplied(consumerId: string, position: Position): Promise<void> {
    // A repeated or older ack (its entry may already be trimmed) changes nothing.
    if (!position.isAfter(this.progress.lastApplied)) return;
    const entry = await this.buffer.entryAt(position);
    if (!entry) throw this.refuse(consumerId, `applied_position ${position} is not in the buffer`, failedPrecondition);
    if (entry.change.kind !== 'commit') throw this.refuse(consumerId, `applied_position ${position} is not a commit`);
    await this.acknowledger.recordApplied(position, BigInt(entry.change.commitEndLsn));
  }

  private refuse(consumerId: string, reason: string, as = invalidArgument, hint = ''): Error {
    this.errors.record('ack');
    this.logger.warn(`Refused an Ack from consumer ${consumerId}: ${reason}`);
    return as(hint ? `${reason}: ${hint}` : reason);
  }
}
