import { ConfigurableModuleBuilder } from '@nestjs/common';

export interface ResyncOptions {
  /** The target database (REPLICA_DATABASE_URL). */
  targetUrl: string;
  /** ADMIN_TOKEN: the bearer token `/snapshot/resync` requires; unset, the endpoint is not served (404). */
  adminToken?: string;
}

export const { ConfigurableModuleClass: ConfigurableResyncModule, MODULE_OPTIONS_TOKEN: RESYNC_OPTIONS } = new ConfigurableModuleBuilder<ResyncOptions>({
  moduleName: 'Resync',
})
  .setClassMethodName('forRoot')
  .build();
