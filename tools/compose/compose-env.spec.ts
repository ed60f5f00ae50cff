import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

/**
 * Every variable the docs list for a service reaches that service under Docker Compose: `.env.example`
 * (by its section headers; "both services" counts for both, commented `# NAME=` lines too), and the
 * variable tables of README.md and docs/deployment.md. Each compose file must pass it in the service's
 * `environment` (from `.env` with its default, or fixed where the container needs one value).
 */
const ROOT = join(__dirname, '../..');
const SERVICES = ['pg-change-stream', 'pg-translicator'] as const;
type Service = (typeof SERVICES)[number];
const COMPOSE_FILES = ['docker-compose.yml', 'environments/demo/docker-compose.yml'];
/** File paths inside the container, meaningful only with the certificates' volume: opt-in, commented in the root file; no TLS in the demo. */
const TLS_FILES = ['GRPC_TLS_CERT', 'GRPC_TLS_KEY', 'GRPC_TLS_CA'];

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

function envExampleVariables(): Record<Service, Set<string>> {
  const out: Record<Service, Set<string>> = { 'pg-change-stream': new Set(), 'pg-translicator': new Set() };
  let section: Service[] = [];
  for (const line of read('.env.example').split('\n')) {
    const header = /^# -{8,}\s*(.+?)\s*$/.exec(line);
    if (header) {
      const name = header[1];
      section = name === 'both services' ? [...SERVICES] : SERVICES.filter((s) => s === name);
      if (!section.length) throw new Error(`.env.example: unknown section '${name}'`);
      continue;
    }
    const variable = /^#?\s*([A-Z][A-Z0-9_]+)=/.exec(line);
    if (variable) for (const service of section) out[service].add(variable[1]);
  }
  return out;
}

/** The `| \`NAME\` |` rows of the tables under `### pg-change-stream` and `### pg-translicator`. */
function tableVariables(file: string): Record<Service, Set<string>> {
  const out: Record<Service, Set<string>> = { 'pg-change-stream': new Set(), 'pg-translicator': new Set() };
  let service: Service | undefined;
  for (const line of read(file).split('\n')) {
    const heading = /^#{1,4}\s+(.+?)\s*$/.exec(line);
    if (heading) {
      service = SERVICES.find((s) => s === heading[1]);
      continue;
    }
    const row = /^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|/.exec(line);
    if (service && row) out[service].add(row[1]);
  }
  return out;
}

interface ComposeService {
  environment?: Record<string, unknown> | string[];
}

function composeEnvironment(file: string, service: Service): Set<string> {
  const doc = load(read(file)) as { services?: Record<string, ComposeService> };
  const env = doc.services?.[service]?.environment;
  if (!env) throw new Error(`${file}: service ${service} has no environment`);
  return new Set(Array.isArray(env) ? env.map((e) => e.split('=')[0]) : Object.keys(env));
}

/** The lines of `service`'s block in the compose file's text (comments included). */
function serviceBlock(file: string, service: Service): string {
  const lines = read(file).split('\n');
  const start = lines.findIndex((l) => l === `  ${service}:`);
  const end = lines.findIndex((l, i) => i > start && /^ {0,2}\S/.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

const documented: Record<string, Record<Service, Set<string>>> = {
  '.env.example': envExampleVariables(),
  'README.md': tableVariables('README.md'),
  'docs/deployment.md': tableVariables('docs/deployment.md'),
};

describe('compose files pass every documented variable', () => {
  it('finds the documented variables (the parsers read the files)', () => {
    for (const [file, byService] of Object.entries(documented)) {
      for (const service of SERVICES) expect([file, service, byService[service].size >= 10]).toEqual([file, service, true]);
    }
    expect(documented['.env.example']['pg-translicator']).toContain('SEQUENCE_SYNC_SECONDS');
    expect(documented['docs/deployment.md']['pg-change-stream']).toContain('GRPC_MAX_COPY_RANGES');
  });

  for (const file of COMPOSE_FILES) {
    for (const service of SERVICES) {
      it(`${file}: ${service} gets every variable documented for it`, () => {
        const passed = composeEnvironment(file, service);
        const missing: string[] = [];
        for (const [doc, byService] of Object.entries(documented)) {
          for (const name of byService[service]) {
            if (TLS_FILES.includes(name) || passed.has(name)) continue;
            missing.push(`${name} (${doc})`);
          }
        }
        expect(missing).toEqual([]);
      });
    }
  }

  it('docker-compose.yml offers the TLS file variables, commented out with their volume', () => {
    for (const service of SERVICES) {
      const block = serviceBlock('docker-compose.yml', service);
      for (const name of TLS_FILES) expect(block).toMatch(new RegExp(`^\\s*# ${name}: /app/certs/`, 'm'));
      expect(block).toMatch(/^\s*#\s*-? ?\.\/certs:\/app\/certs:ro/m);
    }
  });
});
