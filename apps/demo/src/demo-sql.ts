import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';

/**
 * Splits a plain SQL script into statements: `--` comments removed, `;` outside quotes ends a
 * statement. Enough for the demo's own files (no dollar quoting, no psql meta-commands).
 */
export function splitSqlStatements(text: string): string[] {
  const statements: string[] = [];
  let current = '';
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      current += ch;
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '-' && text[i + 1] === '-') {
      while (i < text.length && text[i] !== '\n') i++;
      current += '\n';
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    if (ch === ';') {
      if (current.trim()) statements.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}

/** Runs every `*.sql` file of `dir` in name order, one statement at a time (as psql -f would). */
export async function loadSqlDir(pool: Pool, dir: string): Promise<{ files: number; statements: number }> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  let statements = 0;
  for (const file of files) {
    for (const statement of splitSqlStatements(readFileSync(join(dir, file), 'utf8'))) {
      try {
        await pool.query(statement);
      } catch (err) {
        throw new Error(`${file}: ${(err as Error).message}`);
      }
      statements++;
    }
  }
  return { files: files.length, statements };
}
