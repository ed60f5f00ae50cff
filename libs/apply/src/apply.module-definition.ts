import { ConfigurableModuleBuilder } from '@nestjs/common';
import { ApplyOptions } from './apply.options';

export const {
  ConfigurableModuleClass: ApplyConfigurableModule,
  MODULE_OPTIONS_TOKEN: APPLY_OPTIONS,
  OPTIONS_TYPE: APPLY_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: APPLY_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ApplyOptions>().setClassMethodName('forRoot').build();
