import { KASHO_PUBLICATION_COMMENT, pipelinePublications } from '@kasho/replication';
import type { CheckSettings, PublicationFacts, SourceFacts, TableFacts } from './check-facts';

/**
 * The source tables the pipeline replicates, as pg-change-stream selects them: every table outside
 * the kasho schema, less EXCLUDE_TABLES; when PUBLICATION is the user's own (no Kasho comment) and
 * not FOR ALL TABLES, exactly its tables. Partitioned tables count through their partitions.
 */
export function selectedTables(source: SourceFacts, settings: CheckSettings): TableFacts[] {
  const own = userPublication(source, settings);
  const listed = own && !own.allTables ? new Set(own.tables) : undefined;
  return source.tables.filter((t) => {
    if (t.schema === 'kasho' || t.kind === 'p') return false;
    const name = `${t.schema}.${t.table}`;
    if (listed) return listed.has(name);
    return !settings.excludeTables.some((glob) => globMatches(glob, t.schema, t.table));
  });
}

/** PUBLICATION when it exists and Kasho did not create it (the user's own, respected as given). */
export function userPublication(source: SourceFacts, settings: CheckSettings): PublicationFacts | undefined {
  const main = source.publications.find((p) => p.name === pipelinePublications(settings.publication).main);
  return main && !isKashoPublication(main) ? main : undefined;
}

export function isKashoPublication(publication: { comment: string | null }): boolean {
  return publication.comment?.startsWith(KASHO_PUBLICATION_COMMENT) ?? false;
}

/** `schema.table` globs (`*`, `?`); a pattern without a dot is matched against the table name in any schema. */
export function globMatches(glob: string, schema: string, table: string): boolean {
  const re = new RegExp(
    `^${glob
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  );
  return glob.includes('.') ? re.test(`${schema}.${table}`) : re.test(table);
}

/** Whether the table has what pgoutput needs to send the old key of an UPDATE or DELETE. */
export function hasReplicaIdentity(t: TableFacts): boolean {
  if (t.replicaIdentity === 'f') return true;
  if (t.replicaIdentity === 'i') return t.hasIdentityIndex;
  if (t.replicaIdentity === 'd') return t.hasPrimaryKey;
  return false;
}
