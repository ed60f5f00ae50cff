import type { Pool } from 'pg';

export const DEMO_TABLES = ['organizations', 'users', 'credit_cards', 'invoices'] as const;

export interface UserRow {
  id: string;
  name: string;
  email: string;
  phone: string | null;
}

export interface SideSnapshot {
  /** Row count per table; undefined while the table does not exist (on the target: DDL not applied yet). */
  counts: Record<string, number | undefined>;
  users: Map<string, UserRow>;
}

export interface DemoSnapshot {
  source: SideSnapshot;
  target: SideSnapshot;
  /** Ids of the most recently changed users on the source, newest first. */
  recent: string[];
}

async function counts(pool: Pool): Promise<Record<string, number | undefined>> {
  const present = await pool.query<{ t: string }>(`SELECT t FROM unnest($1::text[]) AS t WHERE to_regclass('public.' || t) IS NOT NULL`, [DEMO_TABLES]);
  const result: Record<string, number | undefined> = Object.fromEntries(DEMO_TABLES.map((t) => [t, undefined]));
  if (!present.rows.length) return result;
  // Table names come from DEMO_TABLES (constants), never from input.
  const sql = present.rows.map(({ t }) => `SELECT '${t}' AS t, count(*)::text AS n FROM public.${t}`).join(' UNION ALL ');
  for (const row of (await pool.query<{ t: string; n: string }>(sql)).rows) result[row.t] = Number(row.n);
  return result;
}

async function users(pool: Pool, ids: string[]): Promise<Map<string, UserRow>> {
  if (!ids.length) return new Map();
  const { rows } = await pool.query<UserRow>('SELECT id::text, name, email, phone FROM users WHERE id = ANY($1::bigint[])', [ids]);
  return new Map(rows.map((r) => [r.id, r]));
}

/** What the screen shows, read from both sides; the target may not have the tables yet. */
export async function takeSnapshot(source: Pool, target: Pool, rows: number): Promise<DemoSnapshot> {
  const [sourceCounts, targetCounts] = await Promise.all([counts(source), counts(target)]);
  let recent: string[] = [];
  if (sourceCounts.users !== undefined) {
    const result = await source.query<{ id: string }>('SELECT id::text FROM users ORDER BY updated_at DESC, id DESC LIMIT $1', [rows]);
    recent = result.rows.map((r) => r.id);
  }
  const [sourceUsers, targetUsers] = await Promise.all([
    sourceCounts.users !== undefined ? users(source, recent) : Promise.resolve(new Map<string, UserRow>()),
    targetCounts.users !== undefined ? users(target, recent) : Promise.resolve(new Map<string, UserRow>()),
  ]);
  return { source: { counts: sourceCounts, users: sourceUsers }, target: { counts: targetCounts, users: targetUsers }, recent };
}
