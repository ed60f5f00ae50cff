import { TransformOptionError } from '../../transform.errors';
import type { OptionSpecs, ResolvedOptions, Transform, TransformContext } from '../../transform.interface';
import { compileTemplate, CompiledTemplate } from '../template/template.renderer';

export interface PreparedPassword {
  options: ResolvedOptions;
  cleartext: CompiledTemplate;
  cache: Map<string, string>;
}

const COMMON_OPTIONS: OptionSpecs = {
  cleartext: { type: 'string', required: true, description: 'the password to hash; may be a template such as "{{.username}}-pw"' },
  use_salt: { type: 'boolean', default: true },
};

const ZERO_SALT = Buffer.alloc(16);
const CACHE_SIZE = 10_000;

/**
 * Replaces a password column with the hash of a known `cleartext` (so developers can log in on the
 * replica), deterministic for a given source value: the salt is the first 16 bytes of the keyed
 * HMAC of the source value (`use_salt: false`: 16 zero bytes). Hashing is slow by design; results
 * are cached per (salt, cleartext) so repeated updates of the same row do not re-hash.
 */
export abstract class PasswordTransform implements Transform<PreparedPassword> {
  readonly phase = 'row';
  readonly options: OptionSpecs;

  protected constructor(algorithmOptions: OptionSpecs) {
    this.options = { ...COMMON_OPTIONS, ...algorithmOptions };
  }

  /** Checks the algorithm's own options at boot; throws TransformOptionError. */
  protected validate(_options: ResolvedOptions): void {}

  protected abstract hash(cleartext: string, salt: Buffer, options: ResolvedOptions): Promise<string>;

  prepare(options: ResolvedOptions): PreparedPassword {
    this.validate(options);
    let cleartext: CompiledTemplate;
    try {
      cleartext = compileTemplate(options.cleartext as string);
    } catch (e) {
      throw new TransformOptionError(`cleartext ${(e as Error).message}`);
    }
    return { options, cleartext, cache: new Map() };
  }

  references(prepared: PreparedPassword): readonly string[] {
    return prepared.cleartext.fields;
  }

  async apply(_value: string, ctx: TransformContext<PreparedPassword>): Promise<string> {
    const { options, cleartext, cache } = ctx.options;
    const salt = options.use_salt ? ctx.random.digest.subarray(0, 16) : ZERO_SALT;
    const password = cleartext.render((c) => ctx.row.get(c));
    const key = `${salt.toString('base64')}\0${password}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const hashed = await this.hash(password, Buffer.from(salt), options);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, hashed);
    return hashed;
  }
}

/** Standard base64 without padding (PHC string format). */
export function b64(buf: Buffer): string {
  return buf.toString('base64').replace(/=+$/, '');
}
