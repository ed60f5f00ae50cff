import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ApplyConfigurableModule } from './apply.module-definition';
import { TargetApplier } from './target-applier';
import { TargetHealthIndicator } from './target.health';

/** Applying transformed changes to the target exactly once; `ApplyModule.forRootAsync({ useFactory, inject, imports })`. */
@Module({
  imports: [TerminusModule],
  providers: [TargetApplier, TargetHealthIndicator],
  exports: [TargetApplier, TargetHealthIndicator],
})
export class ApplyModule extends ApplyConfigurableModule {}
