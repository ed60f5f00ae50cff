import type { LagStats } from './demo-lag';
import type { HealthState, ServiceName } from './demo-service';
import { DEMO_TABLES, DemoSnapshot, UserRow } from './demo-snapshot';
import type { WriterStats } from './demo-writer';

export interface ScreenState {
  elapsedSeconds: number;
  snapshot?: DemoSnapshot;
  snapshotError?: string;
  lag: LagStats;
  writer: WriterStats;
  health: Record<ServiceName, HealthState>;
  /** Terminal width; the table shrinks its name/email columns to fit. */
  width: number;
  durationSeconds?: number;
  /** Where the buffer is: `Redis`, or `memory` (pg-change-stream's own, KV_URL=memory://). */
  buffer: 'Redis' | 'memory';
  /** One line each on what this machine runs the demo with (shown under the title). */
  notes: string[];
}

/** Cells are separated by `│`, the source half from the replica half by `║` (tests parse this). */
export const CELL = ' │ ';
export const HALF = ' ║ ';

function fit(value: string | null | undefined, width: number): string {
  const text = (value ?? '').replace(/\s+/g, ' ');
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

function columnWidths(width: number): { name: number; email: number; phone: number } {
  // id(6) + CELL + 2 × (name + email [+ phone] + separators) + HALF; below ~110 columns the phones go.
  const phone = width >= 110 ? 14 : 0;
  const separators = phone ? 2 * CELL.length : CELL.length;
  const perSide = Math.floor((width - 6 - CELL.length - HALF.length) / 2) - separators - phone;
  const text = Math.max(26, Math.min(64, perSide));
  const name = Math.max(10, Math.round(text * 0.36));
  return { name, email: text - name, phone };
}

function cells(values: (string | null)[], w: { name: number; email: number; phone: number }): string {
  const widths = [w.name, w.email, w.phone].filter((n) => n > 0);
  return widths.map((n, i) => fit(values[i], n)).join(CELL);
}

function side(row: UserRow | undefined, w: { name: number; email: number; phone: number }, missing: string): string {
  return row ? cells([row.name, row.email, row.phone], w) : cells([missing, '', ''], w);
}

function health(name: ServiceName, state: HealthState): string {
  if (state.status === 'ready') return `${name}: ready`;
  if (state.status === 'down') return `${name}: DOWN (no answer on /health)`;
  return `${name}: NOT READY (failing: ${state.failing.join(', ') || '?'})`;
}

function lagLine(lag: LagStats): string {
  if (lag.lastMs === undefined) {
    return lag.pendingMs !== undefined
      ? `replication lag: first heartbeat on its way for ${lag.pendingMs} ms`
      : 'replication lag: waiting for the first heartbeat';
  }
  const behind = lag.pendingMs !== undefined && lag.pendingMs > 1500 ? `; next heartbeat waiting ${lag.pendingMs} ms` : '';
  return `replication lag: ${lag.lastMs} ms (heartbeat #${lag.seenSeq}; avg ${lag.avgMs} ms, max ${lag.maxMs} ms over ${lag.samples}${behind})`;
}

/** One frame of the demo screen, as lines. Pure: everything it shows is in `state`. */
export function renderScreen(state: ScreenState): string[] {
  const out: string[] = [];
  const clock = state.durationSeconds ? `${state.elapsedSeconds}/${state.durationSeconds} s` : `${state.elapsedSeconds} s`;
  const buffer = state.buffer === 'Redis' ? 'Redis' : 'in-memory buffer';
  out.push(`Kasho demo: source -> pg-change-stream -> ${buffer} -> pg-translicator -> sanitized replica  [${clock}]`);
  out.push(...state.notes);
  out.push(`${health('pg-change-stream', state.health['pg-change-stream'])}   ${health('pg-translicator', state.health['pg-translicator'])}`);
  const w = state.writer;
  out.push(`source writes: ${w.inserts} inserts, ${w.updates} updates${w.errors ? `, ${w.errors} failed (last: ${w.lastError})` : ''}`);
  out.push(lagLine(state.lag));
  out.push('');
  const snap = state.snapshot;
  if (!snap) {
    out.push(state.snapshotError ? `cannot read the databases: ${state.snapshotError}` : 'reading the databases...');
    return out;
  }
  out.push(`${'rows'.padEnd(14)}${'source'.padStart(8)}${'replica'.padStart(9)}`);
  for (const table of DEMO_TABLES) {
    const s = snap.source.counts[table];
    const t = snap.target.counts[table];
    out.push(`${table.padEnd(14)}${String(s ?? '-').padStart(8)}${String(t ?? '-').padStart(9)}${t === undefined ? '   (table not on the replica yet)' : ''}`);
  }
  out.push('');
  out.push('users, most recently changed first: the source row, then its replica (transformed by transforms.yml)');
  const widths = columnWidths(state.width);
  const header = (label: string) => cells([`${label} name`, 'email', 'phone'], widths);
  out.push(`${'id'.padStart(6)}${CELL}${header('source')}${HALF}${header('replica')}`);
  for (const id of snap.recent) {
    const source = snap.source.users.get(id);
    if (!source) continue;
    const replica = snap.target.users.get(id);
    out.push(`${id.padStart(6)}${CELL}${side(source, widths, '')}${HALF}${side(replica, widths, '(not replicated yet)')}`);
  }
  return out;
}
