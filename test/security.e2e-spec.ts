import { Metadata, credentials, status } from '@grpc/grpc-js';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@kasho/testing';
import { KashoPipeline } from './support/kasho-pipeline';
import { RawGrpc, bearer } from './support/raw-grpc';
import { REPO_ROOT, ServiceProcess } from './support/service-process';

/**
 * The trust boundary of the raw-row path (docs/security.md), tried as a stranger on the network
 * would: every kasho.v1 RPC without the token and with a wrong one, mTLS without a client
 * certificate, services started without their secrets, the resync endpoint without ADMIN_TOKEN.
 */

/** Every kasho.v1 RPC, with the request that does the most harm when it is answered (issue 12). */
const ATTACKS: { service: 'changeStream' | 'snapshot'; method: string; streaming: boolean; request: object }[] = [
  { service: 'changeStream', method: 'Stream', streaming: true, request: { after_position: '', window: 1000, consumer_id: 'stranger' } },
  {
    service: 'changeStream',
    method: 'Ack',
    streaming: false,
    request: { consumer_id: 'stranger', received_position: '99999999999999-0', applied_position: '99999999999999-0', applied_commit_end_lsn: '99999999999999' },
  },
  { service: 'snapshot', method: 'Prepare', streaming: false, request: {} },
  {
    service: 'snapshot',
    method: 'CopyRange',
    streaming: true,
    request: { snapshot_id: '00000003-00000002-1', schema: 'pg_catalog', table: 'pg_authid', start_block: '0', end_block: '100', format: 'COPY_FORMAT_TEXT' },
  },
  { service: 'snapshot', method: 'Finish', streaming: false, request: { snapshot_id: '00000003-00000002-1' } },
  { service: 'snapshot', method: 'Sequences', streaming: false, request: {} },
];

function call(grpc: RawGrpc, attack: (typeof ATTACKS)[number], metadata: Metadata) {
  const client = grpc[attack.service];
  return attack.streaming ? grpc.serverStream(client, attack.method, attack.request, metadata) : grpc.unary(client, attack.method, attack.request, metadata);
}

function withoutBearer(token: string): Metadata {
  const metadata = new Metadata();
  metadata.set('authorization', token);
  return metadata;
}

function grpcAddress(k: KashoPipeline): string {
  return k.translicator.env.CHANGE_STREAM_SERVICE;
}

/** Entries across every Redis stream (whatever the buffer names its keys). */
async function bufferedEntries(k: KashoPipeline): Promise<number> {
  const redis = k.redis.client();
  try {
    let total = 0;
    for (const key of await redis.keys('*')) if ((await redis.type(key)) === 'stream') total += await redis.xlen(key);
    return total;
  } finally {
    redis.disconnect();
  }
}

async function slotState(k: KashoPipeline): Promise<string> {
  return JSON.stringify(await k.source.query(`SELECT slot_name, restart_lsn::text, confirmed_flush_lsn::text FROM pg_replication_slots ORDER BY slot_name`));
}

