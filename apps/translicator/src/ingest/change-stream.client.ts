import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ClientGrpc } from '@nestjs/microservices';
import { Observable, lastValueFrom, map } from 'rxjs';
import { randomUUID } from 'node:crypto';
import { CHANGE_STREAM_SERVICE_NAME, ChangeEnvelope, ChangeStreamClient, Position, fromWireBatch } from '@kasho/contracts';
import { CHANGE_STREAM_GRPC_CLIENT } from './ingest.tokens';

/** The translicator's side of kasho.v1.ChangeStream; the only place that knows the proto shapes here. */
@Injectable()
export class ChangeStreamGrpcClient implements OnModuleInit {
  /** Well inside pg-change-stream's consumer lease (ConsumerLease.TIMEOUT_MS). */
  static readonly HEARTBEAT_MS = 5_000;
  private service!: ChangeStreamClient;

  constructor(@Inject(CHANGE_STREAM_GRPC_CLIENT) private readonly client: ClientGrpc) {}

  onModuleInit(): void {
    this.service = this.client.getService<ChangeStreamClient>(CHANGE_STREAM_SERVICE_NAME);
  }

  /**
   * Opens a stream of change batches after `after` for target `targetId` (its stable identity, see
   * TargetApplier.open); returns it with the consumer id to ack with. While subscribed, a heartbeat
   * Ack every few seconds keeps this consumer's lease on pg-change-stream (one consumer per stream).
   */
  open(after: Position, window: number, targetId: string): { consumerId: string; batches: Observable<ChangeEnvelope[]> } {
    const consumerId = randomUUID();
    const stream = this.service
      .Stream({ after_position: after === Position.ZERO ? '' : after.toString(), window, consumer_id: consumerId, target_id: targetId })
      .pipe(map(fromWireBatch));
    const batches = new Observable<ChangeEnvelope[]>((subscriber) => {
      const heartbeat = setInterval(() => void this.ack(consumerId, {}).catch(() => undefined), ChangeStreamGrpcClient.HEARTBEAT_MS);
      const subscription = stream.subscribe(subscriber);
      return () => {
        clearInterval(heartbeat);
        subscription.unsubscribe();
      };
    });
    return { consumerId, batches };
  }

  /** Progress of stream `consumerId`; the server derives the commit end LSN from its own buffer. No position: a heartbeat. */
  async ack(consumerId: string, progress: { received?: Position; applied?: Position }): Promise<void> {
    await lastValueFrom(
      this.service.Ack({
        consumer_id: consumerId,
        received_position: progress.received?.toString() ?? '',
        applied_position: progress.applied?.toString() ?? '',
      }),
    );
  }
}
