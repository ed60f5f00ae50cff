/**
 * Finds the DDL statement an event-trigger firing belongs to, inside the top-level query string
 * (`current_query()`), which may hold several statements, DML included.
 *
 * The splitter follows psql's lexer: it respects '...' / E'...' strings, "identifiers",
 * $tag$ dollar quotes $tag$, -- and nested /* *\/ comments, parentheses (CREATE RULE ... (a; b)) and
 * BEGIN ... END bodies of CREATE FUNCTION/PROCEDURE (BEGIN ATOMIC).
 */
export interface SqlStatement {
  /** The statement text, without the terminating semicolon, trimmed. */
  text: string;
  /** Upper-cased keywords/identifiers outside quotes, comments and parentheses, in order. */
  words: string[];
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

export function splitStatements(query: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let words: string[] = [];
  let paren = 0;
  let beginDepth = 0;
  let hasContent = false;
  let contentStart = -1;
  const n = query.length;
  let i = 0;

  const finish = (end: number) => {
    if (hasContent) out.push({ text: query.slice(contentStart, end).trim(), words });
    words = [];
    paren = 0;
    beginDepth = 0;
    hasContent = false;
    contentStart = -1;
  };
  const mark = (at: number) => {
    if (!hasContent) {
      hasContent = true;
      contentStart = at;
    }
  };

  while (i < n) {
    const c = query[i];
    const next = query[i + 1];
    if (c === '-' && next === '-') {
      const eol = query.indexOf('\n', i);
      i = eol < 0 ? n : eol + 1;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (query[i] === '/' && query[i + 1] === '*') (depth++, (i += 2));
        else if (query[i] === '*' && query[i + 1] === '/') (depth--, (i += 2));
        else i++;
      }
    } else if (c === "'") {
      mark(i);
      const escaped = i > 0 && /[Ee]/.test(query[i - 1]) && (i < 2 || !IDENT_CHAR.test(query[i - 2]));
      i = skipQuoted(query, i, "'", escaped);
    } else if (c === '"') {
      mark(i);
      i = skipQuoted(query, i, '"', false);
    } else if (c === '$' && (i === 0 || !IDENT_CHAR.test(query[i - 1]))) {
      const tag = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(query.slice(i));
      mark(i);
      if (tag) {
        const close = query.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? n : close + tag[0].length;
      } else i++;
    } else if (c === ';' && paren === 0 && beginDepth === 0) {
      finish(i);
      i++;
    } else if (IDENT_START.test(c) && (i === 0 || !IDENT_CHAR.test(query[i - 1]))) {
      mark(i);
      let j = i + 1;
      while (j < n && IDENT_CHAR.test(query[j])) j++;
      const word = query.slice(i, j).toUpperCase();
      if (paren === 0) {
        words.push(word);
        beginDepth = trackBeginEnd(words, word, beginDepth);
      }
      i = j;
    } else {
      if (!/\s/.test(c)) mark(i);
      if (c === '(' || c === '[') paren++;
      else if ((c === ')' || c === ']') && paren > 0) paren--;
      i++;
    }
  }
  finish(n);
  return out;
}

