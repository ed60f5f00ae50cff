import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The pg_dump to use: `PG_DUMP` when set (pg-change-stream validates it at boot), else the newest in
 * /usr/lib/postgresql/<major>/bin (Debian), newest major first, then on PATH. Undefined when there is
 * none. pg-change-stream's snapshot runs it and `kasho check` reports it, so both find the same one.
 */
export function locatePgDump(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.PG_DUMP) return env.PG_DUMP;
  const candidates: string[] = [];
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const major of readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))) {
      candidates.push(join(root, major, 'bin', 'pg_dump'));
    }
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) if (dir) candidates.push(join(dir, 'pg_dump'));
  return candidates.find((c) => existsSync(c));
}
