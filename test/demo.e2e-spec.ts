import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';

/**
 * `npm run demo` as a person would run it, bounded by DEMO_DURATION_SECONDS: the real demo binary
 * starts its own clusters, Redis and the two Kasho executables, shows source rows beside their
 * sanitized replicas, then stops everything and removes its temp dirs.
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

describe('npm run demo', () => {
  let output = '';
  let exitCode: number | null = null;
  let tmp: string;

  beforeAll(async () => {
    // `npm test` builds the two services; the demo is built here, so the spec runs what its source says.
    execFileSync('npx', ['nest', 'build', 'demo'], { cwd: ROOT, stdio: 'inherit' });
    if (!existsSync(DEMO)) throw new Error(`${DEMO} is missing after nest build demo`);
    // A private TMPDIR shows exactly what the demo leaves behind. PostgreSQL runs as the `postgres`
    // OS user under root, so it must be able to enter it.
    tmp = mkdtempSync(join(tmpdir(), 'kasho-demo-e2e-'));
    chmodSync(tmp, 0o755);
    const child = spawn(process.execPath, [DEMO], {
      cwd: ROOT,
      env: { ...process.env, DEMO_DURATION_SECONDS: String(DURATION_SECONDS), TMPDIR: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    clearTimeout(killer);
  }, 180_000);

  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('runs for DEMO_DURATION_SECONDS and exits 0', () => {
    if (exitCode !== 0) throw new Error(`the demo exited ${exitCode}:\n${output.slice(-6000)}`);
    expect(output).toContain('both services ready');
    expect(output).toMatch(/demo summary \(DEMO_DURATION_SECONDS\)/);
  });

  it('shows source rows beside sanitized replica rows', () => {
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
    const pids = [...output.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
    expect(pids.length).toBe(2);
    for (const pid of pids) expect({ pid, alive: alive(pid) }).toEqual({ pid, alive: false });
    const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
    const leftovers = ps.split('\n').filter((l) => l.includes(tmp));
    expect(leftovers).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
    // redis-server rewrites its process title, so it is checked by port, with the two clusters.
    const ports = [...output.matchAll(/^\s+(?:source|target|redis)\s+\S+:\/\/\S*127\.0\.0\.1:(\d+)/gm)].map((m) => Number(m[1]));
    expect(ports).toHaveLength(3);
    for (const port of ports) expect({ port, listening: await listening(port) }).toEqual({ port, listening: false });
  });
});
