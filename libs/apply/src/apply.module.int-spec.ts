import { createServer, Socket } from 'node:net';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EphemeralPostgres, freePort, waitFor } from '@kasho/testing';
import { ApplyModule, TargetApplier, TargetHealthIndicator } from '@kasho/apply';

/** Stands in for the app's config: the options come from an injected provider. */
class TargetConfig {
  constructor(readonly url: string) {}
}

@Module({})
class ConfigModule {}

describe('ApplyModule and TargetHealthIndicator', () => {
  let pg: EphemeralPostgres;

  beforeAll(async () => {
    pg = await EphemeralPostgres.start();
  });

  afterAll(async () => {
    await pg?.stop();
  });

  const boot = async (url: string) => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ApplyModule.forRootAsync({
          imports: [{ module: ConfigModule, providers: [{ provide: TargetConfig, useValue: new TargetConfig(url) }], exports: [TargetConfig] }],
          inject: [TargetConfig],
          useFactory: (config: TargetConfig) => ({ connectionString: config.url, maxRowsPerStatement: 500 }),
        }),
      ],
    }).compile();
    await moduleRef.init();
    return moduleRef;
  };

  it('provides the applier and reports the target up', async () => {
    const moduleRef = await boot(pg.url);
    try {
      const applier = moduleRef.get(TargetApplier);
      expect((await applier.open()).position.toString()).toBe('0-0');
      const health = moduleRef.get(TargetHealthIndicator);
      expect(await health.isHealthy()).toMatchObject({ target: { status: 'up' } });
      expect(await health.isHealthy('replica')).toMatchObject({ replica: { status: 'up' } });
    } finally {
      await moduleRef.close(); // closes the applier on shutdown
    }
    await waitFor(async () => (await pg.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'kasho-translicator'`)).length === 0, {
      timeoutMs: 5_000,
      what: 'the writer session to end',
    });
  });

  it('reports an unreachable target down within the timeout', async () => {
    const moduleRef = await boot(`postgresql://postgres@127.0.0.1:${await freePort()}/nope`);
    try {
      const started = Date.now();
      const result = await moduleRef.get(TargetHealthIndicator).isHealthy('target', 1_000);
      expect(result.target.status).toBe('down');
      expect(String(result.target.message)).toContain('target unreachable');
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await moduleRef.close();
    }
  });

  it('reports a target that accepts connections but never answers down after the timeout', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    const port = await freePort();
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    const moduleRef = await boot(`postgresql://postgres@127.0.0.1:${port}/nope`);
    try {
      const started = Date.now();
      const result = await moduleRef.get(TargetHealthIndicator).isHealthy('target', 300);
      expect(result.target.status).toBe('down');
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await moduleRef.close();
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
