import { reachable, type CheckFacts } from '../check-facts';
import { blocker, ok, warn, type Finding } from '../finding';
import type { PreflightCheck } from '../preflight-check';
import { majorOf } from './server-version.check';

/** The pg_dump the initial snapshot would run (found as pg-change-stream finds it) is at least the source's major version. */
export class PgDumpCheck implements PreflightCheck {
  readonly concern = 'pg_dump';

  run({ pgDump, source, settings }: CheckFacts): Finding[] {
    const needed = settings.snapshotMode !== 'never';
    const problem = needed ? blocker : warn;
    if ('error' in pgDump) return [problem('source', 'pg_dump', pgDump.error, 'install postgresql-client of the source major version or newer')];
    if (pgDump.major === null) return [warn('source', `pg_dump ${pgDump.path}`, 'its version could not be read')];
    if (!reachable(source)) return [ok('source', `pg_dump ${pgDump.path}`, `version ${pgDump.major}`)];
    const sourceMajor = majorOf(source.versionNum);
    if (pgDump.major < sourceMajor) {
      return [
        problem(
          'source',
          `pg_dump ${pgDump.path}`,
          `is version ${pgDump.major}, older than the source (${sourceMajor}): it refuses to dump it, so the initial snapshot and kasho resync fail`,
          `install pg_dump ${sourceMajor} or newer where pg-change-stream runs`,
        ),
      ];
    }
    return [ok('source', `pg_dump ${pgDump.path}`, `version ${pgDump.major}, can dump the source (${sourceMajor})`)];
  }
}
