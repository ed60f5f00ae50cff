import { encodeBase64, hash } from 'bcryptjs';
import { RegisterTransform } from '../../transform.decorator';
import type { ResolvedOptions } from '../../transform.interface';
import { PasswordTransform } from './password.base';

/** bcrypt `$2b$<cost>$…` (60 characters); verifies with any bcrypt library. cleartext beyond 72 bytes is ignored by bcrypt. */
@RegisterTransform('PasswordBcrypt')
export class PasswordBcryptTransform extends PasswordTransform {
  constructor() {
    super({ cost: { type: 'integer', default: 10, min: 4, max: 31 } });
  }

  protected hash(cleartext: string, salt: Buffer, o: ResolvedOptions): Promise<string> {
    const cost = String(o.cost as number).padStart(2, '0');
    return hash(cleartext, `$2b$${cost}$${encodeBase64(salt.subarray(0, 16), 16)}`);
  }
}
