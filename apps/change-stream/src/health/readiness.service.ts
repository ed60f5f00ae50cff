import { Injectable } from '@nestjs/common';
import { HealthIndicatorFunction } from '@nestjs/terminus';
import { BufferHealthIndicator } from '@kasho/buffer';
import { SourceHealthIndicator } from '@kasho/replication';
import { CaptureHealthIndicator } from './capture.health';

/**
 * What "ready" means for pg-change-stream, shared by GET /health and grpc.health.v1.Health:
 * the source and its slot, Redis, and the capture loop.
 */
@Injectable()
export class ChangeStreamReadiness {
  constructor(
    private readonly source: SourceHealthIndicator,
    private readonly buffer: BufferHealthIndicator,
    private readonly capture: CaptureHealthIndicator,
  ) {}

  get checks(): HealthIndicatorFunction[] {
    return [() => this.source.check('source'), () => this.buffer.check('redis'), () => this.capture.check('capture')];
  }

  /** True when every check is up (no logging: the gRPC Watch polls this). */
  async isReady(): Promise<boolean> {
    const results = await Promise.all(this.checks.map((check) => Promise.resolve(check()).catch(() => undefined)));
    return results.every((result) => result !== undefined && Object.values(result).every((r) => r.status === 'up'));
  }
}
