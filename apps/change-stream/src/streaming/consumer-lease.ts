import { Injectable, Logger } from '@nestjs/common';
import { StreamSession } from './stream-session';
import { failedPrecondition } from '../grpc/grpc-status.mapper';
import { ConsumerConflictError } from './streaming.errors';

/**
 * One consumer per change stream (invariant I9): the buffer has one trim point and the slot one
 * confirmed position, so two targets reading it would cost each other changes. The lease belongs to
 * one target (its stable identity, `target_id`). A Stream or full snapshot Prepare for another target
 * is refused while the lease is live; the same target (a hot standby that took the target's advisory
 * lock, or a reconnect) takes over at once and ends the earlier stream.
 *
 * The lease is live while its holder shows signs of life (stream sends, acks, heartbeats every few
 * seconds, snapshot calls) and for TIMEOUT_MS after the last one. So a holder killed with -9, or one
 * behind a dead network, frees it after a bounded time; a translicator reconnecting after a transient
 * error is not overtaken by another target in between.
 */
@Injectable()
export class ConsumerLease {
  static readonly TIMEOUT_MS = 30_000;
  private readonly logger = new Logger(ConsumerLease.name);
  private holder?: { targetId: string; lastSeen: number; session?: StreamSession };

  /** A stream for `session.targetId`: takes (or keeps) the lease and supersedes that target's earlier stream. */
  attach(session: StreamSession): void {
    this.claim(session.targetId, 'stream');
    const holder = this.holder!;
    const previous = holder.session;
    holder.session = session;
    if (previous && previous !== session) {
      this.logger.log(`Consumer ${previous.consumerId} superseded by ${session.consumerId} of the same target`);
      previous.end(failedPrecondition('superseded by a newer stream of the same target'));
    }
  }

  /**
   * Takes the lease for `targetId` (a full snapshot, which re-creates the slot, or a stream).
   * Throws ConsumerConflictError while another target's lease is live.
   */
  claim(targetId: string, what: 'stream' | 'snapshot'): void {
    const now = Date.now();
    const holder = this.holder;
    if (holder && holder.targetId !== targetId) {
      const idleMs = now - this.lastSeen(holder);
      if (idleMs < ConsumerLease.TIMEOUT_MS) {
        this.logger.warn(`Refused a ${what} for target ${shortId(targetId)}: target ${shortId(holder.targetId)} holds the change stream`);
        throw new ConsumerConflictError(
          `another target (${shortId(holder.targetId)}…) is consuming this change stream; one pg-change-stream serves one target database ` +
            `(one slot, one buffer, one trim point). Give this target its own pg-change-stream (its own REPLICATION_SLOT and BUFFER_NAME), ` +
            `or stop the other translicator: its lease ends ${Math.ceil(ConsumerLease.TIMEOUT_MS / 1000)} s after its last sign of life`,
        );
      }
      this.logger.warn(
        `The lease of target ${shortId(holder.targetId)} expired (no sign of life for ${Math.round(idleMs / 1000)} s); target ${shortId(targetId)} takes it`,
      );
      holder.session?.end(failedPrecondition('the consumer lease expired: another target took the change stream'));
      this.holder = undefined;
    }
    if (!this.holder) {
      this.holder = { targetId, lastSeen: now };
      this.logger.log(`Target ${shortId(targetId)} holds the change stream (${what})`);
    } else {
      this.holder.lastSeen = now;
    }
  }

  /** The stream ended: the target keeps the lease for TIMEOUT_MS from now, to reconnect. */
  detach(session: StreamSession): void {
    if (this.holder?.session !== session) return;
    this.holder.session = undefined;
    this.holder.lastSeen = Date.now();
  }

  /** The current stream `consumerId`, its lease renewed; undefined when no open stream has that id. */
  session(consumerId: string): StreamSession | undefined {
    const session = this.holder?.session;
    if (!session || session.consumerId !== consumerId) return undefined;
    session.lastActivity = Date.now();
    return session;
  }

  /** A snapshot call of the holder renews its lease. */
  touch(targetId: string): void {
    if (this.holder?.targetId === targetId) this.holder.lastSeen = Date.now();
  }

  private lastSeen(holder: { lastSeen: number; session?: StreamSession }): number {
    return Math.max(holder.lastSeen, holder.session?.lastActivity ?? 0);
  }
}

/** Enough of a target id to tell targets apart in a message. */
function shortId(targetId: string): string {
  return targetId.slice(0, 8);
}
