import { Controller, Get, INestApplication, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Counter, Registry } from 'prom-client';
import { ErrorMetrics, MetricsModule } from '@kasho/metrics';

/** What an app's `*.metrics.ts` provider looks like: it injects the registry and owns its instruments. */
@Injectable()
class WidgetMetrics {
  readonly made: Counter;
  constructor(registry: Registry) {
    this.made = new Counter({ name: 'kasho_widgets_total', help: 'Widgets made.', registers: [registry] });
  }
}

@Controller('ping')
class PingController {
  constructor(private readonly widgets: WidgetMetrics) {}
  @Get()
  ping() {
    this.widgets.made.inc();
    return 'pong';
  }
}

@Module({ controllers: [PingController], providers: [WidgetMetrics] })
class FeatureModule {}

describe('MetricsModule', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [MetricsModule.forRoot({ service: 'pg-test', errorKinds: ['boom'] }), FeatureModule],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('serves GET /metrics in the Prometheus text format: feature instruments, errors by kind, kasho_ process defaults', async () => {
    await fetch(`${base}/ping`);
    app.get(ErrorMetrics).record('boom');
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('# TYPE kasho_widgets_total counter');
    expect(text).toContain('kasho_widgets_total 1');
    expect(text).toContain('kasho_errors_total{service="pg-test",kind="boom"} 1');
    expect(text).toMatch(/^kasho_process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^kasho_nodejs_heap_size_used_bytes /m);
  });

  it('gives each app its own registry, never the prom-client global one', async () => {
    const { register } = await import('prom-client');
    expect(app.get(Registry)).not.toBe(register);
    expect(await register.getSingleMetric('kasho_widgets_total')).toBeUndefined();
  });
});
