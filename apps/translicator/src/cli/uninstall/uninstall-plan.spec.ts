import { uninstallPlan, type SourceLeftovers } from './uninstall-plan';

const everything: SourceLeftovers = {
  slot: { name: 'kasho_slot', active: false, activePid: null, retainedBytes: 4096 },
  publications: [
    { name: 'kasho_pub', comment: 'managed by Kasho: selected tables' },
    { name: 'kasho_pub_inserts', comment: 'managed by Kasho' },
  ],
  eventTriggers: ['kasho_capture_ddl', 'kasho_capture_drop'],
  kashoSchema: true,
};

describe('uninstallPlan', () => {
  it('slot, Kasho publications, event triggers, then the schema', () => {
    expect(uninstallPlan(everything, 'kasho_pub').steps.map((s) => s.sql)).toEqual([
      "SELECT pg_catalog.pg_drop_replication_slot('kasho_slot')",
      'DROP PUBLICATION IF EXISTS "kasho_pub"',
      'DROP PUBLICATION IF EXISTS "kasho_pub_inserts"',
      'DROP EVENT TRIGGER IF EXISTS "kasho_capture_ddl"',
      'DROP EVENT TRIGGER IF EXISTS "kasho_capture_drop"',
      'DROP SCHEMA IF EXISTS kasho CASCADE',
    ]);
  });

  it("refuses while the slot is read, naming the pid; leaves a publication without Kasho's comment, saying so", () => {
    const active = uninstallPlan({ ...everything, slot: { ...everything.slot!, active: true, activePid: 4242 } }, 'kasho_pub');
    expect(active.steps).toEqual([]);
    expect(active.refusal).toContain('in use by pid 4242');
    const own = uninstallPlan({ ...everything, publications: [{ name: 'mypub', comment: null }] }, 'mypub');
    expect(own.steps.find((s) => s.what.includes('mypub'))).toEqual({
      what: 'leave publication "mypub": it is your own (no "managed by Kasho" comment); drop it yourself if you no longer need it',
    });
  });

  it('nothing left: no step', () => {
    expect(uninstallPlan({ publications: [], eventTriggers: [], kashoSchema: false }, 'kasho_pub').steps).toEqual([]);
  });
});
