import { ConfigurableModuleBuilder } from '@nestjs/common';
import { ReplicationOptions } from './replication.options';

export const {
  ConfigurableModuleClass: ConfigurableReplicationModule,
  MODULE_OPTIONS_TOKEN: REPLICATION_OPTIONS,
  OPTIONS_TYPE: REPLICATION_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: REPLICATION_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ReplicationOptions>({ moduleName: 'Replication' })
  .setClassMethodName('forRoot')
  // isGlobal: the app's one source, reachable by each of its capability modules without importing it again.
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
