import { withTimeout } from '@kasho/runtime';

/**
 * Whatever the demo starts is registered here as it starts, and stopped in reverse order exactly
 * once: on Ctrl-C (SIGINT/SIGTERM), at the end of DEMO_DURATION_SECONDS, or after a failure. A
 * second Ctrl-C stops waiting: every resource's `kill` runs at once and the process exits 130.
 */
export class DemoLifecycle {
  private readonly resources: { name: string; stop: () => Promise<void>; kill?: () => void; done?: boolean }[] = [];
  private stopRequested = false;
  private resolveStop!: (reason: string) => void;
  /** Resolves with the reason when a stop is asked for. */
  readonly stopped = new Promise<string>((resolve) => (this.resolveStop = resolve));
  private cleaning?: Promise<void>;
  /** Resources still starting: a forced stop waits for them (bounded) so that it can stop them too. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly log: (line: string) => void) {}

  get stopping(): boolean {
    return this.stopRequested;
  }

  /** Registers something to stop later; `kill` is the immediate variant for a forced exit. */
  add(name: string, stop: () => Promise<void>, kill?: () => void): void {
    this.resources.push({ name, stop, kill });
  }

  /** Registers `resource` once `starting` resolves; until then a forced stop waits for it. */
  starting<T>(name: string, starting: Promise<T>, stop: (resource: T) => Promise<void>): Promise<T> {
    const registered = starting.then((resource) => {
      this.add(name, () => stop(resource));
      return resource;
    });
    const settled = registered.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return registered;
  }

  requestStop(reason: string): void {
    if (this.stopRequested) return;
    this.stopRequested = true;
    this.resolveStop(reason);
  }

  installSignalHandlers(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (!this.stopRequested) {
        this.log(`\n${signal}: stopping the demo (press Ctrl-C again to force)...`);
        this.requestStop(signal);
      } else {
        this.log(`\n${signal} again: forcing the stop`);
        void this.force();
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  /** Stops everything registered, newest first; each stop is bounded and a failing one does not stop the rest. */
  cleanup(): Promise<void> {
    this.cleaning ??= (async () => {
      for (const resource of [...this.resources].reverse()) {
        this.log(`  stopping ${resource.name}`);
        try {
          await withTimeout(resource.stop(), 20_000, `${resource.name} did not stop within 20000 ms`);
        } catch (err) {
          this.log(`  could not stop ${resource.name}: ${(err as Error).message}`);
        }
        resource.done = true;
      }
    })();
    return this.cleaning;
  }

  private async force(): Promise<void> {
    this.killAll();
    // Something still starting (a cluster in initdb) registers when it is up: wait for it, bounded,
    // so that it is stopped too instead of left running.
    if (this.pending.size)
      await withTimeout(Promise.allSettled([...this.pending]), 30_000, 'starting resources did not stop within 30000 ms').catch(() => undefined);
    this.killAll();
    const left = this.resources.filter((r) => !r.done).reverse();
    // Clusters and temp dirs stop synchronously; give the rest a moment, never more.
    await withTimeout(Promise.allSettled(left.map((r) => r.stop())), 5_000, 'forced stop did not stop within 5000 ms').catch(() => undefined);
    process.exit(130);
  }

  private killAll(): void {
    for (const r of this.resources.filter((x) => !x.done).reverse()) {
      try {
        r.kill?.();
      } catch {
        // best effort
      }
    }
  }
}
