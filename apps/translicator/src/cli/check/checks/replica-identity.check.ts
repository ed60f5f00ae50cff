import { reachable, type CheckFacts } from '../check-facts';
import { blocker, ok, warn, type Finding } from '../finding';
import type { PreflightCheck } from '../preflight-check';
import { hasReplicaIdentity, selectedTables, userPublication } from '../table-selection';

/**
 * Replicated tables without a replica identity (no primary key, REPLICA IDENTITY NOTHING, or a
 * dropped identity index), each named with what NO_KEY_TABLES does to it. Kasho never makes the
 * source refuse their UPDATE or DELETE.
 */
export class ReplicaIdentityCheck implements PreflightCheck {
  readonly concern = 'tables without a replica identity';

  run({ source, settings }: CheckFacts): Finding[] {
    if (!reachable(source)) return [];
    const selected = selectedTables(source, settings);
    const missing = selected.filter((t) => !hasReplicaIdentity(t));
    if (missing.length === 0) return [ok('source', 'replica identity', `all ${selected.length} replicated table(s) have one`)];
    const own = userPublication(source, settings);
    return missing.map((t) => {
      const place = `${t.schema}.${t.table}`;
      const why =
        t.replicaIdentity === 'n' ? 'has REPLICA IDENTITY NOTHING' : t.replicaIdentity === 'i' ? 'lost its replica identity index' : 'has no primary key';
      const fix = 'add a primary key (it then replicates in full)';
      if (own) {
        return warn(
          'source',
          place,
          `${why}; it is in your publication ${own.name}, which decides what PostgreSQL does with its UPDATE and DELETE`,
          `${fix}, or ALTER TABLE ${place} REPLICA IDENTITY FULL`,
        );
      }
      switch (settings.noKeyTables) {
        case 'full':
          if (!t.ownedByRole && !source.superuser) {
            return blocker(
              'source',
              place,
              `${why}; NO_KEY_TABLES=full sets REPLICA IDENTITY FULL on it, which role ${source.role} may not (it does not own the table)`,
              `a DBA runs ALTER TABLE ${place} REPLICA IDENTITY FULL, or ${fix}`,
            );
          }
          return warn('source', place, `${why}; NO_KEY_TABLES=full sets REPLICA IDENTITY FULL: exact, and each UPDATE or DELETE logs the whole old row`, fix);
        case 'skip':
          return warn(
            'source',
            place,
            `${why}; NO_KEY_TABLES=skip leaves it out: none of its rows reach the target`,
            `${fix}, or NO_KEY_TABLES=insert-only or full`,
          );
        default:
          return warn(
            'source',
            place,
            `${why}; NO_KEY_TABLES=insert-only (the default): its INSERT and TRUNCATE replicate, its UPDATE and DELETE succeed on the source but are not replicated`,
            `${fix}, or NO_KEY_TABLES=full, or leave it out with EXCLUDE_TABLES`,
          );
      }
    });
  }
}
