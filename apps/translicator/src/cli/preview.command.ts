import { Injectable } from '@nestjs/common';
import { relationKey, type ColumnMeta, type Tuple } from '@kasho/contracts';
import { TransformEngine, TransformPreviewService } from '@kasho/transforms';
import { readPartitionTrees, readUniqueKeys, withPg } from '@kasho/runtime';
import { PreviewTableNotFoundError } from './cli.errors';

export interface PreviewArgs {
  databaseUrl: string;
  schema: string;
  table: string;
  limit: number;
}

const COLUMNS_SQL = `
  SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.atttypid::int AS oid,
         a.atttypmod AS mod, COALESCE(a.attnum = ANY (i.indkey), false) AS key
    FROM pg_attribute a
    LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
   WHERE a.attrelid = to_regclass(quote_ident($1) || '.' || quote_ident($2))
     AND a.attnum > 0 AND NOT a.attisdropped
   ORDER BY a.attnum`;

/**
 * `kasho preview --table schema.table [--limit n]`: reads sample rows from the primary in a
 * read-only transaction (values in PostgreSQL text form, as replication carries them) and prints
 * them before and after transforms. Writes nothing. A partition is previewed with the rules that
 * replication gives it: its nearest listed ancestor's (the source's partition tree tells which).
 */
@Injectable()
export class PreviewCommand {
  constructor(
    private readonly preview: TransformPreviewService,
    private readonly engine: TransformEngine,
  ) {}

  async run(args: PreviewArgs): Promise<string> {
    // Every type as its text output, exactly what pgoutput sends.
    return withPg({ connectionString: args.databaseUrl, types: { getTypeParser: () => (v: string) => v } }, async (client) => {
      try {
        await client.query('BEGIN TRANSACTION READ ONLY');
        const meta = await client.query<{ name: string; type: string; oid: number; mod: number; key: boolean }>(COLUMNS_SQL, [args.schema, args.table]);
        if (!meta.rows.length) throw new PreviewTableNotFoundError(args.schema, args.table);
        const tree = (await readPartitionTrees(client, [args])).get(relationKey(args.schema, args.table));
        // Not a table (a view, say): matched by its own name.
        if (tree) this.engine.usePartitionTree(args.schema, args.table, tree);
        const columns: ColumnMeta[] = meta.rows.map((r) => ({ name: r.name, type: r.type, typeOid: Number(r.oid), typeMod: Number(r.mod), key: r.key }));
        const table = `${client.escapeIdentifier(args.schema)}.${client.escapeIdentifier(args.table)}`;
        const rows = await client.query<Tuple>(`SELECT * FROM ${table} LIMIT ${Math.max(1, Math.floor(args.limit))}`);
        const keys = await readUniqueKeys(client, [{ schema: args.schema, table: args.table }]);
        const result = await this.preview.preview(args.schema, args.table, columns, rows.rows, keys.get(relationKey(args.schema, args.table)));
        return this.preview.render(result);
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
      }
    });
  }
}
