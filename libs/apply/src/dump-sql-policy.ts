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
 * are kept, except a `SET` of a parameter the target server does not have (when `targetSettings`, its
 * `pg_settings` names, is given): pg_dump 17 writes `SET transaction_timeout = 0` whatever the
 * source, and a target before 17 refuses the unknown name, though the setting could only switch off
 * what that server has not got. Those are returned in `droppedSettings`. Anything else (a query) is
 * refused. The kept statements are joined again, each one terminated on its own line, so a trailing
 * comment cannot swallow the separator.
 */
export function applyPolicyToDumpSql(
  sql: string,
  targetSettings?: ReadonlySet<string>,
): { sql: string; skipped: SkippedDumpStatement[]; droppedSettings: string[] } {
  let statements: SqlStatement[];
  try {
    statements = splitStatements(sql);
  } catch (err) {
    throw new DdlPolicyError(`the snapshot schema SQL: ${err instanceof Error ? err.message : String(err)}`);
  }
  const kept: string[] = [];
  const skipped: SkippedDumpStatement[] = [];
  const droppedSettings: string[] = [];
  for (const statement of statements) {
    const unknown = targetSettings && unknownSetting(statement, targetSettings);
    if (unknown) {
      droppedSettings.push(unknown);
      continue;
    }
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
  return { sql: kept.map((text) => `${text}\n;\n`).join(''), skipped, droppedSettings };
}

/**
 * The parameter of a `SET name = …` the target does not have, or undefined. A name with a dot is a
 * custom (extension) parameter, which any server accepts, so it is kept.
 */
function unknownSetting(statement: SqlStatement, targetSettings: ReadonlySet<string>): string | undefined {
  if (statement.node !== 'VariableSetStmt') return undefined;
  const { kind, name } = statement.body as { kind?: string; name?: string };
  if (kind !== 'VAR_SET_VALUE' || !name || name.includes('.')) return undefined;
  return targetSettings.has(name.toLowerCase()) ? undefined : name;
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
