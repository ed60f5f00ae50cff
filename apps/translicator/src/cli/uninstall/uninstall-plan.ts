import { KASHO_PUBLICATION_COMMENT, publicationNames } from '@kasho/replication';

/** What Kasho left on the source, as `kasho uninstall` finds it. */
export interface SourceLeftovers {
  slot?: { name: string; active: boolean; activePid: number | null; retainedBytes: number | null };
  publications: { name: string; comment: string | null }[];
  eventTriggers: string[];
  kashoSchema: boolean;
}

export interface UninstallStep {
  /** What it does, for the report. */
  what: string;
  /** Undefined: nothing is done, `what` says why (a user's publication is left). */
  sql?: string;
}

export interface UninstallPlan {
  /** Set when nothing may be done now (the slot is being read). */
  refusal?: string;
  steps: UninstallStep[];
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * The steps of `kasho uninstall`, in order: the slot first (nothing decodes any more), then Kasho's
 * publications (only those carrying Kasho's comment: a user's own is named and left), then the event
 * triggers, then the kasho schema (kasho.ddl_log and the capture functions). Refused while the slot is
 * read: pg-change-stream must be stopped first. Pure, so the order and the refusals are unit-tested.
 */
export function uninstallPlan(found: SourceLeftovers, publication: string): UninstallPlan {
  if (found.slot?.active) {
    return {
      refusal:
        `replication slot "${found.slot.name}" is in use by pid ${found.slot.activePid ?? 'unknown'} (a running pg-change-stream?): ` +
        'stop it first; nothing was removed',
      steps: [],
    };
  }
  const steps: UninstallStep[] = [];
  if (found.slot) {
    const retained = found.slot.retainedBytes === null ? '' : ` (it retains ${found.slot.retainedBytes} bytes of WAL)`;
    steps.push({
      what: `drop replication slot "${found.slot.name}"${retained}`,
      sql: `SELECT pg_catalog.pg_drop_replication_slot(${literal(found.slot.name)})`,
    });
  }
  for (const name of publicationNames(publication)) {
    const existing = found.publications.find((p) => p.name === name);
    if (!existing) continue;
    if (existing.comment?.startsWith(KASHO_PUBLICATION_COMMENT)) {
      steps.push({ what: `drop publication "${name}" (Kasho's)`, sql: `DROP PUBLICATION IF EXISTS ${quote(name)}` });
    } else {
      steps.push({
        what: `leave publication "${name}": it is your own (no "${KASHO_PUBLICATION_COMMENT}" comment); drop it yourself if you no longer need it`,
      });
    }
  }
  for (const trigger of found.eventTriggers)
    steps.push({ what: `drop event trigger ${trigger} (DDL capture)`, sql: `DROP EVENT TRIGGER IF EXISTS ${quote(trigger)}` });
  if (found.kashoSchema) steps.push({ what: 'drop schema kasho (kasho.ddl_log and the DDL capture functions)', sql: 'DROP SCHEMA IF EXISTS kasho CASCADE' });
  return { steps };
}
