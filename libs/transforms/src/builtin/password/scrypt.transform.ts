import { scrypt } from 'node:crypto';
import { RegisterTransform } from '../../transform.decorator';
import { TransformOptionError } from '../../transform.errors';
import type { ResolvedOptions } from '../../transform.interface';
import { b64, PasswordTransform } from './password.base';

/**
 * scrypt, 32-byte key. `format: phc` (default): `$scrypt$ln=<log2 n>,r=<r>,p=<p>$<salt>$<hash>`
 * (standard base64 without padding; passlib's `scrypt` format): verify by recomputing
 * scrypt(password, base64decode(salt), N=2^ln, r, p, 32) and comparing with the last field.
 * `format: hex`: the original Kasho's `hex(salt)$hex(key)`.
 */
@RegisterTransform('PasswordScrypt')
export class PasswordScryptTransform extends PasswordTransform {
  constructor() {
    super({
      n: { type: 'integer', default: 131072, min: 2, max: 2 ** 24, description: 'CPU/memory cost, a power of two' },
      r: { type: 'integer', default: 8, min: 1, max: 64 },
      p: { type: 'integer', default: 1, min: 1, max: 64 },
      format: { type: 'string', default: 'phc', oneOf: ['phc', 'hex'] },
    });
  }

  protected override validate(o: ResolvedOptions): void {
    const n = o.n as number;
    if ((n & (n - 1)) !== 0) throw new TransformOptionError(`option 'n' must be a power of two, got ${n}`);
  }

  protected hash(cleartext: string, salt: Buffer, o: ResolvedOptions): Promise<string> {
    const N = o.n as number;
    const r = o.r as number;
    const p = o.p as number;
    const maxmem = 128 * N * r * p + 64 * 1024 * 1024;
    return new Promise((resolve, reject) =>
      scrypt(cleartext, salt, 32, { N, r, p, maxmem }, (err, key) => {
        if (err) return reject(err);
        resolve(o.format === 'hex' ? `${salt.toString('hex')}$${key.toString('hex')}` : `$scrypt$ln=${Math.log2(N)},r=${r},p=${p}$${b64(salt)}$${b64(key)}`);
      }),
    );
  }
}
