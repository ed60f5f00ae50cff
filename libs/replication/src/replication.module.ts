import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigurableReplicationModule } from './replication.module-definition';
import { SourceHealthIndicator } from './source.health';
import { SlotLagProbe } from './slot-lag.probe';
import { SourceSetupService } from './source-setup.service';
import { WalReader } from './wal-reader.service';

/**
 * Capture from the source: `ReplicationModule.forRootAsync({ imports, inject, useFactory, isGlobal })` with
 * `ReplicationOptions`. Provides the idempotent source setup, the WAL reader, the source health check and the slot lag probe.
 */
@Module({
  imports: [TerminusModule],
  providers: [SourceSetupService, WalReader, SourceHealthIndicator, SlotLagProbe],
  exports: [SourceSetupService, WalReader, SourceHealthIndicator, SlotLagProbe],
})
export class ReplicationModule extends ConfigurableReplicationModule {}
