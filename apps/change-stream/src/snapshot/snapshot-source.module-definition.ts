import { ConfigurableModuleBuilder } from '@nestjs/common';
import { SnapshotSourceOptions } from './snapshot-source.options';

export const { ConfigurableModuleClass: ConfigurableSnapshotSourceModule, MODULE_OPTIONS_TOKEN: SNAPSHOT_SOURCE_OPTIONS } =
  new ConfigurableModuleBuilder<SnapshotSourceOptions>({ moduleName: 'SnapshotSource' }).setClassMethodName('forRoot').build();
