import type { status } from '@grpc/grpc-js';

/** The snapshot id is gone on the source side (released, or pg-change-stream restarted): redo the snapshot. */
export class SnapshotLostError extends Error {
  override readonly name = 'SnapshotLostError';
}

/** A call of kasho.v1.Snapshot failed; `grpcCode` is the status pg-change-stream (or the channel) answered. */
export class SnapshotCallError extends Error {
  override readonly name = 'SnapshotCallError';

  constructor(
    readonly method: string,
    readonly grpcCode: status,
    details: string,
  ) {
    super(`Snapshot.${method}: ${details}`);
  }
}
