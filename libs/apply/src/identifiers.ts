import type { RelationRef } from '@kasho/contracts';

/**
 * Quotes an SQL identifier the way PostgreSQL's `quote_ident` does when forced: wrapped in double
 * quotes, embedded double quotes doubled. Always quoting keeps case and reserved words exact.
 */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error('an SQL identifier cannot be empty');
  if (name.includes('\u0000')) throw new Error('an SQL identifier cannot contain a NUL character');
  return `"${name.replace(/"/g, '""')}"`;
}

/** `"schema"."table"`. */
export function qualifiedName(relation: RelationRef): string {
  return `${quoteIdent(relation.schema)}.${quoteIdent(relation.table)}`;
}

/** A printable relation name for error messages (not for SQL). */
export function displayName(relation: RelationRef): string {
  return `${relation.schema}.${relation.table}`;
}
