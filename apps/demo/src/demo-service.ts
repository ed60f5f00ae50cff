import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export type ServiceName = 'pg-change-stream' | 'pg-translicator';

export interface HealthState {
  status: 'ready' | 'not ready' | 'down';
  /** The failing checks of /health (503), e.g. `redis`. */
  failing: string[];
}

/** One Kasho executable (./pg-change-stream or ./pg-translicator) run by the demo, output kept in memory. */
export class DemoService {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private readonly lines: string[] = [];
  /** Set when the process ended without the demo asking it to. */
  unexpectedExit?: string;
  private stopping = false;

  constructor(
    readonly name: ServiceName,
    private readonly root: string,
    private readonly env: Record<string, string>,
    readonly httpPort: number,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    const child = spawn(process.execPath, [join(this.root, this.name)], {
      cwd: this.root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        if (!this.stopping) this.unexpectedExit = `${this.name} exited (${signal ?? `code ${code}`})`;
        resolve();
      }),
    );
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) this.lines.push(line);
      if (this.lines.length > 400) this.lines.splice(0, this.lines.length - 400);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
  }

  async health(): Promise<HealthState> {
    try {
      const response = await fetch(`http://127.0.0.1:${this.httpPort}/health`, { signal: AbortSignal.timeout(900) });
      if (response.status === 200) return { status: 'ready', failing: [] };
      const body = (await response.json().catch(() => ({}))) as { error?: Record<string, unknown> };
      return { status: 'not ready', failing: Object.keys(body.error ?? {}) };
    } catch {
      return { status: 'down', failing: [] };
    }
  }

  /** Polls /health until 200; fails early when the process exits, and after `timeoutMs`. */
  async waitReady(timeoutMs: number, aborted: () => boolean): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: HealthState = { status: 'down', failing: [] };
    while (Date.now() < deadline && !aborted()) {
      if (!this.running) throw new Error(`${this.name} exited during start-up:\n${this.tail()}`);
      last = await this.health();
      if (last.status === 'ready') return;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (aborted()) return;
    const why = last.status === 'down' ? 'its HTTP port never answered' : `/health still fails: ${last.failing.join(', ') || 'unknown'}`;
    throw new Error(`${this.name} was not ready after ${Math.round(timeoutMs / 1000)} s (${why}):\n${this.tail()}`);
  }

  /** SIGTERM (graceful: both services drain and close), SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    if (!this.running) return;
    this.child!.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = await Promise.race([this.exited!.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)))]);
    clearTimeout(timer);
    if (killed && this.running) {
      this.child!.kill('SIGKILL');
      await this.exited;
    }
  }

  /** Immediate, for a second Ctrl-C. */
  kill(): void {
    this.stopping = true;
    if (this.running) this.child!.kill('SIGKILL');
  }

  tail(lines = 25): string {
    return this.lines
      .slice(-lines)
      .map((l) => `    ${l}`)
      .join('\n');
  }
}
