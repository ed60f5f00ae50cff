/** What the metrics lib needs; the app passes its own name. */
export interface MetricsOptions {
  /** Service name, the `service` label of `kasho_errors_total`, e.g. `pg-change-stream`. */
  service: string;
  /** Error kinds reported at 0 from the start, so `rate()` and `increase()` alerts see them before the first error. */
  errorKinds?: readonly string[];
  /** Process metrics (CPU, memory, event loop lag, GC) as `kasho_process_*`, `kasho_nodejs_*`. Default true. */
  defaultMetrics?: boolean;
}
