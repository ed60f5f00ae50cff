import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { TransformsOptions } from './transforms.options';

export const { ConfigurableModuleClass: TransformsConfigurableModule, MODULE_OPTIONS_TOKEN: TRANSFORMS_OPTIONS } =
  new ConfigurableModuleBuilder<TransformsOptions>().setClassMethodName('forRoot').build();
