import { reachable, type CheckFacts } from '../check-facts';
import { blocker, ok, warn, type Finding } from '../finding';
import type { PreflightCheck } from '../preflight-check';
import { listNames } from './list-names';

/** The target role against the documented grants (docs/ddl-policy.md): not a superuser, CONNECT and CREATE, its schemas, session_replication_role. */
export class TargetPrivilegesCheck implements PreflightCheck {
  readonly concern = 'privileges of the target role';

  run({ target }: CheckFacts): Finding[] {
    if (!reachable(target)) return [];
    const role = `role ${target.role}`;
    const findings: Finding[] = [];
    if (target.inRecovery)
      findings.push(blocker('target', 'server', 'is a read-only standby (in recovery)', 'point REPLICA_DATABASE_URL at a writable server'));
    if (target.superuser) {
      findings.push(warn('target', role, 'is a superuser: replayed DDL would run with every privilege', 'use a role with the grants of docs/ddl-policy.md'));
      return findings;
    }
    const database = [!target.connectOnDatabase && 'CONNECT', !target.createOnDatabase && 'CREATE'].filter(Boolean);
    if (database.length) {
      findings.push(
        blocker(
          'target',
          `${role} on database ${target.database}`,
          `missing ${database.join(', ')}`,
          `GRANT CONNECT, CREATE ON DATABASE ${target.database} TO ${target.role}`,
        ),
      );
    } else {
      findings.push(ok('target', `${role} on database ${target.database}`, 'CONNECT, CREATE'));
    }
    const lacking = target.schemas.filter((s) => s.exists && !(s.usage && s.create)).map((s) => s.name);
    if (lacking.length) {
      findings.push(
        blocker(
          'target',
          `${role} on schemas`,
          `missing USAGE or CREATE on ${listNames(lacking)}: replayed DDL creates the tables there`,
          `GRANT USAGE, CREATE ON SCHEMA ${lacking.join(', ')} TO ${target.role}`,
        ),
      );
    } else if (target.schemas.length) {
      findings.push(ok('target', `${role} on schemas`, `may create in ${listNames(target.schemas.map((s) => s.name))}`));
    }
    if (!target.setReplicationRole) {
      findings.push(
        warn(
          'target',
          `${role} SET session_replication_role`,
          "missing: the target's own triggers and foreign-key actions fire again for replicated changes",
          target.versionNum >= 150000
            ? `GRANT SET ON PARAMETER session_replication_role TO ${target.role}`
            : 'before PostgreSQL 15 only a superuser may set it; pg-translicator applies anyway',
        ),
      );
    } else {
      findings.push(ok('target', `${role} SET session_replication_role`, 'granted'));
    }
    return findings;
  }
}
