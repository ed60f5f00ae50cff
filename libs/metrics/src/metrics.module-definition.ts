import { ConfigurableModuleBuilder } from '@nestjs/common';
import { MetricsOptions } from './metrics.options';

export const { ConfigurableModuleClass: ConfigurableMetricsModule, MODULE_OPTIONS_TOKEN: METRICS_OPTIONS } = new ConfigurableModuleBuilder<MetricsOptions>({
  moduleName: 'Metrics',
})
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
