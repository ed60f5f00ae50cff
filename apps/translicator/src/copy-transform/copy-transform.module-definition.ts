import { ConfigurableModuleBuilder } from '@nestjs/common';
import { CopyTransformOptions } from './copy-transform.options';

export const { ConfigurableModuleClass: ConfigurableCopyTransformModule, MODULE_OPTIONS_TOKEN: COPY_TRANSFORM_OPTIONS } =
  new ConfigurableModuleBuilder<CopyTransformOptions>({ moduleName: 'CopyTransform' }).setClassMethodName('forRoot').build();
