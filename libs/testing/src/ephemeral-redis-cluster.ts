import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis, { Cluster } from 'ioredis';
import { requireBinary } from './binaries';
import { freePort } from './free-port';

const run = promisify(execFile);
const HINT = 'install Redis (apt-get install -y redis-server redis-tools)';

interface Node {
  port: number;
  busPort: number;
  dir: string;
  process?: ChildProcess;
}

/**
 * A throwaway Redis Cluster of masters only (no replicas), each node a redis-server on free loopback
 * ports (client port and cluster-bus port) without persistence, joined by `redis-cli --cluster create`.
 */
export class EphemeralRedisCluster {
  private constructor(private readonly nodes: Node[]) {}

  static async start(size = 3): Promise<EphemeralRedisCluster> {
    const server = requireBinary('redis-server', [], HINT);
    const cli = requireBinary('redis-cli', [], HINT);
    const nodes: Node[] = [];
    for (let i = 0; i < size; i++) {
      nodes.push({ port: await freePort(), busPort: await freePort(), dir: mkdtempSync(join(tmpdir(), 'kasho-redis-cluster-')) });
    }
    const cluster = new EphemeralRedisCluster(nodes);
    try {
      for (const node of nodes) cluster.launch(server, node);
      await Promise.all(
        nodes.map((node) => waitUntil(`redis-server on port ${node.port} answers`, 10_000, async () => (await ask(node.port, (r) => r.ping())) === 'PONG')),
      );
      await run(cli, ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
      await waitUntil('cluster_state:ok on every node', 20_000, async () => {
        const states = await Promise.all(nodes.map((n) => ask(n.port, (r) => r.cluster('INFO'))));
        return states.every((info) => /cluster_state:ok/.test(String(info)));
      });
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  get ports(): number[] {
    return this.nodes.map((n) => n.port);
  }

  /** The KV_URL of the cluster: every node as a seed. */
  get url(): string {
    return `redis+cluster://${this.ports.map((p) => `127.0.0.1:${p}`).join(',')}`;
  }

  /** A cluster client (commands routed by slot). The caller disconnects it. */
  client(): Cluster {
    return new Cluster(
      this.ports.map((port) => ({ host: '127.0.0.1', port })),
      { redisOptions: { maxRetriesPerRequest: 1 } },
    );
  }

  /** What a cluster that restarted empty looks like: every node flushed, its script cache too. */
  async flushAll(): Promise<void> {
    await Promise.all(
      this.ports.map((port) =>
        ask(port, async (r) => {
          await r.flushall();
          await r.script('FLUSH');
        }),
      ),
    );
  }

  /** Stops every node (kill -9) and removes their directories. */
  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (node) => {
        const proc = node.process;
        if (proc && proc.exitCode === null && proc.signalCode === null) {
          await new Promise<void>((resolve) => {
            proc.once('exit', () => resolve());
            proc.kill('SIGKILL');
          });
        }
        rmSync(node.dir, { recursive: true, force: true });
      }),
    );
  }

  private launch(binary: string, node: Node): void {
    const args = ['--port', String(node.port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-port', String(node.busPort)];
    args.push('--cluster-config-file', join(node.dir, 'nodes.conf'), '--save', '', '--appendonly', 'no', '--dir', node.dir);
    node.process = spawn(binary, args, { stdio: 'ignore' });
  }
}

/** One command on a short-lived direct connection to one node. */
async function ask<T>(port: number, command: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined); // refused while the server starts: the command rejects, that is enough
  try {
    await redis.connect();
    return await command(redis);
  } finally {
    redis.disconnect();
  }
}

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Redis Cluster: timed out after ${timeoutMs} ms waiting until ${what}`);
}
