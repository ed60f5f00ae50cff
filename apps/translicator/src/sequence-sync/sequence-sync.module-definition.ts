import { ConfigurableModuleBuilder } from '@nestjs/common';

export interface SequenceSyncOptions {
  /** SEQUENCE_SYNC_SECONDS: seconds between rounds; 0 turns sequence sync off. */
  intervalSeconds: number;
  /** The target database (REPLICA_DATABASE_URL). */
  targetUrl: string;
}

export const { ConfigurableModuleClass: ConfigurableSequenceSyncModule, MODULE_OPTIONS_TOKEN: SEQUENCE_SYNC_OPTIONS } =
  new ConfigurableModuleBuilder<SequenceSyncOptions>({ moduleName: 'SequenceSync' }).setClassMethodName('forRoot').build();
