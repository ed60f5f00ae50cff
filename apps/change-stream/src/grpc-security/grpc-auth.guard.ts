import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { BearerTokenCheck, UNAUTHENTICATED_GRPC_SERVICES } from '@kasho/contracts';
import { unauthenticated } from '../grpc/grpc-status.mapper';
import { grpcCallPath, grpcServiceOf } from './grpc-call-path';
import { GRPC_SECURITY_OPTIONS } from './grpc-security.module-definition';
import type { GrpcSecurityOptions } from './grpc-security.options';

/**
 * Every gRPC call but grpc.health.v1 must carry `authorization: Bearer <CHANGE_STREAM_TOKEN>`
 * (when the token is set); otherwise UNAUTHENTICATED before any handler runs. Registered globally,
 * so an RPC added later is covered without anyone remembering to. Without a token the env
 * validation guarantees mTLS (the TLS layer verified the client) or GRPC_INSECURE=true.
 * HTTP requests (/health, /metrics) pass through.
 */
@Injectable()
export class GrpcAuthGuard implements CanActivate {
  private readonly logger = new Logger('GrpcAuth');
  private readonly token?: BearerTokenCheck;

  constructor(@Inject(GRPC_SECURITY_OPTIONS) options: Pick<GrpcSecurityOptions, 'token'>) {
    if (options.token) this.token = new BearerTokenCheck(options.token);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'rpc') return true;
    const path = grpcCallPath(context);
    if (path !== undefined && UNAUTHENTICATED_GRPC_SERVICES.includes(grpcServiceOf(path))) return true;
    if (!this.token) return true;
    if (this.token.matches(context.switchToRpc().getContext<Metadata>())) return true;
    this.logger.warn(`refused ${path ?? 'a gRPC call'}: missing or wrong CHANGE_STREAM_TOKEN`);
    throw unauthenticated('this call needs the metadata authorization: Bearer <CHANGE_STREAM_TOKEN>');
  }
}
