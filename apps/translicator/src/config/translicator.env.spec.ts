import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvValidationError } from '@kasho/runtime';
import { loadTranslicatorEnv } from './translicator.env';

const dir = mkdtempSync(join(tmpdir(), 'kasho-env-'));
const file = (name: string) => {
  const path = join(dir, name);
  writeFileSync(path, 'x\n');
  return path;
};
const SECRET = 's'.repeat(32);
const BASE = { CHANGE_STREAM_SERVICE: 'localhost:8080', REPLICA_DATABASE_URL: 'postgresql://u@h/db', TRANSFORMS_FILE: file('transforms.yml') };

function problems(env: Record<string, string>): string[] {
  try {
    loadTranslicatorEnv(env);
    return [];
  } catch (err) {
    if (err instanceof EnvValidationError) return err.problems;
    throw err;
  }
}

describe('TranslicatorEnv', () => {
  it('requires TRANSFORMS_SECRET of at least 32 characters, never echoing it', () => {
    expect(problems(BASE)).toEqual(['TRANSFORMS_SECRET environment variable is required']);
    const short = problems({ ...BASE, TRANSFORMS_SECRET: 'e2e-secret' });
    expect(short).toEqual(['TRANSFORMS_SECRET: must be at least 32 characters (make one with `openssl rand -hex 32`)']);
    expect(short.join()).not.toContain('e2e-secret');
    expect(loadTranslicatorEnv({ ...BASE, TRANSFORMS_SECRET: SECRET }).TRANSFORMS_SECRET).toBe(SECRET);
  });

  it('lists a missing transforms file together with the other problems', () => {
    const found = problems({ ...BASE, TRANSFORMS_FILE: join(dir, 'nope.yml') });
    expect(found).toEqual(['TRANSFORMS_SECRET environment variable is required', `Required config file ${join(dir, 'nope.yml')} not found (TRANSFORMS_FILE)`]);
  });

  it('wants ADMIN_TOKEN of at least 32 characters when set; unset or empty leaves it unset', () => {
    expect(problems({ ...BASE, TRANSFORMS_SECRET: SECRET, ADMIN_TOKEN: 'sixteen-chars-ok' })).toEqual([
      'ADMIN_TOKEN: must be at least 32 characters (make one with `openssl rand -hex 32`)',
    ]);
    expect(loadTranslicatorEnv({ ...BASE, TRANSFORMS_SECRET: SECRET, ADMIN_TOKEN: '' }).ADMIN_TOKEN).toBeUndefined();
  });

  it('takes CHANGE_STREAM_TOKEN (32+ characters) and TLS files, the certificate with its key', () => {
    const env = loadTranslicatorEnv({
      ...BASE,
      TRANSFORMS_SECRET: SECRET,
      CHANGE_STREAM_TOKEN: 't'.repeat(32),
      GRPC_TLS_CERT: file('c.pem'),
      GRPC_TLS_KEY: file('k.pem'),
      GRPC_TLS_CA: file('ca.pem'),
    });
    expect(env.CHANGE_STREAM_TOKEN).toBe('t'.repeat(32));
    expect(
      problems({ ...BASE, TRANSFORMS_SECRET: SECRET, CHANGE_STREAM_TOKEN: 'short', GRPC_TLS_CERT: file('c.pem'), GRPC_TLS_CA: join(dir, 'gone.pem') }),
    ).toEqual([
      "CHANGE_STREAM_TOKEN: must be at least 32 characters (the same value as pg-change-stream's)",
      'GRPC_TLS_CA: must be the path of a readable file',
      'GRPC_TLS_KEY: must be set together with GRPC_TLS_CERT',
    ]);
  });

  it('binds HTTP to 0.0.0.0 unless HTTP_HOST says otherwise', () => {
    expect(loadTranslicatorEnv({ ...BASE, TRANSFORMS_SECRET: SECRET }).HTTP_HOST).toBe('0.0.0.0');
    expect(loadTranslicatorEnv({ ...BASE, TRANSFORMS_SECRET: SECRET, HTTP_HOST: '127.0.0.1' }).HTTP_HOST).toBe('127.0.0.1');
    expect(problems({ ...BASE, TRANSFORMS_SECRET: SECRET, HTTP_HOST: 'http://x' })).toEqual([
      'HTTP_HOST: must be a host name or an IP address (e.g. 0.0.0.0, ::, 127.0.0.1)',
    ]);
  });
});
