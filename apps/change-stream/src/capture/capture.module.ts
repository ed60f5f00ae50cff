import { Module } from '@nestjs/common';
import { CaptureMetrics } from '../metrics/capture.metrics';
import { BufferBackpressure } from './buffer-backpressure';
import { BufferWriter } from './buffer-writer';
import { CaptureGate } from './capture-gate';
import { ConfigurableCaptureModule } from './capture.module-definition';
import { CaptureService } from './capture.service';
import { CaptureSession } from './capture-session';
import { CaptureState } from './capture-state';
import { EvictionPolicyCheck } from './eviction-policy.check';
import { MemoryBufferCheck } from './memory-buffer.check';
import { SlotAcknowledger } from './slot-acknowledger';
import { SlotProgress } from './slot-progress';

/**
 * Capture: source WAL → Redis buffer, the slot confirmed only up to what the target applied.
 * `CaptureModule.forRootAsync({ imports, inject, useFactory })` with {@link CaptureOptions}; `imports`
 * must bring the change buffer (`BufferModule`) and the source (`ReplicationModule`), the same
 * module instances the root imports. Exports what the rest of the app uses: the gate (a snapshot
 * suspends capture, a reader that found a hole has the buffer rebuilt), the acknowledger and the
 * slot progress (acks), and the capture state (readiness).
 */
@Module({
  providers: [
    EvictionPolicyCheck,
    MemoryBufferCheck,
    CaptureState,
    CaptureMetrics,
    SlotProgress,
    CaptureGate,
    SlotAcknowledger,
    BufferBackpressure,
    BufferWriter,
    CaptureSession,
    CaptureService,
  ],
  exports: [CaptureGate, SlotAcknowledger, SlotProgress, CaptureState],
})
export class CaptureModule extends ConfigurableCaptureModule {}
