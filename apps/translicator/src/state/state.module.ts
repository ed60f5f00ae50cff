import { Module } from '@nestjs/common';
import { ApplyState } from './apply-state';

/**
 * The apply loop's state (ApplyState), shared by the loop, the snapshot capabilities, readiness and
 * metrics. A leaf: it imports nothing of the app, so every capability can import it without a cycle.
 */
@Module({
  providers: [ApplyState],
  exports: [ApplyState],
})
export class StateModule {}
