import { status } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';
import { ConsumerConflictError } from '../streaming/streaming.errors';
import { SnapshotNotHeldError, SnapshotRequestError, SnapshotTableNotFoundError } from '../snapshot/snapshot.errors';

/**
 * The one place pg-change-stream gives an error its gRPC status: the refusals built here, and
 * {@link toRpcException} for the app's named errors. Every gRPC controller, the auth guard and the
 * concurrency interceptor answer through it, so a code means the same thing on every method.
 */

export function invalidArgument(message: string): RpcException {
  return new RpcException({ code: status.INVALID_ARGUMENT, message });
}

export function failedPrecondition(message: string): RpcException {
  return new RpcException({ code: status.FAILED_PRECONDITION, message });
}

export function notFound(message: string): RpcException {
  return new RpcException({ code: status.NOT_FOUND, message });
}

export function unavailable(message: string): RpcException {
  return new RpcException({ code: status.UNAVAILABLE, message });
}

export function resourceExhausted(message: string): RpcException {
  return new RpcException({ code: status.RESOURCE_EXHAUSTED, message });
}

export function unauthenticated(message: string): RpcException {
  return new RpcException({ code: status.UNAUTHENTICATED, message });
}

/** Named app errors and their status; the first class the error is an instance of wins. */
const STATUS_OF: ReadonlyArray<readonly [new (...args: never[]) => Error, (message: string) => RpcException]> = [
  [SnapshotNotHeldError, failedPrecondition],
  [SnapshotTableNotFoundError, notFound],
  [ConsumerConflictError, failedPrecondition],
  [SnapshotRequestError, invalidArgument],
];

/**
 * The RpcException for `err`: an RpcException as it is, a named app error with its status and
 * message, anything else (the source, Redis, pg_dump failing) UNAVAILABLE, its message prefixed
 * with `context` (what was unavailable), so the client retries.
 */
export function toRpcException(err: unknown, context: string): RpcException {
  if (err instanceof RpcException) return err;
  const message = err instanceof Error ? err.message : String(err);
  const mapped = STATUS_OF.find(([type]) => err instanceof type);
  return mapped ? mapped[1](message) : unavailable(`${context}: ${message}`);
}
