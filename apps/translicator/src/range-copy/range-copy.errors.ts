/** PostgreSQL's own count of a range's COPY differs from the rows pg-change-stream said it sent. */
export class CopyRowCountError extends Error {
  override readonly name = 'CopyRowCountError';

  constructor(schema: string, table: string, written: number, sent: number) {
    super(`COPY into ${schema}.${table} wrote ${written} rows where pg-change-stream sent ${sent}`);
  }
}
