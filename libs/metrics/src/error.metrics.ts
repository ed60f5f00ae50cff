import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { METRICS_OPTIONS } from './metrics.module-definition';
import { MetricsOptions } from './metrics.options';

/**
 * `kasho_errors_total{service,kind}`: one increment per error, each retry included. `kind` is a
 * short, fixed word chosen by the caller (never a message), so the label set stays small.
 */
@Injectable()
export class ErrorMetrics {
  private readonly counter: Counter<'service' | 'kind'>;
  private readonly service: string;

  constructor(registry: Registry, @Inject(METRICS_OPTIONS) options: MetricsOptions) {
    this.service = options.service;
    this.counter = new Counter({
      name: 'kasho_errors_total',
      help: 'Errors by service and kind (each retry counts).',
      labelNames: ['service', 'kind'],
      registers: [registry],
    });
    for (const kind of options.errorKinds ?? []) this.counter.labels(this.service, kind).inc(0);
  }

  record(kind: string, count = 1): void {
    this.counter.labels(this.service, kind).inc(count);
  }
}
