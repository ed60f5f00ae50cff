import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EventLoopHealthIndicator } from '@kasho/runtime';
import { CaptureHealthIndicator } from './capture.health';
import { GrpcHealthController } from './grpc-health.grpc.controller';
import { HealthController } from './health.controller';
import { ChangeStreamReadiness } from './readiness.service';

/**
 * GET /health (readiness), GET /health/live (liveness) and grpc.health.v1.Health, all from one
 * readiness: the source and Redis (indicators of their libs) and the capture loop.
 */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController, GrpcHealthController],
  providers: [ChangeStreamReadiness, CaptureHealthIndicator, EventLoopHealthIndicator],
})
export class HealthModule {}
