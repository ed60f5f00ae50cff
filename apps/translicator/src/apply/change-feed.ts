import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { ChangeEnvelope, Position } from '@kasho/contracts';
import { BatchQueue } from '../ingest/batch-queue';
import { ChangeStreamGrpcClient } from '../ingest/change-stream.client';
import { APPLY_LOOP_OPTIONS } from './apply-loop.module-definition';
import { ApplyLoopOptions } from './apply-loop.options';

type Progress = Parameters<ChangeStreamGrpcClient['ack']>[1];

/** One stream session: batches in arrival order, and progress acknowledged on the same consumer. */
export class FeedSession {
  constructor(
    private readonly queue: BatchQueue,
    private readonly subscription: Subscription,
    private readonly acknowledge: (progress: Progress) => void,
  ) {}

  /** The next batch; undefined when the stream ended or `signal` is aborted; throws the stream's error. */
  take(signal: AbortSignal): Promise<ChangeEnvelope[] | undefined> {
    return this.queue.take(signal);
  }

  /** True when a batch is waiting right now. */
  get hasReady(): boolean {
    return this.queue.hasReady;
  }

  /** Acks are idempotent progress reports; a lost one only delays slot/window advance until the next. */
  ack(progress: Progress): void {
    this.acknowledge(progress);
  }

  close(): void {
    this.subscription.unsubscribe();
  }
}

/** Opens stream sessions on pg-change-stream for the apply loop (STREAM_WINDOW changes in flight). */
@Injectable()
export class ChangeFeed {
  private readonly logger = new Logger(ChangeFeed.name);
  /** The last acknowledgement sent (never rejects), for shutdown to wait for. */
  private lastAck?: Promise<void>;

  constructor(
    private readonly stream: ChangeStreamGrpcClient,
    @Inject(APPLY_LOOP_OPTIONS) private readonly options: Pick<ApplyLoopOptions, 'streamWindow'>,
  ) {}

  /** A stream of the changes after `after` for target `targetId` (its stable identity, sent with every stream). */
  open(after: Position, targetId: string): FeedSession {
    const { consumerId, batches } = this.stream.open(after, this.options.streamWindow, targetId);
    const queue = new BatchQueue();
    const subscription = batches.subscribe({ next: (b) => queue.push(b), error: (e: Error) => queue.fail(e), complete: () => queue.end() });
    return new FeedSession(queue, subscription, (progress) => {
      this.lastAck = this.stream.ack(consumerId, progress).catch((err: Error) => this.logger.debug(`ack failed: ${err.message}`));
    });
  }

  /** Settles once the last acknowledgement sent has (undefined when none was sent). */
  get acknowledged(): Promise<void> | undefined {
    return this.lastAck;
  }
}
