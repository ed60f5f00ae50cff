import { Position } from '@kasho/contracts';
import { CreditWindow } from './credit-window';

/**
 * One open Stream call: who it serves (consumer id, target id), its flow-control window and the last
 * position sent on it. Acks are checked against `lastSent` (invariant I9): nothing beyond what this
 * stream sent can be acknowledged.
 */
export class StreamSession {
  private sent: Position;
  /** Last time the consumer showed it is alive (a send, an ack or a heartbeat). */
  lastActivity = Date.now();
  private onEnd?: (error: Error) => void;

  constructor(
    readonly consumerId: string,
    readonly targetId: string,
    readonly window: CreditWindow,
    after: Position,
  ) {
    this.sent = after;
  }

  /** The last position sent on this stream (its starting cursor before the first batch). */
  get lastSent(): Position {
    return this.sent;
  }

  recordSent(count: number, last: Position, bytes = 0): void {
    this.window.recordSent(count, last, bytes);
    this.sent = last;
    this.lastActivity = Date.now();
  }

  /** Called once when the stream must end from outside (superseded, lease expired). */
  whenEnded(listener: (error: Error) => void): void {
    this.onEnd = listener;
  }

  end(error: Error): void {
    const listener = this.onEnd;
    this.onEnd = undefined;
    listener?.(error);
  }
}
