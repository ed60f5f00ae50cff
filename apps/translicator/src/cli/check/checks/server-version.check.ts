import { reachable, type CheckFacts, type ServerFacts, type Unreachable } from '../check-facts';
import { blocker, ok, warn, type Finding, type Side } from '../finding';
import type { PreflightCheck } from '../preflight-check';

/** The oldest PostgreSQL Kasho supports on either side, and the newest it is tested with. */
export const MIN_SERVER_MAJOR = 13;
export const NEWEST_TESTED_MAJOR = 17;

export function majorOf(versionNum: number): number {
  return Math.floor(versionNum / 10_000);
}

/** Each side answers, and runs a PostgreSQL Kasho supports (13 or later; newer than 17 is untested). */
export class ServerVersionCheck implements PreflightCheck {
  readonly concern = 'connection and server version';

  run(facts: CheckFacts): Finding[] {
    return [...this.side('source', 'PRIMARY_DATABASE_URL', facts.source), ...this.side('target', 'REPLICA_DATABASE_URL', facts.target)];
  }

  private side(side: Side, variable: string, server: ServerFacts | Unreachable | undefined): Finding[] {
    if (server === undefined) return [blocker(side, variable, 'is not set', `set ${variable} to the ${side} database's URL`)];
    if (!reachable(server)) return [blocker(side, variable, `cannot connect: ${server.error}`, 'check the URL, the network and pg_hba.conf')];
    const major = majorOf(server.versionNum);
    const connected = ok(side, 'connection', `database "${server.database}" as role "${server.role}"`);
    if (major < MIN_SERVER_MAJOR) {
      return [
        connected,
        blocker(side, 'server version', `PostgreSQL ${server.version}: Kasho needs ${MIN_SERVER_MAJOR} or later`, `upgrade the ${side} server`),
      ];
    }
    if (major > NEWEST_TESTED_MAJOR) {
      return [
        connected,
        warn(
          side,
          'server version',
          `PostgreSQL ${server.version} is newer than Kasho is tested with (${MIN_SERVER_MAJOR} to ${NEWEST_TESTED_MAJOR})`,
          'test the pipeline on a copy first',
        ),
      ];
    }
    return [connected, ok(side, 'server version', `PostgreSQL ${server.version}`)];
  }
}
