import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { NEWEST_TESTED_POSTGRES_MAJOR } from '@kasho/runtime';
import { freePort, imageClientPackage } from '@kasho/testing';

/**
 * What users were promised about running Kasho as a product (the deployment guide): the image,
 * its help, the compose files, .env.example, the docs. Checked without Docker (no daemon here):
 * every path the Dockerfile copies exists after `npm run build`, and the image's /app layout is
 * rebuilt in a temp dir to run the entry files the way the image does.
 */
const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

type Service = {
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: string[] | Record<string, unknown>;
  restart?: string;
  healthcheck?: { test: string[] };
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> };

/** Variable names of README's two env tables, per service. */
function readmeVariables(): { changeStream: string[]; translicator: string[]; all: string[] } {
  const readme = read('README.md');
  const table = (heading: string) => {
    const start = readme.indexOf(`### ${heading}`);
    expect(start).toBeGreaterThanOrEqual(0);
    const rest = readme.slice(start + heading.length + 4);
    const end = rest.search(/\n#{2,3} |\n\n[^|]/);
    return [...rest.slice(0, end < 0 ? undefined : end).matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
  };
  const changeStream = table('pg-change-stream');
  const translicator = table('pg-translicator');
  expect(changeStream).toEqual(expect.arrayContaining(['PRIMARY_DATABASE_URL', 'KV_URL']));
  expect(translicator).toEqual(expect.arrayContaining(['CHANGE_STREAM_SERVICE', 'REPLICA_DATABASE_URL', 'TRANSFORMS_SECRET']));
  return { changeStream, translicator, all: [...new Set([...changeStream, ...translicator])] };
}

interface Instruction {
  name: string;
  args: string;
  stage: number;
}

/** Dockerfile instructions with continuation lines joined; comments dropped. */
function dockerfile(): Instruction[] {
  const joined = read('Dockerfile')
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  let stage = -1;
  const out: Instruction[] = [];
  for (const line of joined.split('\n')) {
    const m = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === 'FROM') stage++;
    out.push({ name: m[1], args: m[2].trim(), stage });
  }
  return out;
}

/** COPY's options, sources and destination (exec/JSON form not used in our Dockerfile). */
function copyParts(args: string): { from?: string; sources: string[]; dest: string } {
  const words = args.split(/\s+/);
  const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
  const paths = words.filter((w) => !w.startsWith('--'));
  return { from, sources: paths.slice(0, -1), dest: paths[paths.length - 1] };
}

function envNames(service: Service): string[] {
  return Object.keys(service.environment ?? {});
}

function healthTest(service: Service): string {
  return (service.healthcheck?.test ?? []).join(' ');
}

describe('packaging', () => {
  const vars = readmeVariables();

  describe("docker-compose.yml (the deployment guide's file)", () => {
    const compose = load(read('docker-compose.yml')) as Compose;

    it("has the guide's services, images, commands and volume", () => {
      expect(Object.keys(compose.services)).toEqual(['redis', 'pg-change-stream', 'pg-translicator']);
      expect(compose.services.redis.image).toBe('redis:7-alpine');
      expect(compose.services.redis.volumes).toContain('redis-data:/data');
      expect(compose.services.redis.ports?.some((p) => p.endsWith('6379:6379'))).toBe(true);
      expect(compose.volumes).toHaveProperty('redis-data');
      for (const name of ['pg-change-stream', 'pg-translicator']) {
        expect(compose.services[name].image).toBe('kasho:latest');
        expect(compose.services[name].command).toBe(`./${name}`);
      }
    });

    it('wires pg-change-stream as the guide does', () => {
      const cs = compose.services['pg-change-stream'];
      expect(cs.environment).toMatchObject({ KV_URL: 'redis://redis:6379', PRIMARY_DATABASE_URL: '${PRIMARY_DATABASE_URL}' });
      expect(cs.ports?.some((p) => p.endsWith('8080:8080'))).toBe(true);
      expect(cs.depends_on).toEqual(['redis']);
    });

    it('wires pg-translicator as the guide does, plus TRANSFORMS_SECRET', () => {
      const tr = compose.services['pg-translicator'];
      expect(tr.environment).toMatchObject({
        CHANGE_STREAM_SERVICE: 'pg-change-stream:8080',
        REPLICA_DATABASE_URL: '${REPLICA_DATABASE_URL}',
        TRANSFORMS_SECRET: '${TRANSFORMS_SECRET:-}',
      });
      expect(tr.volumes).toContain('./config:/app/config:ro');
      expect(tr.depends_on).toEqual(['pg-change-stream']);
    });

    it('restarts and health-checks each Kasho service on its own /health/live port', () => {
      for (const [name, port] of [
        ['pg-change-stream', 8081],
        ['pg-translicator', 8082],
      ] as const) {
        expect(compose.services[name].restart).toBe('unless-stopped');
        expect(healthTest(compose.services[name])).toContain(`http://127.0.0.1:${port}/health/live`);
      }
      expect(compose.services.redis.restart).toBe('unless-stopped');
    });

    it('passes only variables that the service reads (README tables)', () => {
      for (const name of envNames(compose.services['pg-change-stream'])) expect(vars.changeStream).toContain(name);
      for (const name of envNames(compose.services['pg-translicator'])) expect(vars.translicator).toContain(name);
    });

    it('mounts a config directory that holds transforms.yml (the Quick Start copy)', () => {
      expect(read('config/transforms.yml')).toBe(read('environments/demo/config/transforms.yml'));
    });
  });

  describe('environments/demo', () => {
    const compose = load(read('environments/demo/docker-compose.yml')) as Compose;
    const services = compose.services;

    it('runs a logical-replication source, a target, Redis and both Kasho services built from the top-level Dockerfile', () => {
      expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres-primary', 'postgres-replica', 'redis', 'pg-change-stream', 'pg-translicator']));
      expect(String(services['postgres-primary'].command)).toMatch(/^postgres .*-c wal_level=logical/);
      for (const name of ['pg-change-stream', 'pg-translicator']) {
        const build = services[name].build as { context: string; dockerfile: string };
        expect(existsSync(join(ROOT, 'environments/demo', build.context, build.dockerfile))).toBe(true);
        expect(services[name].command).toBe(`./${name}`);
      }
      expect(services['pg-change-stream'].environment?.PRIMARY_DATABASE_URL).toContain('@postgres-primary:5432/');
      expect(services['pg-translicator'].environment).toMatchObject({ CHANGE_STREAM_SERVICE: 'pg-change-stream:8080' });
      expect(services['pg-translicator'].environment?.REPLICA_DATABASE_URL).toContain('@postgres-replica:5432/');
      expect(services['pg-translicator'].volumes).toContain('./config:/app/config:ro');
      expect(existsSync(join(ROOT, 'environments/demo/config/transforms.yml'))).toBe(true);
    });

    it('loads the demo SQL only after pg-change-stream created its slot', () => {
      const loader = Object.values(services).find((s) => s.volumes?.some((v) => v.startsWith('./sql:')));
      expect(loader).toBeDefined();
      expect(JSON.stringify(loader!.command)).toContain('pg_replication_slots');
    });

    it("has transforms.yml in the v1 shape, using the schema's sensitive columns", () => {
      const config = load(read('environments/demo/config/transforms.yml')) as { version: string; tables: Record<string, Record<string, unknown>> };
      expect(config.version).toBe('v1');
      expect(Object.keys(config.tables['public.users'])).toEqual(expect.arrayContaining(['name', 'email', 'phone', 'password', 'ssn']));
      const schema = read('environments/demo/sql/01-schema.sql');
      for (const [qualified, columns] of Object.entries(config.tables)) {
        const table = qualified.replace(/^public\./, '');
        const body = new RegExp(`CREATE TABLE ${table} \\(([\\s\\S]*?)\\n\\);`).exec(schema)?.[1];
        expect(body).toBeDefined();
        for (const column of Object.keys(columns)) expect(body).toMatch(new RegExp(`^\\s+${column}\\s`, 'm'));
      }
    });
  });

  describe('Dockerfile', () => {
    const instructions = dockerfile();
    const runtime = Math.max(...instructions.map((i) => i.stage));

    beforeAll(() => {
      for (const app of ['change-stream', 'translicator']) {
        const main = join(ROOT, 'dist/apps', app, 'apps', app, 'src/main.js');
        if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first (npm test does)`);
      }
    });

    it('builds in one stage and runs from a slim Node image in another, as a non-root user in /app', () => {
      expect(runtime).toBeGreaterThanOrEqual(1);
      const of = (stage: number, name: string) => instructions.filter((i) => i.stage === stage && i.name === name).map((i) => i.args);
      expect(of(0, 'RUN').join('\n')).toMatch(/npm ci/);
      expect(of(0, 'RUN').join('\n')).toMatch(/npm run build/);
      expect(of(runtime, 'FROM')[0]).toMatch(/^node:20[-\w.]*slim/);
      expect(of(runtime, 'RUN').join('\n')).toMatch(/npm ci --omit=dev/);
      expect(of(runtime, 'WORKDIR')).toEqual(['/app']);
      const user = of(runtime, 'USER');
      expect(user).toHaveLength(1);
      expect(user[0]).not.toMatch(/^(root|0)$/);
      expect(of(runtime, 'EXPOSE')[0].split(/\s+/)).toEqual(['8080', '8081', '8082']);
      expect(of(runtime, 'CMD')).toEqual(['["./kasho-help"]']);
    });

    it("ships the newest supported pg_dump, from the runtime image's own Debian release, and points PG_DUMP at it", () => {
      const of = (name: string) => instructions.filter((i) => i.stage === runtime && i.name === name).map((i) => i.args);
      const client = imageClientPackage(join(ROOT, 'Dockerfile'));
      // pg_dump must be at least the source's major: the newest supported one dumps every supported source.
      expect(client).toMatchObject({ suite: 'trixie', packageName: `postgresql-client-${NEWEST_TESTED_POSTGRES_MAJOR}`, major: NEWEST_TESTED_POSTGRES_MAJOR });
      expect(of('RUN').join('\n')).toMatch(new RegExp(`apt-get install -y --no-install-recommends postgresql-client-${NEWEST_TESTED_POSTGRES_MAJOR}\\b`));
      // The PostgreSQL apt repository is not used: the package comes from the base image's Debian sources.
      expect(instructions.map((i) => i.args).join('\n')).not.toMatch(/apt\.postgresql\.org/);
      expect(of('ENV')).toContain(`PG_DUMP=/usr/lib/postgresql/${NEWEST_TESTED_POSTGRES_MAJOR}/bin/pg_dump`);
    });

    it('copies only paths that exist in the build context and are not .dockerignored', () => {
      const ignored = read('.dockerignore')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'));
      const copies = instructions
        .filter((i) => i.name === 'COPY')
        .map((i) => copyParts(i.args))
        .filter((c) => !c.from);
      expect(copies.length).toBeGreaterThan(0);
      for (const { sources } of copies) {
        for (const source of sources) {
          expect({ source, exists: existsSync(join(ROOT, source)) }).toEqual({ source, exists: true });
          expect({ source, ignored: ignored.includes(source.split('/')[0]) }).toEqual({ source, ignored: false });
        }
      }
    });

    it('copies dist/ from the build stage, which holds both services, their proto and what the entry files require', () => {
      const fromBuild = instructions
        .filter((i) => i.name === 'COPY')
        .map((i) => copyParts(i.args))
        .filter((c) => c.from === 'build');
      expect(fromBuild).toEqual([{ from: 'build', sources: ['/src/dist'], dest: './dist' }]);
      for (const app of ['change-stream', 'translicator']) {
        expect(existsSync(join(ROOT, 'dist/apps', app, 'libs/contracts/src/proto/kasho.proto'))).toBe(true);
      }
      for (const entry of ['pg-change-stream', 'pg-translicator', 'kasho']) {
        const required = /require\('(\.\/dist\/[^']+)'\)/.exec(read(entry))?.[1];
        expect(required).toBeDefined();
        expect(existsSync(join(ROOT, required!))).toBe(true);
      }
      for (const entry of ['pg-change-stream', 'pg-translicator', 'kasho', 'kasho-help']) {
        expect(read(entry).startsWith('#!/usr/bin/env node\n')).toBe(true);
        expect(statSync(join(ROOT, entry)).mode & 0o111).not.toBe(0);
      }
    });

    describe('the image layout, rebuilt in a temp dir', () => {
      let app: string;
      beforeAll(() => {
        app = mkdtempSync(join(tmpdir(), 'kasho-image-'));
        for (const copy of instructions.filter((i) => i.stage === runtime && i.name === 'COPY').map((i) => copyParts(i.args))) {
          for (const source of copy.sources) {
            const from = copy.from === 'build' ? join(ROOT, source.replace(/^\/src\//, '')) : join(ROOT, source);
            const to = copy.sources.length > 1 || copy.dest.endsWith('/') ? join(app, copy.dest, source.split('/').pop()!) : join(app, copy.dest);
            cpSync(from, to, { recursive: true });
          }
        }
        // `npm ci --omit=dev`, approximated by the checkout's node_modules.
        symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'));
      });
      afterAll(() => rmSync(app, { recursive: true, force: true }));

      const run = (file: string, env: Record<string, string> = {}) =>
        spawnSync(join(app, file), [], { cwd: app, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 });

      it('prints the help by default and exits 0 (docker run --rm kasho)', () => {
        const result = run('kasho-help');
        expect(result.status).toBe(0);
        expect(result.stdout).toContain('./pg-change-stream');
        expect(result.stdout).toContain('./pg-translicator');
      });

      it('./pg-change-stream without its variables names them, exit 1', () => {
        const result = run('pg-change-stream');
        expect(result.status).toBe(1);
        expect(result.stderr).toContain('PRIMARY_DATABASE_URL environment variable is required');
        expect(result.stderr).toContain('KV_URL environment variable is required');
      });

      it('./kasho (the preview tool) starts and prints its usage', () => {
        const result = run('kasho');
        expect(result.status).toBe(2);
        expect(result.stderr).toContain('usage: kasho preview --table');
      });

      it('./pg-translicator without the mounted config says so, exit 1', () => {
        if (existsSync('/app/config/transforms.yml')) return; // this machine has one; nothing to show
        const result = run('pg-translicator', { CHANGE_STREAM_SERVICE: 'pg-change-stream:8080', REPLICA_DATABASE_URL: 'postgresql://u@h/db' });
        expect(result.status).toBe(1);
        expect(result.stderr).toContain(
          'Required config file /app/config/transforms.yml not found. Please ensure transforms.yml exists in the mounted config directory',
        );
      });
    });

    describe('HEALTHCHECK', () => {
      const check = instructions.find((i) => i.name === 'HEALTHCHECK')!;
      const script = (JSON.parse(check.args.slice(check.args.indexOf('CMD') + 3).trim()) as string[]).slice(2)[0];
      let server: Server;
      let port: number;
      beforeAll(async () => {
        port = await freePort();
        server = createServer((req, res) => {
          res.statusCode = req.url === '/health/live' ? 200 : 404;
          res.end('{"status":"ok"}');
        });
        await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      });
      afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

      // Asynchronous: the server answering the probe lives in this process.
      const probe = (env: Record<string, string>) =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, ['-e', script], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore', timeout: 15_000 });
          child.once('exit', (code) => resolve(code));
        });

      it('is a node one-liner on /health/live', () => {
        expect(JSON.parse(check.args.slice(check.args.indexOf('CMD') + 3).trim()).slice(0, 2)).toEqual(['node', '-e']);
        expect(script).toContain('/health/live');
      });

      it('passes when the service answers on HTTP_PORT and fails when nothing listens', async () => {
        expect(await probe({ HTTP_PORT: String(port) })).toBe(0);
        expect(await probe({ HTTP_PORT: String(await freePort()) })).toBe(1);
      });
    });
  });

  describe('kasho-help', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'kasho-help')], { encoding: 'utf8', timeout: 15_000 });

    it("exits 0 and prints every variable of README's tables", () => {
      expect(result.status).toBe(0);
      for (const name of vars.all) expect({ name, printed: result.stdout.includes(name) }).toEqual({ name, printed: true });
    });

    it("lists exactly README's variables with --env-names", () => {
      const names = spawnSync(process.execPath, [join(ROOT, 'kasho-help'), '--env-names'], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n');
      expect([...names].sort()).toEqual([...vars.all].sort());
    });

    it('explains the commands, the source setup with the sql/ scripts, and compose', () => {
      for (const text of ['./pg-change-stream', './pg-translicator', 'wal_level', 'kasho_slot', 'docker compose', './config:/app/config:ro']) {
        expect(result.stdout).toContain(text);
      }
      for (const file of result.stdout.match(/sql\/[\w-]+\.sql/g) ?? []) expect(existsSync(join(ROOT, file))).toBe(true);
      expect(result.stdout).toMatch(/sql\/10-ddl-capture\.sql/);
    });
  });

  it('.env.example documents every variable', () => {
    const example = read('.env.example');
    for (const name of vars.all) expect({ name, listed: new RegExp(`^#? ?${name}=`, 'm').test(example) }).toEqual({ name, listed: true });
  });

  describe('docs', () => {
    it("deployment.md names every variable and the guide's common errors", () => {
      const doc = read('docs/deployment.md');
      for (const name of vars.all) expect({ name, documented: doc.includes(`\`${name}\``) }).toEqual({ name, documented: true });
      for (const message of [
        'PRIMARY_DATABASE_URL environment variable is required',
        'Required config file /app/config/transforms.yml not found. Please ensure transforms.yml exists in the mounted config directory',
        'is in use by another process',
      ]) {
        expect(doc).toContain(message);
      }
    });

    it('operations.md lists the metrics by their exact names', () => {
      const doc = read('docs/operations.md');
      for (const metric of [
        'kasho_changes_captured_total{table,kind}',
        'kasho_buffer_depth',
        'kasho_replication_lag_bytes',
        'kasho_capture_paused',
        'kasho_ddl_skipped_total{tag}',
        'kasho_changes_applied_total{table,kind}',
        'kasho_apply_lag_seconds',
        'kasho_apply_batch_changes',
        'kasho_apply_duration_seconds',
        'kasho_errors_total{service,kind}',
        'kasho_transform_duration_seconds{transform}',
      ]) {
        expect(doc).toContain(metric);
      }
    });
  });
});
