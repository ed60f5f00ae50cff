import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ClientGrpc } from '@nestjs/microservices';
import { Observable, lastValueFrom, map } from 'rxjs';
import { randomUUID } from 'node:crypto';
import { CHANGE_STREAM_SERVICE_NAME, ChangeEnvelope, ChangeStreamClient, Position, fromWireBatch } from '@kasho/contracts';
import { CHANGE_STREAM_GRPC_CLIENT } from './ingest.tokens';

/** The translicator's side of kasho.v1.ChangeStream; the only place that knows the proto shapes here. */
@Injectable()
export class ChangeStreamGrpcClient implements OnModuleInit {
  private service!: ChangeStreamClient;

  constructor(@Inject(CHANGE_STREAM_GRPC_CLIENT) private readonly client: ClientGrpc) {}

  onModuleInit(): void {
    this.service = this.client.getService<ChangeStreamClient>(CHANGE_STREAM_SERVICE_NAME);
  }

  /** Opens a stream of change batches after `after`; returns it with the consumer id to ack with. */
  open(after: Position, window: number): { consumerId: string; batches: Observable<ChangeEnvelope[]> } {
    const consumerId = randomUUID();
    const batches = this.service
      .Stream({ after_position: after === Position.ZERO ? '' : after.toString(), window, consumer_id: consumerId })
      .pipe(map(fromWireBatch));
    return { consumerId, batches };
  }

  async ack(consumerId: string, progress: { received?: Position; applied?: Position; appliedCommitEndLsn?: string }): Promise<void> {
    await lastValueFrom(
      this.service.Ack({
        consumer_id: consumerId,
        received_position: progress.received?.toString() ?? '',
        applied_position: progress.applied?.toString() ?? '',
        applied_commit_end_lsn: progress.appliedCommitEndLsn ?? '',
      }),
    );
  }
}
