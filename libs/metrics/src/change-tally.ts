import type { ChangeEnvelope } from '@kasho/contracts';
import type { Counter } from 'prom-client';

type Kind = 'insert' | 'update' | 'delete' | 'truncate' | 'ddl';
const MAX_LABEL = 128;

/**
 * Counts changes per `schema.table` and kind for one batch, then adds the totals to a
 * `{table,kind}` counter in one call per pair, so the hot path does a map update per change
 * instead of a label lookup. Only names reach labels, never values; commit entries are not changes.
 */
export class ChangeTally {
  private readonly counts = new Map<string, Record<Kind, number>>();

  get isEmpty(): boolean {
    return this.counts.size === 0;
  }

  add(changes: readonly ChangeEnvelope[]): void {
    for (let i = 0; i < changes.length; i++) {
      const change = changes[i].change;
      switch (change.kind) {
        case 'insert':
        case 'update':
        case 'delete':
          this.bump(`${change.schema}.${change.table}`, change.kind);
          break;
        case 'truncate':
          for (const r of change.relations) this.bump(`${r.schema}.${r.table}`, 'truncate');
          break;
        case 'ddl':
          this.bump(change.object.slice(0, MAX_LABEL), 'ddl');
          break;
      }
    }
  }

  /** Adds the counts to `counter` and starts over. */
  flushTo(counter: Counter<'table' | 'kind'>): void {
    for (const [table, kinds] of this.counts) {
      for (const kind in kinds) {
        const n = kinds[kind as Kind];
        if (n > 0) counter.inc({ table, kind }, n);
      }
    }
    this.counts.clear();
  }

  clear(): void {
    this.counts.clear();
  }

  private bump(table: string, kind: Kind): void {
    let kinds = this.counts.get(table);
    if (!kinds) this.counts.set(table, (kinds = { insert: 0, update: 0, delete: 0, truncate: 0, ddl: 0 }));
    kinds[kind]++;
  }
}
