import { ConfigurableModuleBuilder } from '@nestjs/common';
import { CaptureOptions } from './capture.options';

export const {
  ConfigurableModuleClass: ConfigurableCaptureModule,
  MODULE_OPTIONS_TOKEN: CAPTURE_OPTIONS,
  OPTIONS_TYPE: CAPTURE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: CAPTURE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CaptureOptions>({ moduleName: 'Capture' })
  .setClassMethodName('forRoot')
  // Global in the app: the one capture of the process, reached by streaming, the snapshot source and health.
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
