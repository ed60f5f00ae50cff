import { credentials, loadPackageDefinition, status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { GRPC_HEALTH_PROTO_PATH, KASHO_PROTO_LOADER_OPTIONS } from '@kasho/contracts';
import { waitFor } from '@kasho/testing';
import { KashoPipeline } from './support/kasho-pipeline';
import type { ServiceProcess } from './support/service-process';

type Status = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';
interface HealthStub {
  Check(req: { service: string }, options: { deadline: number }, cb: (err: ServiceError | null, res?: { status: Status }) => void): void;
  Watch(req: { service: string }): NodeJS.EventEmitter & { cancel(): void };
  close(): void;
}

/** A plain @grpc/grpc-js client of grpc.health.v1.Health, as a load balancer or grpc_health_probe would use it. */
function healthClient(port: string): HealthStub {
  const pkg = loadPackageDefinition(loadSync(GRPC_HEALTH_PROTO_PATH, KASHO_PROTO_LOADER_OPTIONS)) as unknown as {
    grpc: { health: { v1: { Health: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => HealthStub } } };
  };
  return new pkg.grpc.health.v1.Health(`127.0.0.1:${port}`, credentials.createInsecure());
}

function check(client: HealthStub, service: string): Promise<Status> {
  return new Promise((resolve, reject) =>
    client.Check({ service }, { deadline: Date.now() + 3_000 }, (err, res) => (err ? reject(err) : resolve(res!.status))),
  );
}

/** Waits until /health answers `status`, and returns the body. */
async function waitForHealth(service: ServiceProcess, status: number, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  let body: Record<string, unknown> = {};
  await waitFor(
    async () => {
      const result = await service.health().catch(() => undefined);
      if (result) body = result.body;
      return result?.status === status;
    },
    { timeoutMs, intervalMs: 200, what: `${service.name} /health ${status}` },
  ).catch((err: Error) => {
    throw new Error(`${err.message}; last body ${JSON.stringify(body)}\n${service.tail()}`);
  });
  return body;
}

const downChecks = (body: Record<string, unknown>) => Object.keys((body.error ?? {}) as object);

describe('health: readiness follows each dependency down and back; liveness never calls one', () => {
  let k: KashoPipeline;
  let grpc: HealthStub;

  beforeAll(async () => {
    k = await KashoPipeline.start();
    grpc = healthClient(k.changeStream.env.GRPC_PORT);
    await k.source.query(`CREATE TABLE public.pings (id serial PRIMARY KEY, note text)`);
    await k.waitForEqual(`SELECT count(*)::int AS n FROM public.pings`);
  }, 120_000);

  afterAll(async () => {
    grpc?.close();
    await k?.stop();
  });

  async function expectFlowing(label: string): Promise<void> {
    await k.source.query(`INSERT INTO public.pings (note) VALUES ($1)`, [label]);
    await k.waitForEqual(`SELECT count(*)::int AS n FROM public.pings`, 60_000);
  }

  it('serves grpc.health.v1.Health on the gRPC port: SERVING for "" and kasho.v1.ChangeStream, NOT_FOUND otherwise', async () => {
    expect(await check(grpc, '')).toBe('SERVING');
    expect(await check(grpc, 'kasho.v1.ChangeStream')).toBe('SERVING');
    await expect(check(grpc, 'no.such.Service')).rejects.toMatchObject({ code: grpcStatus.NOT_FOUND });
    const live = await k.changeStream.health('/health/live');
    expect(live.status).toBe(200);
    expect(live.body.info).toHaveProperty('event_loop');
    const source = (await k.changeStream.health()).body.info as Record<string, Record<string, unknown>>;
    expect(source.source).toMatchObject({ status: 'up', slot: 'kasho_slot', active: true, walStatus: 'reserved' });
    expect(source.source.retainedWalBytes).toEqual(expect.any(Number));
    const ready = await k.translicator.health();
    expect(Object.keys(ready.body.info as object).sort()).toEqual(['apply', 'change-stream', 'target']);
  });

  it('Redis down: pg-change-stream is unready naming redis, NOT_SERVING over gRPC, still live; it recovers by itself', async () => {
    const watch = grpc.Watch({ service: 'kasho.v1.ChangeStream' });
    const seen: Status[] = [];
    watch.on('data', (res: { status: Status }) => seen.push(res.status));
    watch.on('error', () => undefined);
    try {
      await waitFor(async () => seen[0] === 'SERVING', { timeoutMs: 10_000, what: 'Watch to send SERVING' });

      await k.redis.kill();
      const body = await waitForHealth(k.changeStream, 503);
      expect(downChecks(body)).toContain('redis');
      expect((await k.changeStream.health('/health/live')).status).toBe(200);
      expect((await k.translicator.health('/health/live')).status).toBe(200);
      expect(await check(grpc, '')).toBe('NOT_SERVING');
      await waitFor(async () => seen.includes('NOT_SERVING'), { timeoutMs: 15_000, what: 'Watch to send NOT_SERVING' });
      // The translicator sees its peer stop serving.
      expect(downChecks(await waitForHealth(k.translicator, 503))).toContain('change-stream');

      await k.redis.launch(); // comes back empty: decoding restarts from the slot
      await waitForHealth(k.changeStream, 200, 60_000);
      await waitFor(async () => seen[seen.length - 1] === 'SERVING', { timeoutMs: 15_000, what: 'Watch to send SERVING again' });
      expect(seen.filter((s, i) => i === 0 || s !== seen[i - 1])).toEqual(['SERVING', 'NOT_SERVING', 'SERVING']);
      await waitForHealth(k.translicator, 200, 60_000);
      await expectFlowing('after redis');
    } finally {
      watch.cancel();
    }
  }, 180_000);

  it('target down: pg-translicator is unready naming target, still live; it recovers by itself', async () => {
    await k.target.stopServer();
    try {
      const body = await waitForHealth(k.translicator, 503);
      expect(downChecks(body)).toContain('target');
      expect((await k.translicator.health('/health/live')).status).toBe(200);
      expect((await k.changeStream.health()).status).toBe(200);
    } finally {
      await k.target.startServer();
    }
    await waitForHealth(k.translicator, 200, 60_000);
    await expectFlowing('after target');
  }, 180_000);

  it('pg-change-stream down: pg-translicator is unready naming the gRPC peer; it recovers when the peer is back', async () => {
    await k.changeStream.kill('SIGKILL');
    const body = await waitForHealth(k.translicator, 503);
    expect(downChecks(body)).toContain('change-stream');
    expect(JSON.stringify(body.error)).toContain('pg-change-stream unreachable');
    expect((await k.translicator.health('/health/live')).status).toBe(200);

    k.changeStream.start();
    await k.changeStream.waitHealthy(60_000);
    await waitForHealth(k.translicator, 200, 60_000);
    await expectFlowing('after change-stream');
  }, 180_000);
});
