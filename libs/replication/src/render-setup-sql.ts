import { SETUP_SQL, SetupSqlFile } from './setup-sql';

/** The version marker `sql/10-ddl-capture.sql` puts on kasho.capture_ddl(); bump both together. */
export const DDL_CAPTURE_VERSION = 'kasho ddl capture v3';

/**
 * A `sql/` file as the service runs it: psql meta-commands (`\if`, `\set`...) dropped, and psql
 * variables `:'name'` replaced by SQL literals, exactly as `psql -v name=value` would (a variable not
 * given takes the file's `\set` default).
 */
export function renderSetupSql(file: SetupSqlFile, vars: Record<string, string> = {}): string {
  const lines = SETUP_SQL[file].split('\n');
  // `\set name value` (the file's default when psql is not given -v name=...); '' is the empty string.
  const defaults = new Map(
    lines.flatMap((line) => {
      const m = /^\\set ([A-Za-z_][A-Za-z0-9_]*) (.*)$/.exec(line);
      return m ? [[m[1], m[2] === "''" ? '' : m[2]] as const] : [];
    }),
  );
  return lines
    .filter((line) => !line.startsWith('\\'))
    .join('\n')
    .replace(/:'([A-Za-z_][A-Za-z0-9_]*)'/g, (_, name: string) => {
      const value = vars[name] ?? defaults.get(name);
      if (value === undefined) throw new Error(`sql/${file} needs the variable ${name}`);
      return quoteLiteral(value);
    });
}

/** Same as libpq's PQescapeLiteral / pg's escapeLiteral. */
export function quoteLiteral(value: string): string {
  const body = value.replace(/'/g, "''");
  return value.includes('\\') ? ` E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}
