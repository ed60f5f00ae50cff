import { ConfigurableModuleBuilder } from '@nestjs/common';
import { ApplyLoopOptions } from './apply-loop.options';

export const {
  ConfigurableModuleClass: ConfigurableApplyLoopModule,
  MODULE_OPTIONS_TOKEN: APPLY_LOOP_OPTIONS,
  OPTIONS_TYPE: APPLY_LOOP_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: APPLY_LOOP_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ApplyLoopOptions>({ moduleName: 'ApplyLoop' }).setClassMethodName('forRoot').build();
