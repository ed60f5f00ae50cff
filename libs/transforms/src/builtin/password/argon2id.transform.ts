import { hash, hashRaw } from '@node-rs/argon2';
import { RegisterTransform } from '../../transform.decorator';
import { TransformOptionError } from '../../transform.errors';
import type { ResolvedOptions } from '../../transform.interface';
import { PasswordTransform } from './password.base';

/** `Algorithm.Argon2id` of @node-rs/argon2 (a const enum, so its value is spelt out). */
const ARGON2ID = 2;

/**
 * Argon2id v1.3, 32-byte output. `format: phc` (default): `$argon2id$v=19$m=…,t=…,p=…$salt$hash`,
 * verifiable by every argon2 library. `format: hex`: the original Kasho's `hex(salt)$hex(hash)`.
 */
@RegisterTransform('PasswordArgon2id')
export class PasswordArgon2idTransform extends PasswordTransform {
  constructor() {
    super({
      time: { type: 'integer', default: 3, min: 1, max: 100 },
      memory: { type: 'integer', default: 65536, min: 8, max: 4_194_304, description: 'KiB' },
      threads: { type: 'integer', default: 4, min: 1, max: 255 },
      format: { type: 'string', default: 'phc', oneOf: ['phc', 'hex'] },
    });
  }

  protected override validate(o: ResolvedOptions): void {
    if ((o.memory as number) < 8 * (o.threads as number)) {
      throw new TransformOptionError("option 'memory' must be at least 8 KiB per thread");
    }
  }

  protected async hash(cleartext: string, salt: Buffer, o: ResolvedOptions): Promise<string> {
    const options = {
      algorithm: ARGON2ID,
      timeCost: o.time as number,
      memoryCost: o.memory as number,
      parallelism: o.threads as number,
      outputLen: 32,
      salt,
    };
    if (o.format === 'hex') return `${salt.toString('hex')}$${(await hashRaw(cleartext, options)).toString('hex')}`;
    return hash(cleartext, options);
  }
}
