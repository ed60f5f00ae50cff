export { MetricsModule } from './metrics.module';
export { METRICS_OPTIONS } from './metrics.module-definition';
export type { MetricsOptions } from './metrics.options';
export { METRIC_PREFIX } from './metrics-registry.provider';
export { ErrorMetrics } from './error.metrics';
export { ChangeTally } from './change-tally';
