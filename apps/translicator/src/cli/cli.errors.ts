/** The command line is wrong (unknown flag, bad value); the message ends with the usage. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/** pg-translicator did not accept a `kasho resync` request (wrong or missing ADMIN_TOKEN, bad table…). */
export class ResyncRefusedError extends Error {
  override readonly name = 'ResyncRefusedError';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A resync was still pending or running when `kasho resync --timeout` ran out (it goes on). */
export class ResyncTimeoutError extends Error {
  override readonly name = 'ResyncTimeoutError';
}

/** `kasho preview --table` names a table the source does not have (or one without columns). */
export class PreviewTableNotFoundError extends Error {
  override readonly name = 'PreviewTableNotFoundError';

  constructor(schema: string, table: string) {
    super(`table ${schema}.${table} not found (or has no columns)`);
  }
}
