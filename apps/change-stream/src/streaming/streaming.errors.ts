/** Another target holds the change stream. The message names the situation and the fix, no values. */
export class ConsumerConflictError extends Error {
  override readonly name = 'ConsumerConflictError';
}
