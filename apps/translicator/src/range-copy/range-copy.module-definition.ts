import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { SnapshotCopyFormat } from '../config/translicator.env';

export interface RangeCopyOptions {
  /** SNAPSHOT_COPY_FORMAT: `auto` sends a range as COPY binary when both servers read it alike; `text` always COPY text. */
  copyFormat: SnapshotCopyFormat;
}

export const { ConfigurableModuleClass: ConfigurableRangeCopyModule, MODULE_OPTIONS_TOKEN: RANGE_COPY_OPTIONS } =
  new ConfigurableModuleBuilder<RangeCopyOptions>({ moduleName: 'RangeCopy' }).setClassMethodName('forRoot').build();