describe('security: the gRPC port serves raw rows only to whoever holds the token', () => {
  let k: KashoPipeline;
  let grpc: RawGrpc;

  beforeAll(async () => {
    k = await KashoPipeline.start();
    grpc = new RawGrpc(grpcAddress(k));
  }, 180_000);

  afterAll(async () => {
    grpc?.close();
    await k?.stop();
  });

  it('gives both services the same CHANGE_STREAM_TOKEN by default, and a token-authenticated pipeline replicates', async () => {
    const token = k.changeStream.env.CHANGE_STREAM_TOKEN;
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(k.translicator.env.CHANGE_STREAM_TOKEN).toBe(token);
    await k.source.query(`CREATE TABLE public.accounts (id int PRIMARY KEY, email text)`);
    await k.source.query(`INSERT INTO public.accounts VALUES (1, 'first@corp.example')`);
    await k.waitForEqual(`SELECT id, email FROM public.accounts ORDER BY id`);
    expect(await k.target.query(`SELECT count(*)::int AS n FROM public.accounts`)).toEqual([{ n: 1 }]);
  }, 90_000);

  it('answers grpc.health.v1 Check without a token', async () => {
    const outcome = await grpc.unary(grpc.health, 'Check', { service: 'kasho.v1.ChangeStream' });
    expect(outcome).toEqual({ code: status.OK, details: '', messages: [{ status: 'SERVING' }] });
  });

  it('caps concurrent calls per RPC: RESOURCE_EXHAUSTED beyond the cap, the places come back when calls end', async () => {
    // grpc.health.v1 Watch (cap 16) needs no token and holds its call open.
    const held: (NodeJS.EventEmitter & { cancel(): void })[] = [];
    const opened = (m = new Metadata()) =>
      new Promise<{ code: number }>((resolve) => {
        const watch = (grpc.health as unknown as { Watch: (r: object, m: Metadata) => NodeJS.EventEmitter & { cancel(): void } }).Watch({ service: '' }, m);
        held.push(watch);
        watch.once('data', () => resolve({ code: status.OK }));
        watch.once('error', (err: { code: number }) => resolve({ code: err.code }));
      });
    try {
      const first = await Promise.all(Array.from({ length: 16 }, () => opened()));
      expect(first.every((o) => o.code === status.OK)).toBe(true);
      expect((await opened()).code).toBe(status.RESOURCE_EXHAUSTED);
    } finally {
      for (const w of held) w.cancel();
    }
    await waitFor(async () => (await opened()).code === status.OK, { timeoutMs: 10_000, intervalMs: 200, what: 'a Watch place to come back' });
    for (const w of held) w.cancel();
  }, 60_000);

  it('does not serve POST /snapshot/resync without ADMIN_TOKEN (404, as for no such route)', async () => {
    expect(k.translicator.env.ADMIN_TOKEN).toBeUndefined();
    const url = `http://127.0.0.1:${k.translicator.httpPort}/snapshot/resync`;
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ table: 'public.accounts' }) });
    expect(response.status).toBe(404);
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${k.translicator.httpPort}/health`)).status).toBe(200);
  });

  // Last: it stops the pipeline's translicator (and starts its own).
  it('refuses every kasho.v1 RPC without a token or with a wrong one (UNAUTHENTICATED), and nothing happens', async () => {
    const token = k.changeStream.env.CHANGE_STREAM_TOKEN;
    // Unapplied changes in the buffer: the translicator is stopped, so a forged Ack or a Prepare would show.
    await k.translicator.kill('SIGKILL');
    const before = await bufferedEntries(k);
    await k.source.query(`INSERT INTO public.accounts SELECT g, 'user' || g || '@corp.example' FROM generate_series(2, 301) g`);
    await waitFor(async () => (await bufferedEntries(k)) > before, { timeoutMs: 30_000, intervalMs: 100, what: 'the inserts to reach Redis' });
    await new Promise((r) => setTimeout(r, 1_500));
    const entries = await bufferedEntries(k);
    const slot = await slotState(k);

    const wrongToken = randomBytes(32).toString('hex');
    const refusals: string[] = [];
    for (const attack of ATTACKS) {
      for (const [label, metadata] of [
        ['no token', new Metadata()],
        ['a wrong token', bearer(wrongToken)],
        ['the token without Bearer', withoutBearer(token)],
      ] as const) {
        const outcome = await call(grpc, attack, metadata);
        refusals.push(`${attack.method} with ${label}: ${status[outcome.code]}${outcome.messages.length ? ` after ${outcome.messages.length} messages` : ''}`);
      }
    }
    expect(refusals).toEqual(
      ATTACKS.flatMap((a) => ['no token', 'a wrong token', 'the token without Bearer'].map((label) => `${a.method} with ${label}: UNAUTHENTICATED`)),
    );

    // Nothing was trimmed, acknowledged or re-created.
    expect(await bufferedEntries(k)).toBe(entries);
    expect(await slotState(k)).toBe(slot);
    // With the token the same client is answered (the refusals above were the token's doing).
    expect((await grpc.unary(grpc.snapshot, 'Sequences', {}, bearer(token))).code).toBe(status.OK);
    // A translicator with a wrong token gets nothing, and says why (never the token).
    const impostor = new ServiceProcess('pg-translicator', { ...k.translicator.env, CHANGE_STREAM_TOKEN: wrongToken }, k.translicator.httpPort);
    impostor.start();
    try {
      let health: Record<string, unknown> = {};
      await waitFor(
        async () => {
          health = (await impostor.health().catch(() => ({ status: 0, body: {} }))).body;
          return JSON.stringify(health).includes('CHANGE_STREAM_TOKEN');
        },
        { timeoutMs: 60_000, intervalMs: 250, what: 'the impostor translicator to report the refusal' },
      );
      expect(health.status).toBe('error');
      expect(await k.target.query(`SELECT count(*)::int AS n FROM public.accounts`)).toEqual([{ n: 1 }]);
      expect(impostor.output.join('\n')).not.toContain(wrongToken);
    } finally {
      await impostor.kill('SIGKILL');
    }
    expect(await bufferedEntries(k)).toBe(entries);
    expect(await slotState(k)).toBe(slot);

    // The translicator comes back and the target ends identical: no change was lost.
    const again = new ServiceProcess('pg-translicator', k.translicator.env, k.translicator.httpPort);
    again.start();
    try {
      await k.waitForEqual(`SELECT id, email FROM public.accounts ORDER BY id`, 90_000);
    } finally {
      await again.kill('SIGTERM');
    }
    const logs = [k.logs(), ...again.output].join('\n');
    expect(logs).toContain('refused /kasho.v1.Snapshot/Prepare');
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(wrongToken);
  }, 180_000);
});

describe('security: mTLS instead of a token', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasho-tls-'));
  const file = (name: string) => join(dir, name);
  let k: KashoPipeline;

  /** A CA, a server certificate for 127.0.0.1/localhost and a client certificate, with the openssl CLI. */
  function makeCertificates(): void {
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl('req', '-x509', ...key, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=kasho-e2e-ca');
    writeFileSync(file('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    writeFileSync(file('client.ext'), 'extendedKeyUsage=clientAuth\n');
    for (const [name, cn] of [
      ['server', 'localhost'],
      ['client', 'pg-translicator'],
    ]) {
      openssl('req', ...key, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
      openssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.pem`,
        '-days',
        '2',
        '-extfile',
        `${name}.ext`,
      );
    }
  }

  beforeAll(async () => {
    makeCertificates();
    k = await KashoPipeline.start({
      changeStreamEnv: { CHANGE_STREAM_TOKEN: '', GRPC_TLS_CERT: file('server.pem'), GRPC_TLS_KEY: file('server.key'), GRPC_TLS_CA: file('ca.pem') },
      translicatorEnv: { CHANGE_STREAM_TOKEN: '', GRPC_TLS_CERT: file('client.pem'), GRPC_TLS_KEY: file('client.key'), GRPC_TLS_CA: file('ca.pem') },
    });
  }, 180_000);

  afterAll(async () => {
    await k?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replicates a row over mTLS, with no token anywhere', async () => {
    expect(k.changeStream.output.join('\n')).toContain('mTLS');
    await k.source.query(`CREATE TABLE public.tls_rows (id int PRIMARY KEY, note text)`);
    await k.source.query(`INSERT INTO public.tls_rows VALUES (1, 'over TLS')`);
    await k.waitForEqual(`SELECT id, note FROM public.tls_rows ORDER BY id`);
    expect(await k.target.query(`SELECT note FROM public.tls_rows`)).toEqual([{ note: 'over TLS' }]);
  }, 90_000);

  it('refuses a client without a client certificate, and a plaintext one; answers one with a certificate', async () => {
    const address = grpcAddress(k);
    const ca = readFileSync(file('ca.pem'));
    const withCert = new RawGrpc(address, credentials.createSsl(ca, readFileSync(file('client.key')), readFileSync(file('client.pem'))));
    const noCert = new RawGrpc(address, credentials.createSsl(ca));
    const plaintext = new RawGrpc(address);
    try {
      expect((await withCert.unary(withCert.snapshot, 'Sequences', {})).code).toBe(status.OK);
      for (const stranger of [noCert, plaintext]) {
        const sequences = await stranger.unary(stranger.snapshot, 'Sequences', {}, new Metadata(), 5_000);
        expect(sequences.code).not.toBe(status.OK);
        expect(sequences.messages).toEqual([]);
        const stream = await stranger.serverStream(stranger.changeStream, 'Stream', ATTACKS[0].request, new Metadata(), 5_000);
        expect(stream.code).not.toBe(status.OK);
        expect(stream.messages).toEqual([]);
      }
    } finally {
      for (const c of [withCert, noCert, plaintext]) c.close();
    }
  }, 60_000);
});

