/** A step of the snapshot failed (and was rolled back); `cause` is the error of the step. */
export class SnapshotStepError extends Error {
  override readonly name = 'SnapshotStepError';

  constructor(step: string, cause: unknown) {
    super(`${step} failed: ${(cause as Error).message}`, { cause });
  }
}

/** The process is shutting down: the snapshot stops between tasks (a restart resumes it). */
export class SnapshotInterruptedError extends Error {
  override readonly name = 'SnapshotInterruptedError';

  constructor() {
    super('snapshot interrupted by shutdown');
  }
}

/** The compare-and-set of the snapshot's position found another position: another writer applied to this target. */
export class SnapshotPositionConflictError extends Error {
  override readonly name = 'SnapshotPositionConflictError';

  constructor(expected: string) {
    super(`kasho.applied_position no longer holds ${expected}: another writer applied to this target`);
  }
}
