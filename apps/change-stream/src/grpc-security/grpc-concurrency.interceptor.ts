import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, finalize, throwError } from 'rxjs';
import { resourceExhausted } from '../grpc/grpc-status.mapper';
import { grpcCallPath } from './grpc-call-path';
import { GRPC_SECURITY_OPTIONS } from './grpc-security.module-definition';
import type { GrpcSecurityOptions } from './grpc-security.options';

/** Calls of one method in flight at once; one more gets RESOURCE_EXHAUSTED. */
export type ConcurrencyCaps = Readonly<Record<string, number>>;

/** Any method not listed (one added later included). */
export const DEFAULT_CONCURRENCY_CAP = 8;

/**
 * The caps per gRPC method. Each Stream holds a Redis reader; each CopyRange and Prepare a source
 * connection (Prepare also re-creates the slot, and runs one at a time anyway); so a stranger, or a
 * runaway client, cannot exhaust the source's connections and max_wal_senders.
 */
export function concurrencyCaps(options: Pick<GrpcSecurityOptions, 'maxCopyRanges'>): ConcurrencyCaps {
  return {
    '/kasho.v1.ChangeStream/Stream': 4,
    '/kasho.v1.ChangeStream/Ack': 16,
    '/kasho.v1.Snapshot/Prepare': 2,
    '/kasho.v1.Snapshot/CopyRange': options.maxCopyRanges,
    '/kasho.v1.Snapshot/Finish': 4,
    '/kasho.v1.Snapshot/Sequences': 4,
    '/grpc.health.v1.Health/Check': 32,
    '/grpc.health.v1.Health/Watch': 16,
  };
}

/**
 * Counts the calls in flight per method (a stream until it ends, errs or is cancelled) and refuses
 * one beyond its cap with RESOURCE_EXHAUSTED before the handler runs. Runs after GrpcAuthGuard, so
 * calls without the token never take a place. HTTP requests pass through.
 */
@Injectable()
export class GrpcConcurrencyInterceptor implements NestInterceptor {
  private readonly caps: ConcurrencyCaps;
  private readonly inFlight = new Map<string, number>();

  constructor(@Inject(GRPC_SECURITY_OPTIONS) options: Pick<GrpcSecurityOptions, 'maxCopyRanges'>) {
    this.caps = concurrencyCaps(options);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const path = grpcCallPath(context) ?? 'unknown';
    const cap = this.caps[path] ?? DEFAULT_CONCURRENCY_CAP;
    const current = this.inFlight.get(path) ?? 0;
    if (current >= cap) {
      return throwError(() => resourceExhausted(`${path}: at most ${cap} concurrent calls; try again later`));
    }
    this.inFlight.set(path, current + 1);
    let released = false;
    return next.handle().pipe(
      finalize(() => {
        if (released) return;
        released = true;
        this.inFlight.set(path, (this.inFlight.get(path) ?? 1) - 1);
      }),
    );
  }

  /** Calls of `path` in flight now. */
  active(path: string): number {
    return this.inFlight.get(path) ?? 0;
  }
}
