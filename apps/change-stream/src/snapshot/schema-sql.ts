import { relationKey } from '@kasho/contracts';
import type { ForeignKeyOutside } from './table-selection';

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
export function splitPostDataSql(
  sql: string,
  tables: readonly { schema: string; table: string }[],
  foreignKeysOutside: readonly ForeignKeyOutside[] = [],
): { rest: string; byTable: Map<string, string> } {
  const wanted = new Set(tables.map((t) => relationKey(t.schema, t.table)));
  const entries = relaxForeignKeys(cleanEntries(sql), foreignKeysOutside);
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

const FK_NAME = new RegExp(`\\n\\s*ADD CONSTRAINT (${IDENT}) FOREIGN KEY `);

/**
 * Foreign keys that reference rows outside the table selection (`outside`): the target holds the
 * referencing rows without the referenced ones, so such a key is added NOT VALID there (it holds for
 * the rows written later by the source, and nothing is checked on the rows already there). A
 * partitioned table cannot take a NOT VALID foreign key before PostgreSQL 18: its entry is replaced
 * by a comment (the source side logs a warning naming it).
 */
function relaxForeignKeys(entries: DumpEntry[], outside: readonly ForeignKeyOutside[]): DumpEntry[] {
  if (outside.length === 0) return entries;
  const byName = new Map(outside.map((fk) => [`${relationKey(fk.schema, fk.table)}\u0000${fk.constraint}`, fk]));
  return entries.map((entry) => {
    if (entry.header?.type !== 'FK CONSTRAINT') return entry;
    const owner = ownerTable(entry.body);
    const name = FK_NAME.exec(entry.body)?.[1];
    const fk = owner && name ? byName.get(`${owner}\u0000${unquote(name)}`) : undefined;
    if (!fk) return entry;
    // No name in the comment: a name is source text, and it would be written into target SQL.
    if (fk.partitioned) return { header: entry.header, body: '--\n-- (a foreign key left out: it references rows outside the table selection)\n--\n\n' };
    if (/\bNOT VALID;\s*$/.test(entry.body)) return entry;
    return { header: entry.header, body: entry.body.replace(/;(\s*)$/, ' NOT VALID;$1') };
  });
}

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
