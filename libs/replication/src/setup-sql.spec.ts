import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETUP_SQL } from './setup-sql';

const SQL_DIR = join(__dirname, '..', '..', '..', 'sql');
const MODULE_PATH = join(__dirname, 'setup-sql.ts');

/** The text `setup-sql.ts` must have: `sql/*.sql` (what a DBA reads) embedded verbatim. */
function generate(): string {
  const files = readdirSync(SQL_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const entries = files.map((file) => {
    const text = readFileSync(join(SQL_DIR, file), 'utf8');
    if (text.includes('`') || text.includes('${')) throw new Error(`sql/${file} contains a backtick or "\${": cannot embed`);
    return `  '${file}': String.raw\`${text}\`,`;
  });
  return [
    '// GENERATED from sql/*.sql: KASHO_REGENERATE_SQL=1 npx jest libs/replication/src/setup-sql. Do not edit.',
    '// Embedded so the setup runs from dist/ without the sql/ folder; setup-sql.spec.ts keeps it identical.',
    'export const SETUP_SQL = {',
    ...entries,
    '} as const;',
    '',
    'export type SetupSqlFile = keyof typeof SETUP_SQL;',
    '',
  ].join('\n');
}

describe('embedded setup SQL', () => {
  it('is identical to sql/*.sql (regenerate with KASHO_REGENERATE_SQL=1)', () => {
    const expected = generate();
    if (process.env.KASHO_REGENERATE_SQL === '1') writeFileSync(MODULE_PATH, expected);
    expect(readFileSync(MODULE_PATH, 'utf8')).toBe(expected);
  });

  it('holds every file the service and the DBA README name', () => {
    for (const file of Object.keys(SETUP_SQL)) expect(existsSync(join(SQL_DIR, file))).toBe(true);
    expect(Object.keys(SETUP_SQL)).toEqual(['00-check-wal-level.sql', '10-ddl-capture.sql', '20-publication.sql', '30-replication-slot.sql']);
  });
});
