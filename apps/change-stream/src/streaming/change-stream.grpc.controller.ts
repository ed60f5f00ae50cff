import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Observable, map } from 'rxjs';
import {
  CHANGE_STREAM_SERVICE_NAME,
  Position,
  WireAckRequest,
  WireAckResponse,
  WireChangeBatch,
  WireStreamRequest,
  toWireBatch,
} from '@kasho/contracts';
import { CaptureService } from '../capture/capture.service';
import { ChangeFeedService } from './change-feed.service';
import { invalidArgument } from './stream-errors';

/** kasho.v1.ChangeStream: the only place that knows the proto shapes on the server side. */
@Controller()
export class ChangeStreamGrpcController {
  constructor(
    private readonly feed: ChangeFeedService,
    private readonly capture: CaptureService,
  ) {}

  @GrpcMethod(CHANGE_STREAM_SERVICE_NAME, 'Stream')
  stream(request: WireStreamRequest): Observable<WireChangeBatch> {
    const after = parsePosition(request.after_position, 'after_position');
    const consumerId = request.consumer_id || 'anonymous';
    return this.feed.open(after, Number(request.window) || 0, consumerId).pipe(map(toWireBatch));
  }

  @GrpcMethod(CHANGE_STREAM_SERVICE_NAME, 'Ack')
  async ack(request: WireAckRequest): Promise<WireAckResponse> {
    if (request.received_position) {
      this.feed.received(request.consumer_id, parsePosition(request.received_position, 'received_position'));
    }
    if (request.applied_position) {
      if (!/^\d{1,20}$/.test(request.applied_commit_end_lsn)) {
        throw invalidArgument('applied_commit_end_lsn must be a decimal LSN when applied_position is set');
      }
      await this.capture.recordApplied(parsePosition(request.applied_position, 'applied_position'), BigInt(request.applied_commit_end_lsn));
    }
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
