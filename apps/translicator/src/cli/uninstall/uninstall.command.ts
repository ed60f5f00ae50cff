import type { Client } from 'pg';
import { parseSlotWal, publicationNames, SLOT_WAL_SQL, type SlotWalRow } from '@kasho/replication';
import { withPg } from '@kasho/runtime';
import { SourceLeftovers, uninstallPlan } from './uninstall-plan';

export interface UninstallArgs {
  databaseUrl: string;
  slotName: string;
  publication: string;
  /** Without it, only prints what it would do. */
  yes: boolean;
}

/**
 * `kasho uninstall [--yes]`: removes from the source what Kasho created there (uninstall-plan.ts).
 * Idempotent: what is already gone is not mentioned, and a second run finds nothing to do. Exit 1 when
 * refused (the slot is read) or a step failed (the others still run); 0 otherwise.
 */
export async function runUninstall(args: UninstallArgs, print: (line: string) => void, printError: (line: string) => void): Promise<number> {
  return withPg({ connectionString: args.databaseUrl, application_name: 'kasho-uninstall' }, async (client) => {
    const plan = uninstallPlan(await findLeftovers(client, args), args.publication);
    if (plan.refusal) {
      printError(`kasho uninstall refused: ${plan.refusal}`);
      return 1;
    }
    const actions = plan.steps.filter((s) => s.sql);
    const notes = plan.steps.filter((s) => !s.sql);
    if (actions.length === 0) {
      print('nothing of Kasho left on the source (no slot, no Kasho publication, no DDL capture)');
      for (const note of notes) print(`  ${note.what}`);
      return 0;
    }
    if (!args.yes) {
      print('kasho uninstall would, on the source:');
      for (const step of plan.steps) print(`  - ${step.what}`);
      print('nothing was changed: run `kasho uninstall --yes` to do it (stop pg-change-stream first)');
      return 0;
    }
    let failed = 0;
    for (const step of plan.steps) {
      if (!step.sql) {
        print(`  - ${step.what}`);
        continue;
      }
      try {
        await client.query(step.sql);
        print(`  ✓ ${step.what}`);
      } catch (err) {
        failed++;
        printError(`  ✗ ${step.what}: ${(err as Error).message} (a superuser can run: ${step.sql};)`);
      }
    }
    print(failed ? `${failed} step(s) failed; the others are done. Run it again once fixed.` : 'Kasho is removed from the source.');
    return failed ? 1 : 0;
  });
}

async function findLeftovers(client: Client, args: UninstallArgs): Promise<SourceLeftovers> {
  const slotRow = (await client.query<SlotWalRow>(SLOT_WAL_SQL, [args.slotName])).rows[0];
  const wal = slotRow ? parseSlotWal(slotRow) : undefined;
  const publications = await client.query<{ name: string; comment: string | null }>(
    `SELECT p.pubname AS name, pg_catalog.obj_description(p.oid, 'pg_publication') AS comment
       FROM pg_catalog.pg_publication p WHERE p.pubname = ANY ($1::text[])`,
    [publicationNames(args.publication)],
  );
  const triggers = await client.query<{ name: string }>(
    `SELECT evtname AS name FROM pg_catalog.pg_event_trigger
      WHERE evtname IN ('kasho_capture_ddl', 'kasho_capture_drop', 'kasho_publication_upkeep') ORDER BY 1`,
  );
  const schema = await client.query(`SELECT FROM pg_catalog.pg_namespace WHERE nspname = 'kasho'`);
  return {
    slot: wal ? { name: args.slotName, active: wal.active, activePid: wal.activePid, retainedBytes: wal.retainedBytes } : undefined,
    publications: publications.rows,
    eventTriggers: triggers.rows.map((r) => r.name),
    kashoSchema: schema.rows.length > 0,
  };
}
