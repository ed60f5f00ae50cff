import { ChangeEnvelope, ChangePayload, Position } from '@kasho/contracts';
import { ChangeDecodeError } from './buffer.errors';

/** The single stream field that holds a change. */
export const CHANGE_FIELD = 'change';

const KINDS: ReadonlySet<string> = new Set(['insert', 'update', 'delete', 'truncate', 'ddl', 'commit']);

/**
 * Compact JSON of the payload. Values are already text (`Datum = string | null`, I7), so JSON keeps them
 * byte for byte; absent keys stay absent (a key holding `undefined` is dropped, which is what "absent" means).
 */
export function encodeChange(change: ChangePayload): string {
  return JSON.stringify(change);
}

/** Decodes a stored entry back to an envelope whose position is the entry ID. Errors name the position, never the payload. */
export function decodeChange(id: string, json: string): ChangeEnvelope {
  let change: unknown;
  try {
    change = JSON.parse(json);
  } catch {
    throw new ChangeDecodeError(id, 'not valid JSON');
  }
  if (typeof change !== 'object' || change === null || Array.isArray(change)) throw new ChangeDecodeError(id, 'not a JSON object');
  const kind = (change as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !KINDS.has(kind)) throw new ChangeDecodeError(id, 'unknown change kind');
  return { position: Position.parse(id).toString(), change: change as ChangePayload };
}

/** Decodes a stream entry's flat field list (`[field, value, …]`). */
export function decodeEntry(id: string, fields: readonly string[]): ChangeEnvelope {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === CHANGE_FIELD) return decodeChange(id, fields[i + 1]);
  }
  throw new ChangeDecodeError(id, `no "${CHANGE_FIELD}" field`);
}
