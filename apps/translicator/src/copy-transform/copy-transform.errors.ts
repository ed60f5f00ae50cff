/** A COPY row from pg-change-stream has another number of fields than the table's columns: the copy stops (nothing of the range is written). */
export class CopyFieldCountError extends Error {
  override readonly name = 'CopyFieldCountError';

  constructor(table: string, fields: number, columns: number) {
    super(`COPY row of ${table} has ${fields} fields, expected ${columns}`);
  }
}
