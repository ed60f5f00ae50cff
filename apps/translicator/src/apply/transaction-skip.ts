import type { SkipRecord, SkipRequest } from '@kasho/apply';
import type { ChangePayload, Position } from '@kasho/contracts';

/**
 * The one source transaction an operator asked to skip with `kasho skip --position P`, where P is
 * the change apply is stopped at (docs/operations.md). Every change of that transaction (same commit
 * LSN as P) is left out; the tables it touched are collected for the record that commits with the
 * applied position moved past it. Nothing else is ever skipped.
 */
export class TransactionSkip {
  private readonly tables = new Set<string>();

  constructor(readonly request: SkipRequest) {}

  /** Whether `change` belongs to the skipped transaction (then it must not be applied). */
  covers(position: Position, change: ChangePayload): boolean {
    if (position.commitLsn !== this.request.position.commitLsn) return false;
    switch (change.kind) {
      case 'insert':
      case 'update':
      case 'delete':
        this.tables.add(`${change.schema}.${change.table}`);
        break;
      case 'truncate':
        for (const r of change.relations) this.tables.add(`${r.schema}.${r.table}`);
        break;
      case 'ddl':
        if (change.object) this.tables.add(change.object);
        break;
    }
    return true;
  }

  record(): SkipRecord {
    return { position: this.request.position, reason: this.request.reason, tables: [...this.tables].sort(), requestedAt: this.request.requestedAt };
  }
}
