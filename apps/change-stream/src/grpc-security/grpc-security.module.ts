import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { GrpcAuthGuard } from './grpc-auth.guard';
import { GrpcConcurrencyInterceptor } from './grpc-concurrency.interceptor';
import { ConfigurableGrpcSecurityModule } from './grpc-security.module-definition';

/**
 * Who may call the gRPC port and how much at once: the token guard and the concurrency caps, on
 * every gRPC method (global enhancers; main.ts connects the microservice with inheritAppConfig so
 * they reach it). TLS is the server's credentials, set in main.ts.
 * `GrpcSecurityModule.forRootAsync({ …, useFactory: () => ({ token, maxCopyRanges }) })`.
 */
@Module({
  providers: [
    { provide: APP_GUARD, useClass: GrpcAuthGuard },
    { provide: APP_INTERCEPTOR, useClass: GrpcConcurrencyInterceptor },
  ],
})
export class GrpcSecurityModule extends ConfigurableGrpcSecurityModule {}
