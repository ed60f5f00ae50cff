import { Injectable, OnModuleInit } from '@nestjs/common';
import { Histogram, Registry } from 'prom-client';
import { TransformEngine } from '@kasho/transforms';

/** One transform call in about this many is timed. */
export const TRANSFORM_SAMPLE_EVERY = 32;

/** `kasho_transform_duration_seconds{transform}`: sampled per-value duration of each transform type. */
@Injectable()
export class TransformMetrics implements OnModuleInit {
  private readonly histogram: Histogram<'transform'>;
  /** One child per transform type, so a sample skips the label lookup. */
  private readonly children = new Map<string, ReturnType<Histogram<'transform'>['labels']>>();

  constructor(
    registry: Registry,
    private readonly engine: TransformEngine,
  ) {
    this.histogram = new Histogram({
      name: 'kasho_transform_duration_seconds',
      help: `Time of one transform call by transform type (about 1 call in ${TRANSFORM_SAMPLE_EVERY} is timed).`,
      labelNames: ['transform'],
      buckets: [0.000_001, 0.000_005, 0.000_01, 0.000_05, 0.000_1, 0.000_5, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
      registers: [registry],
    });
  }

  onModuleInit(): void {
    this.engine.sampleTimings(TRANSFORM_SAMPLE_EVERY, (transform, seconds) => {
      let child = this.children.get(transform);
      if (!child) this.children.set(transform, (child = this.histogram.labels(transform)));
      child.observe(seconds);
    });
  }
}
