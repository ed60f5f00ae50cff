import { fitCheckFor } from '../column-fit';
import { RegisterTransform } from '../transform.decorator';
import type { ColumnFacts, OptionSpecs, ResolvedOptions, Transform, TransformContext } from '../transform.interface';

interface HashOptions {
  length: number;
}

/** Fewer hex digits than this (32 bits) would collide within a few tens of thousands of rows. */
export const HASH_MIN_LENGTH = 8;
/** SHA-256 has 64 hex digits. */
export const HASH_MAX_LENGTH = 64;

/**
 * `{type: Hash, length: 16}`: HMAC-SHA256(TRANSFORMS_SECRET, 'Hash' 0x00 value) as lower-case hex
 * (0-9a-f), its first `length` digits (8–64, default 64). Deterministic: the same value gives the
 * same hash in every table, process, restart, snapshot and stream, so joins on hashed keys still
 * match. Not reversible; keyed, so nobody without the secret can hash guessed inputs (a dictionary
 * of emails) to find which one a hash stands for. NULL stays NULL.
 */
@RegisterTransform('Hash')
export class HashTransform implements Transform<HashOptions> {
  readonly options: OptionSpecs = {
    length: { type: 'integer', min: HASH_MIN_LENGTH, max: HASH_MAX_LENGTH, default: HASH_MAX_LENGTH, description: 'hex digits kept' },
  };

  prepare(options: ResolvedOptions): HashOptions {
    return { length: options.length as number };
  }

  checkColumn(prepared: HashOptions, column: ColumnFacts): string | undefined {
    // A representative output: `length` hex letters (a digit-only hash is possible, a letter-free one rare).
    const problem = fitCheckFor({ name: column.name, type: column.type, typeOid: 0, typeMod: -1, key: false })('f'.repeat(prepared.length));
    return problem && `its ${prepared.length} hex digits do not fit the column (${problem}); use a text column or a smaller length`;
  }

  apply(_value: string, ctx: TransformContext<HashOptions>): string {
    return ctx.random.hex(ctx.options.length);
  }
}
