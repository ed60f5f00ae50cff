import { status } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';
import { InvalidSnapshotNameError } from '@kasho/replication';
import { PgDumpError, SnapshotNotHeldError, SnapshotRequestError, SnapshotTableNotFoundError } from '../snapshot/snapshot.errors';
import { ConsumerConflictError } from '../streaming/streaming.errors';
import { failedPrecondition, invalidArgument, notFound, resourceExhausted, toRpcException, unauthenticated, unavailable } from './grpc-status.mapper';

const errorOf = (exception: RpcException) => exception.getError() as { code: number; message: string };

describe('grpc-status.mapper', () => {
  it('builds each refusal with its status code and the message as given', () => {
    const cases: [(message: string) => RpcException, number][] = [
      [invalidArgument, status.INVALID_ARGUMENT],
      [failedPrecondition, status.FAILED_PRECONDITION],
      [notFound, status.NOT_FOUND],
      [unavailable, status.UNAVAILABLE],
      [resourceExhausted, status.RESOURCE_EXHAUSTED],
      [unauthenticated, status.UNAUTHENTICATED],
    ];
    for (const [build, code] of cases) {
      const exception = build('the reason');
      expect(exception).toBeInstanceOf(RpcException);
      expect(errorOf(exception)).toEqual({ code, message: 'the reason' });
    }
  });

  it('maps the named app errors to their status, keeping their message unprefixed', () => {
    expect(errorOf(toRpcException(new SnapshotNotHeldError('gone'), 'snapshot'))).toEqual({ code: status.FAILED_PRECONDITION, message: 'gone' });
    expect(errorOf(toRpcException(new SnapshotTableNotFoundError('no t'), 'snapshot'))).toEqual({ code: status.NOT_FOUND, message: 'no t' });
    expect(errorOf(toRpcException(new ConsumerConflictError('another target'), 'stream'))).toEqual({
      code: status.FAILED_PRECONDITION,
      message: 'another target',
    });
    expect(errorOf(toRpcException(new SnapshotRequestError('bad name'), 'snapshot'))).toEqual({ code: status.INVALID_ARGUMENT, message: 'bad name' });
  });

  it('passes an RpcException through as it is', () => {
    const given = resourceExhausted('too big');
    expect(toRpcException(given, 'snapshot')).toBe(given);
  });

  it('answers anything else UNAVAILABLE, its message prefixed with what was unavailable', () => {
    expect(errorOf(toRpcException(new PgDumpError('pg_dump failed: x'), 'snapshot'))).toEqual({
      code: status.UNAVAILABLE,
      message: 'snapshot: pg_dump failed: x',
    });
    expect(errorOf(toRpcException(new InvalidSnapshotNameError('zz'), 'snapshot'))).toEqual({
      code: status.UNAVAILABLE,
      message: 'snapshot: invalid snapshot id "zz"',
    });
    expect(errorOf(toRpcException(new Error('connection refused'), 'change buffer unavailable'))).toEqual({
      code: status.UNAVAILABLE,
      message: 'change buffer unavailable: connection refused',
    });
    expect(errorOf(toRpcException('a string', 'snapshot'))).toEqual({ code: status.UNAVAILABLE, message: 'snapshot: a string' });
  });
});
