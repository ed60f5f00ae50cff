import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvValidationError } from '@kasho/runtime';
import { excludeTableGlobs } from '@kasho/replication';
import { loadChangeStreamEnv } from './change-stream.env';

const BASE = { PRIMARY_DATABASE_URL: 'postgresql://u@h/db', KV_URL: 'redis://r:6379' };
const TOKEN = 'f'.repeat(64);

function problems(env: Record<string, string>): string[] {
  try {
    loadChangeStreamEnv(env);
    return [];
  } catch (err) {
    if (err instanceof EnvValidationError) return err.problems;
    throw err;
  }
}

describe('ChangeStreamEnv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasho-env-'));
  const pem = (name: string) => {
    const file = join(dir, name);
    writeFileSync(file, '-----BEGIN CERTIFICATE-----\n');
    return file;
  };

  it('refuses to start without a token or mTLS, naming CHANGE_STREAM_TOKEN and how to make one', () => {
    const [problem, ...rest] = problems(BASE);
    expect(rest).toEqual([]);
    expect(problem).toContain('CHANGE_STREAM_TOKEN');
    expect(problem).toContain('openssl rand -hex 32');
    expect(problem).toContain('GRPC_INSECURE=true');
  });

  it('takes a Redis Cluster as redis+cluster:// seed nodes and names KV_URL when that URL is wrong, never echoing the password', () => {
    const ok = { ...BASE, CHANGE_STREAM_TOKEN: TOKEN };
    expect(loadChangeStreamEnv({ ...ok, KV_URL: 'redis+cluster://:pw@r1:7000,r2:7001' }).KV_URL).toBe('redis+cluster://:pw@r1:7000,r2:7001');
    const bad = problems({ ...ok, KV_URL: 'redis+cluster://:topsecret@r1:7000/3' });
    expect(bad).toEqual(['KV_URL: a Redis Cluster has database 0 only, so redis+cluster:// takes no /db path']);
    expect(problems({ ...ok, KV_URL: 'redis+cluster://:topsecret@r1:7000,,r2' })).toEqual([
      'KV_URL: redis+cluster:// needs host:port seed nodes separated by commas',
    ]);
    expect(problems({ ...ok, KV_URL: 'memcached://:topsecret@r1' })[0]).toMatch(/^KV_URL: must be a redis:\/\/.*redis\+cluster:\/\//);
  });

  it('takes a Redis on a Unix socket as unix:///path and names KV_URL when that URL is wrong, never echoing the password', () => {
    const ok = { ...BASE, CHANGE_STREAM_TOKEN: TOKEN };
    expect(loadChangeStreamEnv({ ...ok, KV_URL: 'unix://:pw@/run/redis/redis.sock?db=1' }).KV_URL).toBe('unix://:pw@/run/redis/redis.sock?db=1');
    const bad = problems({ ...ok, KV_URL: 'unix://:topsecret@redis.sock' });
    expect(bad).toEqual(['KV_URL: expected unix://[[user]:password@]/path/to/redis.sock[?db=N] (an absolute socket path)']);
  });

  it('takes KV_URL=memory:// (the in-process buffer) exactly, naming KV_URL when a host, path or password comes with it', () => {
    const ok = { ...BASE, CHANGE_STREAM_TOKEN: TOKEN };
    expect(loadChangeStreamEnv({ ...ok, KV_URL: 'memory://' }).KV_URL).toBe('memory://');
    for (const url of ['memory://localhost', 'memory:///buffer', 'memory://:topsecret@x', 'memory:', 'memory://?size=1']) {
      const bad = problems({ ...ok, KV_URL: url });
      expect({ url, bad }).toEqual({ url, bad: ['KV_URL: memory:// takes no host, path or options: use exactly memory://'] });
    }
  });

  it('takes a token of 32 characters or more, never echoing a short one', () => {
    expect(loadChangeStreamEnv({ ...BASE, CHANGE_STREAM_TOKEN: TOKEN }).CHANGE_STREAM_TOKEN).toBe(TOKEN);
    const short = problems({ ...BASE, CHANGE_STREAM_TOKEN: 'short-secret-value' });
    expect(short).toEqual(['CHANGE_STREAM_TOKEN: must be at least 32 characters (make one with `openssl rand -hex 32`)']);
    expect(short.join()).not.toContain('short-secret-value');
  });

  it('takes GRPC_INSECURE=true as the explicit opt-out, and parses booleans strictly', () => {
    expect(loadChangeStreamEnv({ ...BASE, GRPC_INSECURE: 'true' }).GRPC_INSECURE).toBe(true);
    expect(loadChangeStreamEnv({ ...BASE, CHANGE_STREAM_TOKEN: TOKEN }).GRPC_INSECURE).toBe(false);
    expect(problems({ ...BASE, GRPC_INSECURE: 'false' }).join()).toContain('CHANGE_STREAM_TOKEN');
    expect(problems({ ...BASE, GRPC_INSECURE: 'yes' })).toContain('GRPC_INSECURE: must be true or false');
  });

  it('takes mTLS (certificate, key and CA) instead of a token', () => {
    const env = loadChangeStreamEnv({ ...BASE, GRPC_TLS_CERT: pem('cert.pem'), GRPC_TLS_KEY: pem('key.pem'), GRPC_TLS_CA: pem('ca.pem') });
    expect(env.CHANGE_STREAM_TOKEN).toBeUndefined();
    // TLS without a CA verifies no client: a token is still required.
    expect(problems({ ...BASE, GRPC_TLS_CERT: pem('cert.pem'), GRPC_TLS_KEY: pem('key.pem') }).join()).toContain('CHANGE_STREAM_TOKEN');
  });

  it('lists every TLS problem at once: unreadable files, a certificate without its key, a CA alone', () => {
    const found = problems({ ...BASE, CHANGE_STREAM_TOKEN: TOKEN, GRPC_TLS_CERT: join(dir, 'missing.pem'), GRPC_TLS_CA: dir });
    expect(found).toEqual(
      expect.arrayContaining([
        'GRPC_TLS_CERT: must be the path of a readable file',
        'GRPC_TLS_CA: must be the path of a readable file',
        'GRPC_TLS_KEY: must be set together with GRPC_TLS_CERT',
      ]),
    );
    expect(problems({ ...BASE, CHANGE_STREAM_TOKEN: TOKEN, GRPC_TLS_KEY: pem('key.pem') })).toEqual(['GRPC_TLS_CERT: must be set together with GRPC_TLS_KEY']);
    expect(problems({ ...BASE, CHANGE_STREAM_TOKEN: TOKEN, GRPC_TLS_CA: pem('ca.pem') })[0]).toMatch(/^GRPC_TLS_CA: needs GRPC_TLS_CERT and GRPC_TLS_KEY/);
  });

  it('binds to 0.0.0.0 by default; GRPC_HOST and HTTP_HOST take a host or an IP', () => {
    const env = loadChangeStreamEnv({ ...BASE, CHANGE_STREAM_TOKEN: TOKEN });
    expect([env.GRPC_HOST, env.HTTP_HOST]).toEqual(['0.0.0.0', '0.0.0.0']);
    const chosen = loadChangeStreamEnv({ ...BASE, CHANGE_STREAM_TOKEN: TOKEN, GRPC_HOST: '::', HTTP_HOST: 'localhost' });
    expect([chosen.GRPC_HOST, chosen.HTTP_HOST]).toEqual(['::', 'localhost']);
    expect(problems({ ...BASE, CHANGE_STREAM_TOKEN: TOKEN, GRPC_HOST: '0.0.0.0:8080', HTTP_HOST: 'a b' })).toEqual([
      'GRPC_HOST: must be a host name or an IP address (e.g. 0.0.0.0, ::, 127.0.0.1)',
      'HTTP_HOST: must be a host name or an IP address (e.g. 0.0.0.0, ::, 127.0.0.1)',
    ]);
  });

  it('takes PG_DUMP as the path of an executable, unset by default', () => {
    const ok = { ...BASE, CHANGE_STREAM_TOKEN: TOKEN };
    expect(loadChangeStreamEnv(ok).PG_DUMP).toBeUndefined();
    expect(loadChangeStreamEnv({ ...ok, PG_DUMP: '' }).PG_DUMP).toBeUndefined();
    const program = join(dir, 'pg_dump');
    writeFileSync(program, '#!/bin/sh\n');
    chmodSync(program, 0o755);
    expect(loadChangeStreamEnv({ ...ok, PG_DUMP: program }).PG_DUMP).toBe(program);
    expect(problems({ ...ok, PG_DUMP: join(dir, 'missing') })).toEqual(['PG_DUMP: must be the path of an executable file']);
    expect(problems({ ...ok, PG_DUMP: dir })).toEqual(['PG_DUMP: must be the path of an executable file']);
  });

  it('bounds GRPC_MAX_COPY_RANGES', () => {
    expect(loadChangeStreamEnv({ ...BASE, CHANGE_STREAM_TOKEN: TOKEN }).GRPC_MAX_COPY_RANGES).toBe(16);
    expect(problems({ ...BASE, CHANGE_STREAM_TOKEN: TOKEN, GRPC_MAX_COPY_RANGES: '0' }).join()).toContain('GRPC_MAX_COPY_RANGES');
  });

  it('selects tables: NO_KEY_TABLES, EXCLUDE_TABLES globs (a bare name is in public) and PUBLISH_VIA_PARTITION_ROOT, every problem at once', () => {
    const ok = { ...BASE, CHANGE_STREAM_TOKEN: TOKEN };
    const env = loadChangeStreamEnv(ok);
    expect([env.NO_KEY_TABLES, env.EXCLUDE_TABLES, env.PUBLISH_VIA_PARTITION_ROOT]).toEqual(['insert-only', '', false]);
    expect(excludeTableGlobs(loadChangeStreamEnv({ ...ok, EXCLUDE_TABLES: ' audit.* , tmp_?, Sales.Q1_* ,' }).EXCLUDE_TABLES)).toEqual([
      'audit.*',
      'public.tmp_?',
      'Sales.Q1_*',
    ]);
    expect(loadChangeStreamEnv({ ...ok, NO_KEY_TABLES: 'full', PUBLISH_VIA_PARTITION_ROOT: 'true' })).toMatchObject({
      NO_KEY_TABLES: 'full',
      PUBLISH_VIA_PARTITION_ROOT: true,
    });
    expect(problems({ ...ok, NO_KEY_TABLES: 'ignore', EXCLUDE_TABLES: 'a.b.c', PUBLISH_VIA_PARTITION_ROOT: 'yes' })).toEqual([
      'NO_KEY_TABLES: must be one of insert-only, full, skip',
      'EXCLUDE_TABLES: "a.b.c" is not a table glob: use schema.table or table (in public), with * (any characters) and ? (one character); names are matched as they are stored (case-sensitive)',
      'PUBLISH_VIA_PARTITION_ROOT: must be true or false',
    ]);
    expect(problems({ ...ok, EXCLUDE_TABLES: 'x; DROP TABLE y' })[0]).toMatch(/^EXCLUDE_TABLES: "x; DROP TABLE y" is not a table glob/);
  });
});
