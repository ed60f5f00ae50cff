/** What the apply loop reads of the configuration (the app maps its environment onto this). */
export interface ApplyLoopOptions {
  /** The target (REPLICA_DATABASE_URL), for the transforms coverage check's own session. */
  targetUrl: string;
  /** Changes in flight from the change stream (STREAM_WINDOW, its gRPC flow-control window). */
  streamWindow: number;
  /** Source transactions grouped into one target transaction when they are already waiting (APPLY_MAX_TRANSACTIONS). */
  maxTransactions: number;
  /** Changes grouped into one target transaction; a single larger source transaction is never split (APPLY_MAX_CHANGES). */
  maxChanges: number;
  /** The shutdown bound (SHUTDOWN_TIMEOUT_MS): the drain gets half of it. */
  shutdownTimeoutMs: number;
}
