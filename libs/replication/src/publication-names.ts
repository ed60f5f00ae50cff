/**
 * The publications one pipeline streams from. `main` is PUBLICATION: Kasho's own list of the selected
 * tables that have a replica identity (every action published), or a publication the user made and
 * manages. `inserts` is always Kasho's own: inserts and truncates only, holding kasho.ddl_log (so DDL
 * capture never needs the user's publication to name it) and, when Kasho manages `main`, the selected
 * tables without a replica identity (NO_KEY_TABLES=insert-only), whose UPDATE and DELETE the source then
 * accepts. Publications Kasho created carry a comment starting with {@link KASHO_PUBLICATION_COMMENT}.
 */
export interface PipelinePublications {
  main: string;
  inserts: string;
}

export const KASHO_PUBLICATION_COMMENT = 'managed by Kasho';

export function pipelinePublications(publication: string): PipelinePublications {
  return { main: publication, inserts: `${publication}_inserts` };
}

/** Both names, in the order pgoutput is given them (`publication_names`). */
export function publicationNames(publication: string): string[] {
  const { main, inserts } = pipelinePublications(publication);
  return [main, inserts];
}
