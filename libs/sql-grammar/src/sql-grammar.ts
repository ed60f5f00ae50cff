import { loadModule, parseSync } from 'libpg-query';

/**
 * PostgreSQL's own grammar (libpg-query: the server's parser built to WASM), the one place Kasho
 * splits SQL text into statements. A statement here is exactly what the server executes as one
 * statement, whatever quotes, dollar quotes, comments, rule actions or BEGIN ATOMIC bodies it holds.
 * Call `loadSqlGrammar()` once before `splitStatements` (the WASM module loads asynchronously).
 */
export interface SqlStatement {
  /** The statement text, without the terminating semicolon, trimmed (leading comments kept). */
  text: string;
  /** The parse node's type, e.g. `CreateStmt`, `InsertStmt`. */
  node: string;
  /** The parse node itself (libpg-query's JSON form). */
  body: Record<string, unknown>;
}

export class SqlGrammarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SqlGrammarError';
  }
}

/** Loads PostgreSQL's parser; idempotent. */
export async function loadSqlGrammar(): Promise<void> {
  await loadModule();
}

interface RawStatement {
  stmt?: Record<string, Record<string, unknown>>;
  stmt_location?: number;
  stmt_len?: number;
}

/**
 * The statements of `sql` as PostgreSQL parses them. Throws SqlGrammarError when the text does not
 * parse; its message names the position, never the text (which may hold values).
 */
export function splitStatements(sql: string): SqlStatement[] {
  let stmts: RawStatement[];
  try {
    stmts = (parseSync(sql) as { stmts?: RawStatement[] }).stmts ?? [];
  } catch (err) {
    const position = (err as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition;
    // "syntax error at or near "<token>"": the token may be a literal.
    const reason = err instanceof Error ? err.message.replace(/ at or near ".*"$/s, '') : String(err);
    throw new SqlGrammarError(`PostgreSQL's parser refused the text (${reason}${position !== undefined ? ` at character ${position}` : ''})`);
  }
  // Locations are byte offsets into the UTF-8 text; a length of 0 means "to the end".
  const bytes = Buffer.from(sql, 'utf8');
  return stmts.map((raw) => {
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len ? start + raw.stmt_len : bytes.length;
    const [node, body] = Object.entries(raw.stmt ?? {})[0] ?? ['', {}];
    return { text: bytes.subarray(start, end).toString('utf8').trim(), node, body };
  });
}
