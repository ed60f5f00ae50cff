import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { ClientGrpc } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import { CHANGE_STREAM_SERVICE_NAME, GRPC_HEALTH_SERVICE_NAME, GrpcHealthClient, KASHO_PROTO_PACKAGE } from '@kasho/contracts';
import { CHANGE_STREAM_GRPC_CLIENT } from './ingest.tokens';

const DEFAULT_TIMEOUT_MS = 2_000;

/**
 * Readiness of the gRPC peer: pg-change-stream answers grpc.health.v1.Health/Check for
 * kasho.v1.ChangeStream with SERVING within the bound. Down when it is unreachable or reports
 * NOT_SERVING (its source, Redis or capture is down: no changes can arrive).
 */
@Injectable()
export class ChangeStreamPeerHealthIndicator implements OnModuleInit {
  private healthService!: GrpcHealthClient;

  constructor(
    @Inject(CHANGE_STREAM_GRPC_CLIENT) private readonly client: ClientGrpc,
    private readonly health: HealthIndicatorService,
  ) {}

  onModuleInit(): void {
    this.healthService = this.client.getService<GrpcHealthClient>(GRPC_HEALTH_SERVICE_NAME);
  }

  async check<const Key extends string = 'change-stream'>(
    key: Key = 'change-stream' as Key,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<HealthIndicatorResult<Key>> {
    const indicator = this.health.check(key);
    try {
      const { status } = await firstValueFrom(
        this.healthService.Check({ service: `${KASHO_PROTO_PACKAGE}.${CHANGE_STREAM_SERVICE_NAME}` }).pipe(timeout(timeoutMs)),
      );
      if (status === 'SERVING') return indicator.up({ servingStatus: status });
      return indicator.down({ servingStatus: status, message: `pg-change-stream reports ${status}` });
    } catch (err) {
      const message = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : grpcMessage(err);
      return indicator.down({ message: `pg-change-stream unreachable: ${message}` });
    }
  }
}

function grpcMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'details' in err && typeof err.details === 'string' && err.details) return err.details;
  return err instanceof Error ? err.message : String(err);
}
