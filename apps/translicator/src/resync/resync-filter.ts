import { Injectable } from '@nestjs/common';
import type { Client } from 'pg';
import { tableResyncsAfter } from '@kasho/apply';
import { relationKey } from '@kasho/contracts';
import type { ChangePayload, Position } from '@kasho/contracts';

/**
 * After a table was re-copied at consistent point C, the stream still carries that table's changes
 * committed before C (the apply loop had not reached them): they are already in the copy, so they
 * are dropped. Row changes and the table's part of a TRUNCATE are dropped; DDL is kept.
 */
@Injectable()
export class ResyncFilter {
  /** "schema\0table" → consistent point of its last resync. */
  private readonly after = new Map<string, bigint>();

  /** Loads the resyncs the applied position has not passed yet (after a restart). */
  async load(client: Client, applied: Position): Promise<void> {
    this.after.clear();
    for (const r of await tableResyncsAfter(client, applied.commitLsn)) this.after.set(relationKey(r.schema, r.table), r.afterLsn);
  }

  set(schema: string, table: string, consistentLsn: bigint): void {
    this.after.set(relationKey(schema, table), consistentLsn);
  }

  /** The change to apply, or null when the resync's copy already holds it. */
  keep(change: ChangePayload, position: Position): ChangePayload | null {
    if (this.after.size === 0) return change;
    const skips = (schema: string, table: string) => {
      const after = this.after.get(relationKey(schema, table));
      return after !== undefined && position.commitLsn < after;
    };
    if (change.kind === 'insert' || change.kind === 'update' || change.kind === 'delete') return skips(change.schema, change.table) ? null : change;
    if (change.kind === 'truncate') {
      const relations = change.relations.filter((r) => !skips(r.schema, r.table));
      if (relations.length === change.relations.length) return change;
      return relations.length === 0 ? null : { ...change, relations };
    }
    return change;
  }
}
