import { SqlStatement, splitStatements } from '@kasho/sql-grammar';
import { DdlPolicyError, DdlRule, decideDdl } from './ddl-policy';

/** A statement of a schema dump the DDL policy skipped: its rule and parse node type (never its text). */
export interface SkippedDumpStatement {
  rule: DdlRule;
  node: string;
}

/**
 * pg_dump's schema SQL (the initial snapshot's pre- and post-data) under the same DDL policy as
 * streamed DDL: each statement, as PostgreSQL's grammar splits it, is replayed, rewritten or
 * skipped by decideDdl; pg_dump's session settings (`SET …`, `SELECT pg_catalog.set_config(…)`)
 * are kept. Anything else (a query) is refused. The kept statements are joined again, each one
 * terminated on its own line, so a trailing comment cannot swallow the separator.
 */
export function applyPolicyToDumpSql(sql: string): { sql: string; skipped: SkippedDumpStatement[] } {
  let statements: SqlStatement[];
  try {
    statements = splitStatements(sql);
  } catch (err) {
    throw new DdlPolicyError(`the snapshot schema SQL: ${err instanceof Error ? err.message : String(err)}`);
  }
  const kept: string[] = [];
  const skipped: SkippedDumpStatement[] = [];
  for (const statement of statements) {
    if (statement.node === 'VariableSetStmt' || isSetConfig(statement)) {
      kept.push(statement.text);
      continue;
    }
    if (statement.node === 'SelectStmt' && statement.body.intoClause === undefined) {
      throw new DdlPolicyError('the snapshot schema SQL holds a query; only DDL and session settings are applied');
    }
    const decision = decideDdl({ kind: 'ddl', sql: statement.text, searchPath: '', tag: '', object: '' });
    if (decision.action === 'replay') kept.push(decision.sql);
    else skipped.push({ rule: decision.rule, node: statement.node });
  }
  return { sql: kept.map((text) => `${text}\n;\n`).join(''), skipped };
}

/** `SELECT pg_catalog.set_config(…)` alone, as pg_dump writes it. */
function isSetConfig(statement: SqlStatement): boolean {
  if (statement.node !== 'SelectStmt') return false;
  const body = statement.body as {
    targetList?: Array<{ ResTarget?: { val?: { FuncCall?: { funcname?: Array<{ String?: { sval?: string } }> } } } }>;
    fromClause?: unknown;
  };
  if (body.fromClause !== undefined || body.targetList?.length !== 1) return false;
  const name = body.targetList[0].ResTarget?.val?.FuncCall?.funcname?.map((n) => n.String?.sval);
  return name?.length === 2 && name[0] === 'pg_catalog' && name[1] === 'set_config';
}
