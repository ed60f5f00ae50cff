import { Metadata, ServiceError, status } from '@grpc/grpc-js';
import { SnapshotCallError, SnapshotLostError } from './ingest.errors';
import { snapshotCallError } from './grpc-status.mapper';

const serviceError = (code: status, details: string): ServiceError =>
  Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: new Metadata() });

describe('snapshotCallError', () => {
  it('maps FAILED_PRECONDITION on a call about a snapshot to SnapshotLostError', () => {
    const err = snapshotCallError(serviceError(status.FAILED_PRECONDITION, 'snapshot s1 is not held'), 'CopyRange');
    expect(err).toBeInstanceOf(SnapshotLostError);
    expect(err.message).toBe('snapshot s1 is not held');
  });

  it("keeps Prepare's FAILED_PRECONDITION (another target holds the stream) a call error", () => {
    const err = snapshotCallError(serviceError(status.FAILED_PRECONDITION, 'another target'), 'Prepare');
    expect(err).toBeInstanceOf(SnapshotCallError);
    expect(err).toMatchObject({ method: 'Prepare', grpcCode: status.FAILED_PRECONDITION, message: 'Snapshot.Prepare: another target' });
  });

  it('names the method and keeps the status of any other failure, falling back to the message without details', () => {
    const err = snapshotCallError(Object.assign(serviceError(status.UNAVAILABLE, ''), { message: 'connect ECONNREFUSED' }), 'Sequences');
    expect(err).toBeInstanceOf(SnapshotCallError);
    expect(err).toMatchObject({ grpcCode: status.UNAVAILABLE, message: 'Snapshot.Sequences: connect ECONNREFUSED', name: 'SnapshotCallError' });
  });
});
