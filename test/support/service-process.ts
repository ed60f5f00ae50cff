import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@kasho/testing';

export const REPO_ROOT = join(__dirname, '..', '..');

/**
 * The secrets every service of an e2e run gets unless a spec says otherwise (an empty string unsets
 * one): one CHANGE_STREAM_TOKEN per test file, generated, shared by every pg-change-stream and
 * pg-translicator it starts; a fixed TRANSFORMS_SECRET, so specs can compute the fakes they expect.
 */
export const E2E_CHANGE_STREAM_TOKEN = randomBytes(32).toString('hex');
export const E2E_TRANSFORMS_SECRET = 'e2e-transforms-secret-0123456789abcdef';

export function serviceDefaults(name: 'pg-change-stream' | 'pg-translicator'): Record<string, string> {
  return name === 'pg-change-stream'
    ? { CHANGE_STREAM_TOKEN: E2E_CHANGE_STREAM_TOKEN }
    : { CHANGE_STREAM_TOKEN: E2E_CHANGE_STREAM_TOKEN, TRANSFORMS_SECRET: E2E_TRANSFORMS_SECRET };
}

/** One of the two real Kasho executables, started from the build (`npm run build`). */
export class ServiceProcess {
  private child?: ChildProcess;
  private exit?: Promise<number | null>;
  readonly output: string[] = [];
  /** The environment it starts with: serviceDefaults(name), then what the spec passed. */
  readonly env: Record<string, string>;

  constructor(
    readonly name: 'pg-change-stream' | 'pg-translicator',
    env: Record<string, string>,
    readonly httpPort: number,
  ) {
    this.env = { ...serviceDefaults(name), ...env };
  }

  start(): void {
    const entry = join(REPO_ROOT, this.name);
    const built = join(REPO_ROOT, 'dist', 'apps', this.name.replace(/^pg-/, ''));
    if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build before the end-to-end tests`);
    // E2E_NODE_ARGS: extra node flags for a run (e.g. --cpu-prof), which NODE_OPTIONS does not accept.
    const nodeArgs = (this.env.E2E_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, entry], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) this.output.push(line);
      if (this.output.length > 5000) this.output.splice(0, this.output.length - 5000);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    if (!this.running) return this.child?.exitCode ?? null;
    this.child!.kill(signal);
    return this.exit!;
  }

  /** Resolves with the exit code, or rejects after `timeoutMs`. */
  async exited(timeoutMs = 15_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name} did not exit within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exit!, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async health(path = '/health'): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`http://127.0.0.1:${this.httpPort}${path}`, { signal: AbortSignal.timeout(2_000) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** GET /metrics (Prometheus text). */
  async metrics(): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${this.httpPort}/metrics`, { signal: AbortSignal.timeout(5_000) });
    if (response.status !== 200) throw new Error(`${this.name} /metrics answered ${response.status}`);
    return response.text();
  }

  async waitHealthy(timeoutMs = 30_000): Promise<void> {
    await waitFor(
      async () => {
        if (!this.running) throw new Error(`${this.name} exited: ${this.tail()}`);
        return (await this.health()).status === 200;
      },
      { timeoutMs, intervalMs: 100, what: `${this.name} /health 200` },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n--- ${this.name} output ---\n${this.tail()}`);
    });
  }

  tail(lines = 40): string {
    return this.output.slice(-lines).join('\n');
  }
}
