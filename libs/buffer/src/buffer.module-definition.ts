import { ConfigurableModuleBuilder } from '@nestjs/common';
import { BufferOptions } from './buffer.options';

export const {
  ConfigurableModuleClass: ConfigurableBufferModule,
  MODULE_OPTIONS_TOKEN: BUFFER_OPTIONS,
  OPTIONS_TYPE: BUFFER_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: BUFFER_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<BufferOptions>({ moduleName: 'Buffer' })
  .setClassMethodName('forRoot')
  // isGlobal: the app's one buffer, reachable by each of its capability modules without importing it again.
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
