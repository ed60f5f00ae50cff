import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { SnapshotMode } from '../config/translicator.env';

export interface SnapshotOptions {
  /** SNAPSHOT_MODE: `auto` when the target has no position or a snapshot is half done; `always` once per start; `never`. */
  mode: SnapshotMode;
  /** SNAPSHOT_WORKERS: block ranges copied in parallel, each on its own source and target connection. */
  workers: number;
  /** The target database (REPLICA_DATABASE_URL). */
  targetUrl: string;
}

export const { ConfigurableModuleClass: ConfigurableSnapshotModule, MODULE_OPTIONS_TOKEN: SNAPSHOT_OPTIONS } = new ConfigurableModuleBuilder<SnapshotOptions>({
  moduleName: 'Snapshot',
})
  .setClassMethodName('forRoot')
  .build();