describe('security: the services refuse to start without their secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasho-secrets-'));
  const transforms = join(dir, 'transforms.yml');
  writeFileSync(transforms, 'version: v1\ntables: {}\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function run(binary: string, env: Record<string, string>) {
    const result = spawnSync(process.execPath, [join(REPO_ROOT, binary)], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { code: result.status, output: result.stderr + result.stdout };
  }

  it('pg-change-stream without CHANGE_STREAM_TOKEN, mTLS or GRPC_INSECURE=true exits non-zero, saying how to make a token', () => {
    const base = { PRIMARY_DATABASE_URL: 'postgresql://u@127.0.0.1:1/db', KV_URL: 'redis://127.0.0.1:1' };
    const refused = run('pg-change-stream', base);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('CHANGE_STREAM_TOKEN environment variable is required');
    expect(refused.output).toContain('openssl rand -hex 32');
    const short = run('pg-change-stream', { ...base, CHANGE_STREAM_TOKEN: 'too-short-a-token' });
    expect(short.code).not.toBe(0);
    expect(short.output).toContain('CHANGE_STREAM_TOKEN: must be at least 32 characters');
    expect(short.output).not.toContain('too-short-a-token');
    // The explicit opt-out passes validation (it then fails on the unreachable database instead).
    const insecure = run('pg-change-stream', { ...base, GRPC_INSECURE: 'true' });
    expect(insecure.output).not.toContain('CHANGE_STREAM_TOKEN');
    expect(run('pg-change-stream', { ...base, GRPC_INSECURE: 'yes' }).output).toContain('GRPC_INSECURE: must be true or false');
  }, 90_000);

  it('pg-translicator without TRANSFORMS_SECRET, or with a short one, exits non-zero naming it', () => {
    const base = { CHANGE_STREAM_SERVICE: '127.0.0.1:1', REPLICA_DATABASE_URL: 'postgresql://u@127.0.0.1:1/db', TRANSFORMS_FILE: transforms };
    const missing = run('pg-translicator', base);
    expect(missing.code).not.toBe(0);
    expect(missing.output).toContain('TRANSFORMS_SECRET environment variable is required');
    const short = run('pg-translicator', { ...base, TRANSFORMS_SECRET: 'shortsecret' });
    expect(short.code).not.toBe(0);
    expect(short.output).toContain('TRANSFORMS_SECRET: must be at least 32 characters');
    expect(short.output).not.toContain('shortsecret');
  }, 60_000);
});
