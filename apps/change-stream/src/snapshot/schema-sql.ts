/**
 * Cleans pg_dump's plain SQL for execution by the translicator over an ordinary connection:
 * - psql meta-commands (`\restrict`, `\connect`...) are dropped: only psql understands them;
 * - event triggers (Kasho's own DDL capture among them) are dropped: the replica must not capture DDL;
 * - any entry of the `kasho` schema (pg_dump already excludes it; this also catches comments and
 *   extensions installed there) is dropped.
 * pg_dump writes each object after a header comment `-- Name: …; Type: …; Schema: …; Owner: …`,
 * which is how entries are recognised.
 */
export function cleanDumpSql(sql: string): string {
  const entries = splitEntries(sql);
  return entries
    .filter((entry) => !dropped(entry.header))
    .map((entry) => entry.body.split('\n').filter((line) => !line.startsWith('\\')).join('\n'))
    .join('');
}

interface DumpEntry {
  header?: { type: string; schema: string; name: string };
  body: string;
}

const HEADER = /^-- (?:Data for )?Name: (.*); Type: ([^;]*); Schema: ([^;]*);/;

function splitEntries(sql: string): DumpEntry[] {
  const lines = sql.split('\n');
  const entries: DumpEntry[] = [];
  let current: DumpEntry = { body: '' };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // A header is "--" / "-- Name: ..." / "--": start a new entry at the first "--".
    const match = line === '--' ? HEADER.exec(lines[i + 1] ?? '') : null;
    if (match) {
      entries.push(current);
      current = { header: { name: match[1], type: match[2], schema: match[3] }, body: '' };
    }
    current.body += i < lines.length - 1 ? `${line}\n` : line;
  }
  entries.push(current);
  return entries;
}

function dropped(header: DumpEntry['header']): boolean {
  if (!header) return false;
  if (header.type === 'EVENT TRIGGER' || header.name.startsWith('EVENT TRIGGER ')) return true;
  if (header.schema === 'kasho') return true;
  if (header.type === 'SCHEMA' && header.name === 'kasho') return true;
  return false;
}
