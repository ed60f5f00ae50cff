import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Observable, catchError, map, throwError } from 'rxjs';
import {
  BlockRange,
  SNAPSHOT_SERVICE_NAME,
  WireCopyChunk,
  WireCopyRangeRequest,
  WireEmpty,
  WireFinishSnapshotRequest,
  WirePrepareSnapshotRequest,
  WireSequenceList,
  WireSnapshotPlan,
  fromWireCopyFormat,
  toWireSequence,
  toWireSnapshotPlan,
} from '@kasho/contracts';
import { invalidArgument, toRpcException } from '../grpc/grpc-status.mapper';
import { requireId } from '../streaming/request-ids';
import { CopySink } from './copy-range.reader';
import { SnapshotService } from './snapshot.service';

/** The writable side of a server-streaming call, as far as pacing needs it. */
interface WritableCall {
  writableNeedDrain?: boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/** kasho.v1.Snapshot: the only place on the server side that knows its proto shapes. */
@Controller()
export class SnapshotGrpcController {
  constructor(private readonly snapshots: SnapshotService) {}

  @GrpcMethod(SNAPSHOT_SERVICE_NAME, 'Prepare')
  async prepare(request: WirePrepareSnapshotRequest): Promise<WireSnapshotPlan> {
    try {
      const targetId = request.target_id ? requireId(request.target_id, 'target_id', 'the stable identity of the target database') : '';
      return toWireSnapshotPlan(await this.snapshots.prepare(request.table ?? '', request.resume_snapshot_id ?? '', Number(request.workers) || 0, targetId));
    } catch (err) {
      throw toRpc(err);
    }
  }

  /** Nest writes each chunk with call.write(); the COPY read pauses while the call's buffer is full. */
  @GrpcMethod(SNAPSHOT_SERVICE_NAME, 'CopyRange')
  copyRange(request: WireCopyRangeRequest, _metadata: unknown, call: WritableCall): Observable<WireCopyChunk> {
    const sink: CopySink = {
      full: () => call.writableNeedDrain === true,
      onDrain: (resume) => call.once('drain', resume),
    };
    let range: BlockRange;
    try {
      range = { startBlock: BigInt(request.start_block || '0'), endBlock: BigInt(request.end_block || '0') };
    } catch {
      throw invalidArgument('start_block and end_block must be decimal integers');
    }
    const format = fromWireCopyFormat(request.format);
    if (!format) throw invalidArgument(`unknown COPY format ${request.format}`);
    try {
      return this.snapshots.copyRange(request.snapshot_id, request.schema, request.table, range, format, sink).pipe(
        map((chunk) => ({ data: chunk.data, rows: String(chunk.rows) })),
        catchError((err: unknown) => throwError(() => toRpc(err))),
      );
    } catch (err) {
      throw toRpc(err);
    }
  }

  @GrpcMethod(SNAPSHOT_SERVICE_NAME, 'Finish')
  async finish(request: WireFinishSnapshotRequest): Promise<WireEmpty> {
    await this.snapshots.finish(request.snapshot_id);
    return {};
  }

  @GrpcMethod(SNAPSHOT_SERVICE_NAME, 'Sequences')
  async sequences(): Promise<WireSequenceList> {
    try {
      return { sequences: (await this.snapshots.sequences()).map(toWireSequence) };
    } catch (err) {
      throw toRpc(err);
    }
  }
}

/** A named snapshot error with its status; anything else (source, pg_dump) UNAVAILABLE as `snapshot: …`. */
function toRpc(err: unknown) {
  return toRpcException(err, 'snapshot');
}
