import { RegisterTransform } from '../transform.decorator';
import type { Transform } from '../transform.interface';

/** The type name that lists a column as replicated unchanged. */
export const KEEP_TYPE = 'Keep';

/**
 * `column: Keep`: the column is replicated as it is. It transforms nothing: the config loader lists
 * the column as kept (so `mode: strict` accepts it) and no rule runs for it, so a table with only
 * `Keep` columns is copied byte for byte. `apply` (the identity) exists for the registry's contract.
 */
@RegisterTransform(KEEP_TYPE)
export class KeepTransform implements Transform {
  apply(value: string): string {
    return value;
  }
}
