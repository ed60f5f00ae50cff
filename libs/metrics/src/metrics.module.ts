import { Module } from '@nestjs/common';
import { ErrorMetrics } from './error.metrics';
import { metricsRegistryProvider } from './metrics-registry.provider';
import { MetricsController } from './metrics.controller';
import { ConfigurableMetricsModule } from './metrics.module-definition';

/**
 * Prometheus metrics: `MetricsModule.forRoot({ service, errorKinds })` in an app's root module.
 * Global: provides the app's prom-client `Registry` (inject it by class in a `*.metrics.ts`
 * provider that owns its instruments), {@link ErrorMetrics}, and serves `GET /metrics`.
 */
@Module({
  controllers: [MetricsController],
  providers: [metricsRegistryProvider, ErrorMetrics],
  exports: [metricsRegistryProvider, ErrorMetrics],
})
export class MetricsModule extends ConfigurableMetricsModule {}
