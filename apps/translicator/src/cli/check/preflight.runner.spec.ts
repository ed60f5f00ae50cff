import type { CheckFacts } from './check-facts';
import { blocker, ok, warn } from './finding';
import { PreflightRunner } from './preflight.runner';
import { formatReport, hasBlocker } from './report.formatter';

describe('PreflightRunner and the report', () => {
  const facts = {} as CheckFacts;

  it('runs every check in order; a check that throws becomes a blocker naming its concern', async () => {
    const runner = new PreflightRunner([
      { concern: 'first', run: () => [ok('source', 'a', 'fine')] },
      {
        concern: 'second',
        run: async () => {
          throw new Error('catalog query failed');
        },
      },
      { concern: 'third', run: async () => [warn('target', 'b', 'hm', 'do x')] },
    ]);
    const findings = await runner.run(facts);
    expect(findings).toEqual([
      ok('source', 'a', 'fine'),
      blocker('source', 'check of second', 'could not be done: catalog query failed'),
      warn('target', 'b', 'hm', 'do x'),
    ]);
    expect(hasBlocker(findings)).toBe(true);
    expect(hasBlocker(findings.filter((f) => f.severity !== 'blocker'))).toBe(false);
  });

  it('groups by side with the action under each problem, and sums up', () => {
    const report = formatReport([
      warn('target', 'role kasho', 'is a superuser', 'use another role'),
      ok('source', 'setting wal_level', 'logical'),
      blocker('transforms', 'f.yml:3 public.t.c', 'no such column', 'rename it'),
      { ...ok('transforms', 'f.yml', 'fine'), action: 'never shown for OK' },
    ]);
    expect(report).toBe(
      [
        'kasho check',
        '',
        'SOURCE (PRIMARY_DATABASE_URL)',
        '  OK      setting wal_level: logical',
        '',
        'TARGET (REPLICA_DATABASE_URL)',
        '  WARN    role kasho: is a superuser',
        '          → use another role',
        '',
        'TRANSFORMS (TRANSFORMS_FILE, against the source)',
        '  BLOCKER f.yml:3 public.t.c: no such column',
        '          → rename it',
        '  OK      f.yml: fine',
        '',
        '1 blocker(s), 1 warning(s), 2 OK. Fix the blockers before starting Kasho.',
      ].join('\n'),
    );
  });
});
