const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Bounds a graceful shutdown: from the first SIGTERM/SIGINT, the process has `timeoutMs` to close
 * by itself; past it `onExpired` runs and the process exits with code 1. The timer is unref'd, so
 * it never keeps a process alive that is otherwise done.
 */
export function armShutdownDeadline(timeoutMs: number, onExpired: (signal: NodeJS.Signals) => void): void {
  let armed = false;
  const arm = (signal: NodeJS.Signals) => {
    if (armed) return;
    armed = true;
    for (const s of SIGNALS) process.removeListener(s, arm);
    setTimeout(() => {
      try {
        onExpired(signal);
      } finally {
        process.exit(1);
      }
    }, timeoutMs).unref();
  };
  for (const s of SIGNALS) process.on(s, arm);
}
