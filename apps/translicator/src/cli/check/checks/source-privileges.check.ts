import { pipelinePublications } from '@kasho/replication';
import { reachable, type CheckFacts, type SourceFacts } from '../check-facts';
import { blocker, ok, warn, type Finding } from '../finding';
import type { PreflightCheck } from '../preflight-check';
import { isKashoPublication, selectedTables } from '../table-selection';
import { listNames } from './list-names';

/**
 * What the source role may do, against what pg-change-stream needs (docs/security.md): REPLICATION,
 * DDL capture and the publications present or creatable, SELECT on the replicated tables (snapshot,
 * resync, sequence sync).
 */
export class SourcePrivilegesCheck implements PreflightCheck {
  readonly concern = 'privileges of the source role';

  run({ source, settings }: CheckFacts): Finding[] {
    if (!reachable(source)) return [];
    const role = `role ${source.role}`;
    const findings: Finding[] = [];
    if (source.superuser) {
      findings.push(
        warn(
          'source',
          role,
          'is a superuser',
          'a role WITH REPLICATION LOGIN and SELECT on the replicated tables is enough once a DBA ran sql/ (docs/security.md)',
        ),
      );
    } else if (source.replication) {
      findings.push(ok('source', role, 'has REPLICATION'));
    } else {
      findings.push(blocker('source', role, 'has no REPLICATION: it cannot read the slot', `ALTER ROLE ${source.role} WITH REPLICATION`));
    }
    findings.push(this.ddlCapture(source));
    const selected = selectedTables(source, settings);
    const { main, inserts } = pipelinePublications(settings.publication);
    for (const name of [main, inserts])
      findings.push(
        this.publication(
          source,
          name,
          selected.every((t) => t.ownedByRole),
        ),
      );

    const missing = selected.filter((t) => !t.canSelect);
    const unreadable = missing.map((t) => `${t.schema}.${t.table}`);
    if (unreadable.length === 0) {
      findings.push(ok('source', `${role} SELECT`, `on all ${selected.length} replicated table(s)`));
    } else {
      const place = `${role} SELECT`;
      const message = `missing on ${listNames(unreadable)}: the initial snapshot, kasho resync and the sequence sync read them`;
      const action = `GRANT SELECT ON ALL TABLES IN SCHEMA ${[...new Set(missing.map((t) => t.schema))].join(', ')} TO ${source.role}${source.versionNum >= 140000 ? ` (or GRANT pg_read_all_data TO ${source.role})` : ''}`;
      findings.push(settings.snapshotMode === 'never' ? warn('source', place, message, action) : blocker('source', place, message, action));
    }
    return findings;
  }

  private ddlCapture(source: SourceFacts): Finding {
    const { schema, table, triggers, enabledTriggers } = source.ddlCapture;
    const place = 'DDL capture';
    if (schema && table && enabledTriggers === 2)
      return ok('source', place, 'installed (kasho.ddl_log, event triggers kasho_capture_ddl and kasho_capture_drop)');
    if (triggers === 2 && enabledTriggers < 2) {
      return blocker(
        'source',
        place,
        'its event triggers are disabled: DDL would not be replicated',
        'ALTER EVENT TRIGGER kasho_capture_ddl ENABLE; ALTER EVENT TRIGGER kasho_capture_drop ENABLE',
      );
    }
    if (source.superuser) return ok('source', place, 'not installed yet: pg-change-stream installs it at its first start');
    return blocker(
      'source',
      place,
      'not installed, and event triggers need a superuser',
      'a DBA runs sql/10-ddl-capture.sql once as a superuser (sql/README.md)',
    );
  }

  private publication(source: SourceFacts, name: string, ownsTables: boolean): Finding {
    const place = `publication ${name}`;
    const existing = source.publications.find((p) => p.name === name);
    if (existing && isKashoPublication(existing)) return ok('source', place, "exists (Kasho's)");
    if (existing) {
      const scope = existing.allTables ? 'FOR ALL TABLES' : `${existing.tables.length} table(s)`;
      return ok('source', place, `exists and is your own (${scope}): Kasho replicates its tables as given and never drops it`);
    }
    if (source.superuser || (source.createOnDatabase && ownsTables))
      return ok('source', place, 'not created yet: pg-change-stream creates it at its first start');
    return blocker(
      'source',
      place,
      `missing, and role ${source.role} cannot create it (it needs CREATE on the database and to own the tables it lists)`,
      'a DBA runs sql/20-publication.sql once (sql/README.md)',
    );
  }
}
