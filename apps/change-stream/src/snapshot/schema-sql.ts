import { relationKey } from '@kasho/contracts';

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
  return cleanEntries(sql)
    .map((entry) => entry.body)
    .join('');
}

/** Entry types of pg_dump's post-data that belong to one table and need nothing but its rows. */
const TABLE_OWNED = new Set(['INDEX', 'CONSTRAINT']);

/**
 * Cleans post-data SQL (as cleanDumpSql) and takes out, per table of `tables`, the entries that
 * belong to that table alone: its indexes and its primary key, unique and exclusion constraints
 * (pg_dump types INDEX and CONSTRAINT). Each table's part starts with the dump's preamble (its SET
 * statements) so it runs on its own; `rest` keeps everything else (foreign keys, triggers, rules,
 * policies, partition index attachments, objects of other relations) in pg_dump's order, which only
 * depends on the taken entries, never the other way round.
 */
export function splitPostDataSql(sql: string, tables: readonly { schema: string; table: string }[]): { rest: string; byTable: Map<string, string> } {
  const wanted = new Set(tables.map((t) => relationKey(t.schema, t.table)));
  const entries = cleanEntries(sql);
  const preamble = entries[0] && !entries[0].header ? entries[0].body : '';
  const parts = new Map<string, string[]>();
  let rest = '';
  for (const entry of entries) {
    const owner = entry.header && TABLE_OWNED.has(entry.header.type) ? ownerTable(entry.body) : undefined;
    if (owner && wanted.has(owner)) {
      const list = parts.get(owner) ?? [];
      list.push(entry.body);
      parts.set(owner, list);
    } else rest += entry.body;
  }
  return { rest, byTable: new Map([...parts].map(([key, bodies]) => [key, preamble + bodies.join('')])) };
}

const IDENT = '(?:"(?:[^"]|"")*"|[^\\s."(]+)';
/** The first statement of an INDEX or CONSTRAINT entry, and the table it is on. */
const OWNER = new RegExp(`^(?:CREATE (?:UNIQUE )?INDEX ${IDENT} ON (?:ONLY )?|ALTER TABLE (?:ONLY )?)(${IDENT})\\.(${IDENT})[\\s(]`);

function ownerTable(body: string): string | undefined {
  const statement = body.split('\n').find((line) => line !== '' && !line.startsWith('--'));
  const match = statement === undefined ? null : OWNER.exec(`${statement} `);
  return match ? relationKey(unquote(match[1]), unquote(match[2])) : undefined;
}

function unquote(ident: string): string {
  return ident.startsWith('"') ? ident.slice(1, -1).replace(/""/g, '"') : ident;
}

/** The dump's entries without the dropped ones, psql meta-commands removed from their bodies. */
function cleanEntries(sql: string): DumpEntry[] {
  return splitEntries(sql)
    .filter((entry) => !dropped(entry.header))
    .map((entry) => ({
      header: entry.header,
      body: entry.body
        .split('\n')
        .filter((line) => !line.startsWith('\\'))
        .join('\n'),
    }));
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
