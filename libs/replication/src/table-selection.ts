/**
 * Which tables Kasho's own publications hold (sql/10-ddl-capture.sql, "Publication upkeep", applies
 * it on the source; these are the values pg-change-stream hands it).
 */

/** What happens to a selected table without a replica identity (no primary key, no REPLICA IDENTITY index or FULL). */
export const NO_KEY_TABLE_MODES = ['insert-only', 'full', 'skip'] as const;
export type NoKeyTables = (typeof NO_KEY_TABLE_MODES)[number];

/** One glob: `schema.table` or `table` (in public), letters, digits, `_`, `$`, `-`, and the wildcards `*` and `?`. */
const GLOB = /^(?:[\p{L}\p{N}_$*?-]+\.)?[\p{L}\p{N}_$*?-]+$/u;

/**
 * EXCLUDE_TABLES as the source stores it: comma-separated globs on `schema.table`, blanks ignored, a
 * glob without a schema put in `public` (as the setup SQL does). Throws naming the glob that is wrong.
 */
export function excludeTableGlobs(list: string): string[] {
  const globs = list
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g !== '');
  for (const glob of globs) {
    if (!GLOB.test(glob)) {
      throw new Error(
        `"${glob}" is not a table glob: use schema.table or table (in public), with * (any characters) and ? (one character); names are matched as they are stored (case-sensitive)`,
      );
    }
  }
  return globs.map((g) => (g.includes('.') ? g : `public.${g}`));
}