function skipQuoted(query: string, at: number, quote: string, backslashEscapes: boolean): number {
  let i = at + 1;
  while (i < query.length) {
    const c = query[i];
    if (backslashEscapes && c === '\\') i += 2;
    else if (c === quote && query[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  return i;
}

/** psql's heuristic: inside CREATE [OR REPLACE] FUNCTION|PROCEDURE, BEGIN/CASE ... END nest. */
function trackBeginEnd(words: string[], word: string, depth: number): number {
  const [a, b, c, d] = words;
  const routine = a === 'CREATE' && (b === 'FUNCTION' || b === 'PROCEDURE' || (b === 'OR' && c === 'REPLACE' && (d === 'FUNCTION' || d === 'PROCEDURE')));
  if (!routine || words.length <= 1) return depth;
  if (word === 'BEGIN') return depth + 1;
  if (word === 'CASE') return depth >= 1 ? depth + 1 : depth;
  if (word === 'END') return depth > 0 ? depth - 1 : depth;
  return depth;
}

const DDL_VERBS = new Set(['CREATE', 'ALTER', 'DROP', 'COMMENT', 'GRANT', 'REVOKE', 'SECURITY', 'IMPORT', 'REFRESH']);
/** Objects whose commands do not fire event triggers (shared/global objects, the trigger itself). */
const GLOBAL_OBJECTS = new Set(['DATABASE', 'ROLE', 'GROUP', 'TABLESPACE', 'EVENT', 'SYSTEM']);

/**
 * Whether a statement has a `kasho.ddl_log` row (fires `ddl_command_end`; REINDEX is not logged). Follows
 * PostgreSQL's event trigger firing matrix: DDL on local objects, GRANT/REVOKE on objects (not role
 * membership), COMMENT/SECURITY LABEL on local objects, SELECT ... INTO, REFRESH MATERIALIZED VIEW.
 */
export function isDdlStatement(words: string[]): boolean {
  const [verb] = words;
  if (verb === 'SELECT') return words.includes('INTO');
  if (!verb || !DDL_VERBS.has(verb)) return false;
  if (verb === 'REFRESH') return words[1] === 'MATERIALIZED';
  if (verb === 'IMPORT') return words[1] === 'FOREIGN';
  if (verb === 'GRANT' || verb === 'REVOKE') {
    const on = words.indexOf('ON');
    return on > 0 && !GLOBAL_OBJECTS.has(words[on + 1]) && words[on + 1] !== 'PARAMETER';
  }
  if (verb === 'COMMENT' || verb === 'SECURITY') {
    const on = words.indexOf('ON');
    return on > 0 && !GLOBAL_OBJECTS.has(words[on + 1]);
  }
  const object = objectWord(words);
  if (object === 'USER') return words[words.indexOf('USER') + 1] === 'MAPPING';
  return !GLOBAL_OBJECTS.has(object);
}

/** The object keyword of CREATE/ALTER/DROP, skipping OR REPLACE and modifiers such as UNIQUE, TEMP. */
function objectWord(words: string[]): string {
  const modifiers = new Set(['OR', 'REPLACE', 'UNIQUE', 'TEMP', 'TEMPORARY', 'UNLOGGED', 'GLOBAL', 'LOCAL', 'TRUSTED', 'PROCEDURAL', 'DEFAULT', 'CONSTRAINT', 'RECURSIVE']);
  for (const w of words.slice(1)) if (!modifiers.has(w)) return w;
  return '';
}

/** A command tag (`CREATE TABLE AS`) fits a statement if its words appear in order, the verb first. */
export function tagMatchesStatement(tag: string, words: string[]): boolean {
  const tagWords = tag.toUpperCase().split(/\s+/).filter(Boolean);
  if (tagWords.length === 0 || tagWords[0] !== words[0]) return false;
  let at = 1;
  for (const w of tagWords.slice(1)) {
    while (at < words.length && words[at] !== w) at++;
    if (at >= words.length) return false;
    at++;
  }
  return true;
}

/**
 * The `ordinal`-th (1-based) DDL statement of `query`, checked against the command tag. Returns
 * an error message instead when it cannot be matched: the caller fails closed.
 */
export function findDdlStatement(query: string, ordinal: number, tag: string): { sql: string } | { error: string } {
  if (ordinal < 1) {
    return { error: 'it ran inside a function, procedure or DO block (ordinal 0), so the statement text is unknown; run DDL as top-level statements' };
  }
  const ddl = splitStatements(query).filter((s) => isDdlStatement(s.words));
  const statement = ddl[ordinal - 1];
  if (!statement) return { error: `the query holds ${ddl.length} DDL statement(s), fewer than the firing's ordinal ${ordinal}` };
  if (!tagMatchesStatement(tag, statement.words)) {
    return { error: `DDL statement #${ordinal} of the query starts with "${statement.words.slice(0, 3).join(' ')}", which does not fit the tag` };
  }
  return { sql: statement.text };
}
