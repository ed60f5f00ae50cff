import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ApplyConfigurableModule } from './apply.module-definition';
import { TargetApplier } from './target-applier';
import { TargetHealthIndicator } from './target.health';
import { TargetVersionCheck } from './target-version.check';

/** Applying transformed changes to the target exactly once (a target older than PostgreSQL 13 is refused at start); `ApplyModule.forRootAsync({ useFactory, inject, imports })`. */
@Module({
  imports: [TerminusModule],
  providers: [TargetApplier, TargetHealthIndicator, TargetVersionCheck],
  exports: [TargetApplier, TargetHealthIndicator, TargetVersionCheck],
})
export class ApplyModule extends ApplyConfigurableModule {}
