/** How much a finding matters: a blocker stops Kasho from working (or harms the source), and makes `kasho check` exit 1. */
export type Severity = 'ok' | 'warn' | 'blocker';

/** Where a finding belongs in the report. `transforms`: transforms.yml against the source's tables. */
export type Side = 'source' | 'target' | 'transforms';

/**
 * One line of the `kasho check` report. `place` names where (a setting, `schema.table.column`,
 * `file:line`, a role); `message` says what was found and `action` what to do. Never a row value,
 * never a credential.
 */
export interface Finding {
  side: Side;
  severity: Severity;
  place: string;
  message: string;
  action?: string;
}

export const ok = (side: Side, place: string, message: string): Finding => ({ side, severity: 'ok', place, message });
export const warn = (side: Side, place: string, message: string, action?: string): Finding => ({ side, severity: 'warn', place, message, action });
export const blocker = (side: Side, place: string, message: string, action?: string): Finding => ({ side, severity: 'blocker', place, message, action });
