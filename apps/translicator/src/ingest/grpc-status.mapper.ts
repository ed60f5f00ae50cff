import { ServiceError, status } from '@grpc/grpc-js';
import { SnapshotCallError, SnapshotLostError } from './ingest.errors';

/**
 * The one place the translicator turns a gRPC status from pg-change-stream's Snapshot service into
 * its own errors: FAILED_PRECONDITION on a call about an existing snapshot means the snapshot is
 * gone (SnapshotLostError); on Prepare it means another target holds the change stream (not a lost
 * snapshot). Anything else is a SnapshotCallError naming the method.
 */
export function snapshotCallError(err: ServiceError, method: string): SnapshotLostError | SnapshotCallError {
  if (err.code === status.FAILED_PRECONDITION && method !== 'Prepare') return new SnapshotLostError(err.details || err.message);
  return new SnapshotCallError(method, err.code, err.details || err.message);
}
