import type { PgServerVersion } from './server-version';

/** A source or target server older than Kasho supports: fatal at boot, it needs a person. */
export class UnsupportedServerVersionError extends Error {
  constructor(
    message: string,
    readonly version: PgServerVersion,
  ) {
    super(message);
    this.name = 'UnsupportedServerVersionError';
  }
}
