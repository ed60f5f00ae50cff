import { reachable, type CheckFacts } from '../check-facts';
import { blocker, ok, type Finding } from '../finding';
import type { PreflightCheck } from '../preflight-check';

/** Logical decoding needs wal_level = logical on the source. */
export class WalLevelCheck implements PreflightCheck {
  readonly concern = 'wal_level';

  run({ source }: CheckFacts): Finding[] {
    if (!reachable(source)) return [];
    if (source.walLevel === 'logical') return [ok('source', 'setting wal_level', 'logical')];
    return [
      blocker(
        'source',
        'setting wal_level',
        `is ${source.walLevel}; logical replication needs logical`,
        'ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL (RDS/Aurora: rds.logical_replication = 1; Cloud SQL: cloudsql.logical_decoding = on)',
      ),
    ];
  }
}
