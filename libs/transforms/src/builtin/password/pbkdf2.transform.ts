import { pbkdf2 } from 'node:crypto';
import { RegisterTransform } from '../../transform.decorator';
import type { ResolvedOptions } from '../../transform.interface';
import { PasswordTransform } from './password.base';

/** passlib's "adapted base64": standard alphabet with `.` instead of `+`, no padding. */
function ab64(buf: Buffer): string {
  return buf.toString('base64').replace(/=+$/, '').replace(/\+/g, '.');
}

/**
 * PBKDF2-HMAC-SHA256, 32-byte key. `format: phc` (default): `$pbkdf2-sha256$<iterations>$<salt>$<hash>`
 * in passlib's `pbkdf2_sha256` format (adapted base64: `.` for `+`, no padding): verify by
 * recomputing pbkdf2(password, salt, iterations, 32, sha256). `format: hex`: the original Kasho's
 * `hex(salt)$hex(key)`.
 */
@RegisterTransform('PasswordPBKDF2')
export class PasswordPbkdf2Transform extends PasswordTransform {
  constructor() {
    super({
      iterations: { type: 'integer', default: 600000, min: 1000, max: 100_000_000 },
      hash: { type: 'string', default: 'SHA256', oneOf: ['SHA256'] },
      format: { type: 'string', default: 'phc', oneOf: ['phc', 'hex'] },
    });
  }

  protected hash(cleartext: string, salt: Buffer, o: ResolvedOptions): Promise<string> {
    const iterations = o.iterations as number;
    return new Promise((resolve, reject) =>
      pbkdf2(cleartext, salt, iterations, 32, 'sha256', (err, key) => {
        if (err) return reject(err);
        resolve(o.format === 'hex' ? `${salt.toString('hex')}$${key.toString('hex')}` : `$pbkdf2-sha256$${iterations}$${ab64(salt)}$${ab64(key)}`);
      }),
    );
  }
}
