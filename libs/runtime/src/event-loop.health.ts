import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

/** A stall this long between two probes means the loop is wedged, not busy. */
const DEFAULT_MAX_DELAY_MS = 5_000;

/**
 * Liveness of the process itself: the event loop turns. Calls no dependency. Reports the loop
 * delay seen since the previous probe (p99, max) and is down only when the loop stalled longer than
 * `maxDelayMs` in that window; a probe that gets no answer at all says the rest.
 */
@Injectable()
export class EventLoopHealthIndicator implements OnModuleDestroy {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });

  constructor(private readonly health: HealthIndicatorService) {
    this.histogram.enable();
  }

  check<const Key extends string = 'event_loop'>(key: Key = 'event_loop' as Key, maxDelayMs = DEFAULT_MAX_DELAY_MS) {
    const indicator = this.health.check(key);
    const p99Ms = Math.round(this.histogram.percentile(99) / 1e6);
    const maxMs = Math.round(this.histogram.max / 1e6);
    this.histogram.reset();
    const details = { delayP99Ms: p99Ms, delayMaxMs: maxMs };
    return maxMs > maxDelayMs ? indicator.down({ ...details, message: `event loop stalled ${maxMs} ms` }) : indicator.up(details);
  }

  onModuleDestroy(): void {
    this.histogram.disable();
  }
}
