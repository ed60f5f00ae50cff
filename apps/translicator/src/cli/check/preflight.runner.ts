import type { CheckFacts } from './check-facts';
import { blocker, type Finding } from './finding';
import type { PreflightCheck } from './preflight-check';
import { PgDumpCheck } from './checks/pg-dump.check';
import { ReplicaIdentityCheck } from './checks/replica-identity.check';
import { ReplicationCapacityCheck } from './checks/replication-capacity.check';
import { ServerVersionCheck } from './checks/server-version.check';
import { SlotCheck } from './checks/slot.check';
import { SourcePrivilegesCheck } from './checks/source-privileges.check';
import { TargetPrivilegesCheck } from './checks/target-privileges.check';
import { TransformsCoverageCheck } from './checks/transforms-coverage.check';
import { TypeFitCheck } from './checks/type-fit.check';
import { UniqueColumnsCheck } from './checks/unique-columns.check';
import { WalLevelCheck } from './checks/wal-level.check';

/** Every check of `kasho check`, in report order within each side. */
export function preflightChecks(): PreflightCheck[] {
  return [
    new ServerVersionCheck(),
    new WalLevelCheck(),
    new ReplicationCapacityCheck(),
    new SourcePrivilegesCheck(),
    new SlotCheck(),
    new ReplicaIdentityCheck(),
    new PgDumpCheck(),
    new TargetPrivilegesCheck(),
    new TransformsCoverageCheck(),
    new UniqueColumnsCheck(),
    new TypeFitCheck(),
  ];
}

/**
 * Runs the checks one after the other on the same facts. A check that throws becomes a blocker naming
 * its concern (the report is still printed whole): a preflight that cannot tell must not say OK.
 */
export class PreflightRunner {
  constructor(private readonly checks: readonly PreflightCheck[] = preflightChecks()) {}

  async run(facts: CheckFacts): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const check of this.checks) {
      try {
        findings.push(...(await check.run(facts)));
      } catch (err) {
        findings.push(blocker('source', `check of ${check.concern}`, `could not be done: ${err instanceof Error ? err.message : String(err)}`));
      }
    }
    return findings;
  }
}
