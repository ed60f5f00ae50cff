import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Observable, map } from 'rxjs';
import { CHANGE_STREAM_SERVICE_NAME, Position, WireAckRequest, WireAckResponse, WireChangeBatch, WireStreamRequest, toWireBatch } from '@kasho/contracts';
import { AckService } from './ack.service';
import { ChangeFeedService } from './change-feed.service';
import { requireId } from './request-ids';
import { invalidArgument } from '../grpc/grpc-status.mapper';

/** kasho.v1.ChangeStream: the only place that knows the proto shapes on the server side. */
@Controller()
export class ChangeStreamGrpcController {
  constructor(
    private readonly feed: ChangeFeedService,
    private readonly acks: AckService,
  ) {}

  @GrpcMethod(CHANGE_STREAM_SERVICE_NAME, 'Stream')
  stream(request: WireStreamRequest): Observable<WireChangeBatch> {
    const after = parsePosition(request.after_position, 'after_position');
    const targetId = requireId(request.target_id, 'target_id', 'the stable identity of the target database');
    const consumerId = requireId(request.consumer_id, 'consumer_id', 'a unique id of this stream');
    return this.feed.open(after, Number(request.window) || 0, consumerId, targetId).pipe(map(toWireBatch));
  }

  /** `applied_commit_end_lsn` is ignored: the server reads it from the commit entry it buffers. */
  @GrpcMethod(CHANGE_STREAM_SERVICE_NAME, 'Ack')
  async ack(request: WireAckRequest): Promise<WireAckResponse> {
    const received = request.received_position ? parsePosition(request.received_position, 'received_position') : null;
    const applied = request.applied_position ? parsePosition(request.applied_position, 'applied_position') : null;
    await this.acks.ack(request.consumer_id ?? '', received, applied);
    return {};
  }
}

function parsePosition(text: string, field: string): Position {
  try {
    return Position.parseOrZero(text);
  } catch (err) {
    throw invalidArgument(`${field}: ${(err as Error).message}`);
  }
}
