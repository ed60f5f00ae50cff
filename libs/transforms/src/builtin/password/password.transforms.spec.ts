import { verify as argon2Verify } from '@node-rs/argon2';
import { compareSync as bcryptVerify, getRounds } from 'bcryptjs';
import { pbkdf2Sync, scryptSync } from 'node:crypto';
import { bootEngine, col } from '@kasho/testing/transforms';

const YAML = `version: v1
tables:
  public.users:
    username: FakeUsername
    bcrypt: {type: PasswordBcrypt, cleartext: 'pw-{{.username}}', cost: 5}
    scrypt: {type: PasswordScrypt, cleartext: secret123, n: 1024, r: 4, p: 2}
    pbkdf2: {type: PasswordPBKDF2, cleartext: secret123, iterations: 1000}
    argon2: {type: PasswordArgon2id, cleartext: secret123, time: 2, memory: 1024, threads: 2}
    pbkdf2_hex: {type: PasswordPBKDF2, cleartext: password123, iterations: 10000, use_salt: false, format: hex}
    argon2_hex: {type: PasswordArgon2id, cleartext: password123, memory: 1024, format: hex}
`;
const COLUMNS = ['username', 'bcrypt', 'scrypt', 'pbkdf2', 'argon2', 'pbkdf2_hex', 'argon2_hex'].map((c) => col(c, 'text'));
const ROW = { username: 'jdoe', bcrypt: 'orig', scrypt: 'orig', pbkdf2: 'orig', argon2: 'orig', pbkdf2_hex: 'orig', argon2_hex: 'orig' };

function unb64(s: string): Buffer {
  return Buffer.from(s.replace(/\./g, '+'), 'base64');
}

describe('Password* transforms', () => {
  let out: Record<string, string | null>;
  let again: Record<string, string | null>;
  let other: Record<string, string | null>;
  let nulls: Record<string, string | null>;

  beforeAll(async () => {
    const { engine, module } = await bootEngine(YAML);
    out = await engine.transformTuple('public', 'users', COLUMNS, ROW);
    again = await engine.transformTuple('public', 'users', COLUMNS, { ...ROW });
    other = await engine.transformTuple('public', 'users', COLUMNS, { ...ROW, bcrypt: 'x', scrypt: 'x', pbkdf2: 'x', argon2: 'x' });
    nulls = await engine.transformTuple('public', 'users', COLUMNS, { ...ROW, bcrypt: null, scrypt: null, pbkdf2: null, argon2: null });
    await module.close();
  });

  it('bcrypt: a $2b$ string with the configured cost, of the templated cleartext, verifiable', () => {
    const h = out.bcrypt as string;
    expect(h).toMatch(/^\$2b\$05\$[./A-Za-z0-9]{53}$/);
    expect(getRounds(h)).toBe(5);
    expect(bcryptVerify(`pw-${out.username}`, h)).toBe(true);
    expect(bcryptVerify('pw-jdoe', h)).toBe(false); // the cleartext template sees the transformed username
  });

  it('argon2id: a PHC $argon2id$ string with the configured parameters, verifiable', async () => {
    const h = out.argon2 as string;
    expect(h).toMatch(/^\$argon2id\$v=19\$m=1024,t=2,p=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await argon2Verify(h, 'secret123')).toBe(true);
  });

  it('scrypt: $scrypt$ln=..,r=..,p=..$salt$hash; verify by recomputing scrypt with the encoded parameters', () => {
    const m = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(out.scrypt as string)!;
    expect(m.slice(1, 4)).toEqual(['10', '4', '2']);
    const key = scryptSync('secret123', unb64(m[4]), 32, { N: 2 ** Number(m[1]), r: Number(m[2]), p: Number(m[3]) });
    expect(key.equals(unb64(m[5]))).toBe(true);
  });

  it('pbkdf2: $pbkdf2-sha256$iterations$salt$hash (passlib format); verify by recomputing pbkdf2-sha256', () => {
    const m = /^\$pbkdf2-sha256\$(\d+)\$([A-Za-z0-9./]+)\$([A-Za-z0-9./]+)$/.exec(out.pbkdf2 as string)!;
    expect(m[1]).toBe('1000');
    expect(pbkdf2Sync('secret123', unb64(m[2]), 1000, 32, 'sha256').equals(unb64(m[3]))).toBe(true);
  });

  it('format: hex reproduces the original Kasho vector (PBKDF2, use_salt false, 10000 iterations)', () => {
    expect(out.pbkdf2_hex).toBe('00000000000000000000000000000000$66fadbf5d643e858791123ff00eee4ae99d5d69434dbd9f626fd656027e04243');
  });

  it('argon2id format: hex is hex(salt)$hex(raw hash) with a keyed salt', () => {
    expect(out.argon2_hex).toMatch(/^[0-9a-f]{32}\$[0-9a-f]{64}$/);
  });

  it('is deterministic per source value (keyed salt) and NULL stays NULL', () => {
    expect(again).toEqual(out);
    for (const c of ['bcrypt', 'scrypt', 'pbkdf2', 'argon2']) {
      expect(other[c]).not.toBe(out[c]);
      expect(nulls[c]).toBeNull();
    }
  });
});
