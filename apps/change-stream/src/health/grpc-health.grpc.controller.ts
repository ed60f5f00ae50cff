import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { NEVER, Observable, concat, distinctUntilChanged, exhaustMap, map, of, timer } from 'rxjs';
import {
  CHANGE_STREAM_SERVICE_NAME,
  GRPC_HEALTH_SERVICE_NAME,
  HealthCheckRequest,
  HealthCheckResponse,
  KASHO_PROTO_PACKAGE,
  ServingStatus,
} from '@kasho/contracts';
import { notFound } from '../grpc/grpc-status.mapper';
import { ChangeStreamReadiness } from './readiness.service';

/** "" is the server as a whole; the change stream is the one service it exists for. */
const SERVICES = new Set(['', `${KASHO_PROTO_PACKAGE}.${CHANGE_STREAM_SERVICE_NAME}`]);

/**
 * grpc.health.v1.Health on the gRPC port: SERVING while readiness (GET /health) is up,
 * NOT_SERVING otherwise. Watch sends the status at once, then each change.
 */
@Controller()
export class GrpcHealthController {
  static WATCH_INTERVAL_MS = 2_000;

  constructor(private readonly readiness: ChangeStreamReadiness) {}

  @GrpcMethod(GRPC_HEALTH_SERVICE_NAME, 'Check')
  async check(request: HealthCheckRequest): Promise<HealthCheckResponse> {
    if (!SERVICES.has(request.service ?? '')) throw notFound(`unknown service "${request.service}"`);
    return { status: await this.status() };
  }

  @GrpcMethod(GRPC_HEALTH_SERVICE_NAME, 'Watch')
  watch(request: HealthCheckRequest): Observable<HealthCheckResponse> {
    if (!SERVICES.has(request.service ?? '')) return concat(of<HealthCheckResponse>({ status: 'SERVICE_UNKNOWN' }), NEVER);
    return timer(0, GrpcHealthController.WATCH_INTERVAL_MS).pipe(
      exhaustMap(() => this.status()),
      distinctUntilChanged(),
      map((s) => ({ status: s })),
    );
  }

  private async status(): Promise<ServingStatus> {
    return (await this.readiness.isReady()) ? 'SERVING' : 'NOT_SERVING';
  }
}
