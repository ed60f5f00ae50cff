import { Injectable } from '@nestjs/common';
import { Position } from '@kasho/contracts';

/**
 * What has been buffered versus durably applied on the target (invariant I2). The slot may be
 * acknowledged only up to the commit end LSN the translicator reports as applied; when nothing is
 * pending, up to the server's WAL position so an idle slot does not hold WAL forever.
 */
@Injectable()
export class SlotProgress {
  private bufferedCommitEnd = 0n;
  private appliedCommitEnd = 0n;
  private appliedPosition: Position = Position.ZERO;
  private acknowledged = 0n;

  /** Called once a whole transaction is in the buffer. */
  buffered(commitEndLsn: bigint): void {
    if (commitEndLsn > this.bufferedCommitEnd) this.bufferedCommitEnd = commitEndLsn;
  }

  /** Called when the translicator reports a durable commit. Returns true if it moved forward. */
  applied(position: Position, commitEndLsn: bigint): boolean {
    if (!position.isAfter(this.appliedPosition)) return false;
    this.appliedPosition = position;
    if (commitEndLsn > this.appliedCommitEnd) this.appliedCommitEnd = commitEndLsn;
    return true;
  }

  get lastApplied(): Position {
    return this.appliedPosition;
  }

  get lastAppliedCommitEnd(): bigint {
    return this.appliedCommitEnd;
  }

  /** True when every buffered transaction has been applied on the target. */
  get nothingPending(): boolean {
    return this.bufferedCommitEnd <= this.appliedCommitEnd;
  }

  /**
   * The LSN to acknowledge now, or null when it would not move the slot forward.
   * `serverWalEnd` (from a keepalive) counts only when the reader is idle and nothing is pending.
   */
  nextAck(serverWalEnd?: bigint, readerIdle = false): bigint | null {
    let target = this.appliedCommitEnd;
    if (serverWalEnd !== undefined && readerIdle && this.nothingPending && serverWalEnd > target) target = serverWalEnd;
    if (target <= this.acknowledged) return null;
    return target;
  }

  markAcknowledged(lsn: bigint): void {
    if (lsn > this.acknowledged) this.acknowledged = lsn;
  }

  get lastAcknowledged(): bigint {
    return this.acknowledged;
  }

  /**
   * The slot was re-created for a snapshot at `consistentLsn`: everything before it is in the
   * snapshot (applied as `position`), nothing of the new slot is buffered or acknowledged yet.
   */
  restartAt(position: Position, consistentLsn: bigint): void {
    this.appliedPosition = position;
    this.appliedCommitEnd = consistentLsn;
    this.acknowledged = consistentLsn;
    this.bufferedCommitEnd = 0n;
  }
}
