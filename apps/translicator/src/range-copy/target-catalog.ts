import type { Client } from 'pg';
import type { SnapshotTable } from '@kasho/contracts';
import type { CatalogColumns } from '@kasho/transforms';

/** What the target tells about itself that decides how a table's rows may be sent to it. */
export class TargetCatalog {
  private constructor(
    /** server_version_num (150004 = 15.4). */
    readonly versionNum: number,
    private readonly types: Map<string, string>,
    /** Columns (key) whose type on the target is an enum or a domain over a built-in type. */
    private readonly portable: Set<string> = new Set(),
    /** Columns (key) that are NOT NULL on the target. */
    private readonly notNull: Set<string> = new Set(),
  ) {}

  /** The server version, and the column types (format_type; enum or domain; NOT NULL) of `tables` as they are on the target now. */
  static async read(client: Client, tables: readonly SnapshotTable[]): Promise<TargetCatalog> {
    const version = await client.query<{ v: string }>(`SELECT pg_catalog.current_setting('server_version_num') AS v`);
    const names = tables.map((t) => `${client.escapeIdentifier(t.schema)}.${client.escapeIdentifier(t.table)}`);
    const { rows } = await client.query<{ schema: string; table: string; column: string; type: string; portable: boolean; not_null: boolean }>(
      `SELECT n.nspname AS schema, c.relname AS table, a.attname AS column, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
              t.typtype = 'e' OR (t.typtype = 'd' AND t.typbasetype < 16384) AS portable
         FROM pg_catalog.pg_attribute a
         JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
        WHERE a.attnum > 0 AND NOT a.attisdropped
          AND c.oid = ANY (ARRAY(SELECT pg_catalog.to_regclass(t) FROM pg_catalog.unnest($1::text[]) t))`,
      [names],
    );
    return new TargetCatalog(
      Number(version.rows[0].v),
      new Map(rows.map((r) => [key(r.schema, r.table, r.column), r.type])),
      new Set(rows.filter((r) => r.portable).map((r) => key(r.schema, r.table, r.column))),
      new Set(rows.filter((r) => r.not_null).map((r) => key(r.schema, r.table, r.column))),
    );
  }

  /** A catalog of known column types (`schema.table.column` → type) and portable columns, without asking a server. */
  static of(versionNum: number, types: Record<string, string>, portable: readonly string[] = []): TargetCatalog {
    return new TargetCatalog(
      versionNum,
      new Map(Object.entries(types).map(([name, type]) => [key(...splitName(name)), type])),
      new Set(portable.map((name) => key(...splitName(name)))),
    );
  }

  /**
   * Whether the column's type, though user-defined, has a binary form without OIDs of its own on the
   * target: an enum (sent as its label) or a domain over a built-in type (sent as that type).
   */
  isPortable(schema: string, table: string, column: string): boolean {
    return this.portable.has(key(schema, table, column));
  }

  /** The columns of `tables` as the target has them (type, NOT NULL), for checking transform rules against. */
  columnsOf(tables: readonly SnapshotTable[]): CatalogColumns[] {
    return tables.map((t) => ({
      schema: t.schema,
      table: t.table,
      columns: t.columns.flatMap((c) => {
        const type = this.columnType(t.schema, t.table, c.name);
        return type === undefined ? [] : [{ name: c.name, type, notNull: this.notNull.has(key(t.schema, t.table, c.name)) }];
      }),
    }));
  }

  /** The column's type on the target as format_type writes it, or undefined when the column is not there. */
  columnType(schema: string, table: string, column: string): string | undefined {
    return this.types.get(key(schema, table, column));
  }
}

function key(schema: string, table: string, column: string): string {
  return `${schema}\u0000${table}\u0000${column}`;
}

function splitName(name: string): [string, string, string] {
  const [schema, table, column] = name.split('.');
  return [schema, table, column];
}
