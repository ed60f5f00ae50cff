import { Inject, Injectable } from '@nestjs/common';
import { APPLY_LOOP_OPTIONS } from './apply-loop.module-definition';
import { ApplyLoopOptions } from './apply-loop.options';

/**
 * The apply loop's two stop signals and the shutdown bound (SHUTDOWN_TIMEOUT_MS). `signal` is aborted
 * when shutdown starts: intake stops, no new target transaction begins. `drainSignal` is aborted half
 * of the bound later: until then the source transaction in flight may take more batches to complete.
 */
@Injectable()
export class ApplyShutdown {
  private readonly intake = new AbortController();
  private readonly drain = new AbortController();
  private drainTimer?: NodeJS.Timeout;

  constructor(@Inject(APPLY_LOOP_OPTIONS) private readonly options: Pick<ApplyLoopOptions, 'shutdownTimeoutMs'>) {}

  get stopping(): boolean {
    return this.intake.signal.aborted;
  }

  get signal(): AbortSignal {
    return this.intake.signal;
  }

  get drainSignal(): AbortSignal {
    return this.drain.signal;
  }

  /** Stops intake now and ends the drain at half of the bound. */
  begin(): void {
    this.intake.abort();
    this.drainTimer = setTimeout(() => this.drain.abort(), this.options.shutdownTimeoutMs * 0.5);
  }

  end(): void {
    clearTimeout(this.drainTimer);
  }

  /** Waits for `promise` (never throws) at most `share` of the bound; false when it did not settle by then. */
  settles(promise: Promise<unknown> | undefined, share: number): Promise<boolean> {
    return settlesWithin(promise, this.options.shutdownTimeoutMs * share);
  }
}

/** Waits for `promise` (never throws); false when it did not settle within `ms`. */
async function settlesWithin(promise: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      Promise.resolve(promise).then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
