import { invalidArgument } from '../grpc/grpc-status.mapper';

/** An id the client chooses (consumer id, target id): non-empty, short, printable, since it appears in logs. */
export function requireId(text: string | undefined, field: string, what: string): string {
  if (!text) throw invalidArgument(`${field} is required: ${what}`);
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(text)) throw invalidArgument(`${field} must be 1-128 letters, digits, '.', '_', ':' or '-'`);
  return text;
}
