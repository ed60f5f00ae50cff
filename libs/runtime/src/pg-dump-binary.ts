import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The pg_dump to use: `configured` (PG_DUMP, read by each app's config) when set, else the newest in
 * /usr/lib/postgresql/<major>/bin (Debian), newest major first, then in the folders of `searchPath`
 * (PATH). Undefined when there is none. pg-change-stream's snapshot runs it and `kasho check` reports
 * it, so both find the same one.
 */
export function locatePgDump(configured: string | undefined, searchPath: string | undefined): string | undefined {
  if (configured) return configured;
  const candidates: string[] = [];
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const major of readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))) {
      candidates.push(join(root, major, 'bin', 'pg_dump'));
    }
  }
  for (const dir of (searchPath ?? '').split(delimiter)) if (dir) candidates.push(join(dir, 'pg_dump'));
  return candidates.find((c) => existsSync(c));
}
