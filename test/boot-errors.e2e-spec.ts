import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './support/service-process';

function run(binary: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, binary)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe('boot errors name the problem and exit non-zero', () => {
  it('pg-change-stream lists every missing variable exactly as the guide says', () => {
    const { code, stderr } = run('pg-change-stream', {});
    expect(code).not.toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines).toContain('PRIMARY_DATABASE_URL environment variable is required');
    expect(lines).toContain('KV_URL environment variable is required');
    expect(stderr).toContain('CHANGE_STREAM_TOKEN environment variable is required');
  });

  it('pg-change-stream rejects malformed values without echoing secrets', () => {
    const { code, stderr } = run('pg-change-stream', { PRIMARY_DATABASE_URL: 'mysql://u:topsecret@h/db', KV_URL: 'redis://r:6379', GRPC_PORT: 'http' });
    expect(code).not.toBe(0);
    expect(stderr).toContain('PRIMARY_DATABASE_URL: must be a postgresql:// URL');
    expect(stderr).toContain('GRPC_PORT: must be a port number');
    expect(stderr).not.toContain('topsecret');
  });

  it('both services reject an unknown LOG_LEVEL and a bad SHUTDOWN_TIMEOUT_MS in one listing', () => {
    const cs = run('pg-change-stream', {
      PRIMARY_DATABASE_URL: 'postgresql://u@h/db',
      KV_URL: 'redis://r:6379',
      LOG_LEVEL: 'loud',
      SHUTDOWN_TIMEOUT_MS: 'soon',
    });
    expect(cs.code).not.toBe(0);
    expect(cs.stderr).toContain('LOG_LEVEL: must be one of trace, debug, info, warn, error, fatal');
    expect(cs.stderr).toContain('SHUTDOWN_TIMEOUT_MS: must be a whole number of milliseconds');
    const tr = run('pg-translicator', { CHANGE_STREAM_SERVICE: 'localhost:8080', REPLICA_DATABASE_URL: 'postgresql://u@h/db', LOG_LEVEL: 'INFO' });
    expect(tr.code).not.toBe(0);
    expect(tr.stderr).toContain('LOG_LEVEL: must be one of trace, debug, info, warn, error, fatal');
  });

  it('pg-translicator requires its variables and names a missing transforms file', () => {
    const missing = run('pg-translicator', {});
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('CHANGE_STREAM_SERVICE environment variable is required');
    expect(missing.stderr).toContain('REPLICA_DATABASE_URL environment variable is required');
    expect(missing.stderr).toContain('TRANSFORMS_SECRET environment variable is required');

    const noFile = run('pg-translicator', { CHANGE_STREAM_SERVICE: 'localhost:8080', REPLICA_DATABASE_URL: 'postgresql://u@h/db' });
    expect(noFile.code).not.toBe(0);
    expect(noFile.stderr).toContain('Required config file /app/config/transforms.yml not found');
  });

  it('pg-translicator refuses an invalid transforms.yml naming file and line, before touching any database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kasho-boot-'));
    const file = join(dir, 'transforms.yml');
    writeFileSync(file, 'version: v1\ntables:\n  public.users:\n    name: FakeNmae\n');
    const bad = run('pg-translicator', {
      CHANGE_STREAM_SERVICE: 'localhost:1',
      REPLICA_DATABASE_URL: 'postgresql://u@127.0.0.1:1/db',
      TRANSFORMS_FILE: file,
      TRANSFORMS_SECRET: 'boot-errors-transforms-secret-0123456789',
    });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr + bad.stdout).toContain('public.users.name');
    expect(bad.stderr + bad.stdout).toContain('FakeName');
  });
});
