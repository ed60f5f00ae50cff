import { FactoryProvider } from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { METRICS_OPTIONS } from './metrics.module-definition';
import { MetricsOptions } from './metrics.options';

/** Every metric name starts with this. */
export const METRIC_PREFIX = 'kasho_';

/**
 * The app's own prom-client `Registry` (never the global one, so tests and two Nest apps in one
 * process do not collide). Instruments are created by `*.metrics.ts` providers that inject
 * `Registry` and pass it in `registers`.
 */
export const metricsRegistryProvider: FactoryProvider<Registry> = {
  provide: Registry,
  inject: [METRICS_OPTIONS],
  useFactory: (options: MetricsOptions) => {
    const registry = new Registry();
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
    return registry;
  },
};
