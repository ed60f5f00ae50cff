import type { Finding, Severity, Side } from './finding';

const SIDES: { side: Side; title: string }[] = [
  { side: 'source', title: 'SOURCE (PRIMARY_DATABASE_URL)' },
  { side: 'target', title: 'TARGET (REPLICA_DATABASE_URL)' },
  { side: 'transforms', title: 'TRANSFORMS (TRANSFORMS_FILE, against the source)' },
];

const LABEL: Record<Severity, string> = { ok: 'OK     ', warn: 'WARN   ', blocker: 'BLOCKER' };
const INDENT = ' '.repeat(2 + LABEL.ok.length + 1);

/** The report of `kasho check`: findings grouped by side, each with what to do, and a summary line. */
export function formatReport(findings: readonly Finding[]): string {
  const out: string[] = ['kasho check'];
  for (const { side, title } of SIDES) {
    const mine = findings.filter((f) => f.side === side);
    if (mine.length === 0) continue;
    out.push('', title);
    for (const f of mine) {
      out.push(`  ${LABEL[f.severity]} ${f.place}: ${f.message}`);
      if (f.action && f.severity !== 'ok') out.push(`${INDENT}→ ${f.action}`);
    }
  }
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const blockers = count('blocker');
  out.push(
    '',
    `${blockers} blocker(s), ${count('warn')} warning(s), ${count('ok')} OK. ` +
      (blockers ? 'Fix the blockers before starting Kasho.' : 'Nothing blocks Kasho; read the warnings.'),
  );
  return out.join('\n');
}

export function hasBlocker(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'blocker');
}
