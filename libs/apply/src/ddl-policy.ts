import type { DdlChange } from '@kasho/contracts';
import { SqlStatement, loadSqlGrammar, splitStatements } from '@kasho/sql-grammar';

/**
 * Kasho's DDL policy (docs/ddl-policy.md): which replicated DDL statements run on the target.
 *
 * Nothing a source user writes may run code on the target: function, procedure and trigger bodies,
 * rules, extensions, foreign-data objects and anything built on functions (aggregates, operators,
 * casts...) are skipped, and a query is never executed for the replica (materialized views and
 * CREATE TABLE AS are created WITH NO DATA; REFRESH is skipped). Privileges, ownership and access
 * policies are skipped because the target's roles are not the source's. Temporary objects are never
 * replayed. Everything else (tables, columns, constraints, indexes, sequences, types, enums,
 * domains, views, schemas, comments, statistics) is replayed as PostgreSQL parsed it on the source
 * (CREATE/DROP INDEX without CONCURRENTLY: the apply transaction is a transaction block).
 *
 * Pure: the statement is re-parsed here with PostgreSQL's grammar, and anything that is not exactly
 * one statement is refused. Call `loadDdlPolicy()` once first.
 */
export type DdlRule = 'privileges' | 'temporary' | 'routines' | 'triggers' | 'rules' | 'extensions' | 'foreign-data' | 'replication-settings' | 'refresh';

export type DdlDecision = { action: 'replay'; sql: string } | { action: 'skip'; rule: DdlRule };

export class DdlPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DdlPolicyError';
  }
}

/** Loads PostgreSQL's parser (WASM); idempotent. */
export async function loadDdlPolicy(): Promise<void> {
  await loadSqlGrammar();
}

type Body = Record<string, unknown>;

/** Object types (`OBJECT_*`) whose commands are skipped, with the rule that skips them. */
const OBJECT_RULES: Record<string, DdlRule> = {
  OBJECT_FUNCTION: 'routines',
  OBJECT_PROCEDURE: 'routines',
  OBJECT_ROUTINE: 'routines',
  OBJECT_AGGREGATE: 'routines',
  OBJECT_OPERATOR: 'routines',
  OBJECT_CAST: 'routines',
  OBJECT_TRANSFORM: 'routines',
  OBJECT_LANGUAGE: 'routines',
  OBJECT_OPCLASS: 'routines',
  OBJECT_OPFAMILY: 'routines',
  OBJECT_AMOP: 'routines',
  OBJECT_AMPROC: 'routines',
  OBJECT_ACCESS_METHOD: 'routines',
  OBJECT_CONVERSION: 'routines',
  OBJECT_TSPARSER: 'routines',
  OBJECT_TSTEMPLATE: 'routines',
  OBJECT_TRIGGER: 'triggers',
  OBJECT_EVENT_TRIGGER: 'triggers',
  OBJECT_RULE: 'rules',
  OBJECT_EXTENSION: 'extensions',
  OBJECT_FDW: 'foreign-data',
  OBJECT_FOREIGN_SERVER: 'foreign-data',
  OBJECT_USER_MAPPING: 'foreign-data',
  OBJECT_FOREIGN_TABLE: 'foreign-data',
  OBJECT_PUBLICATION: 'replication-settings',
  OBJECT_PUBLICATION_NAMESPACE: 'replication-settings',
  OBJECT_PUBLICATION_REL: 'replication-settings',
  OBJECT_SUBSCRIPTION: 'replication-settings',
  OBJECT_POLICY: 'privileges',
  OBJECT_DEFACL: 'privileges',
};

/** Statement types skipped whatever they name. */
const NODE_RULES: Record<string, DdlRule> = {
  GrantStmt: 'privileges',
  AlterDefaultPrivilegesStmt: 'privileges',
  AlterOwnerStmt: 'privileges',
  DropOwnedStmt: 'privileges',
  CreatePolicyStmt: 'privileges',
  AlterPolicyStmt: 'privileges',
  SecLabelStmt: 'privileges',
  CreateFunctionStmt: 'routines',
  AlterFunctionStmt: 'routines',
  AlterOperatorStmt: 'routines',
  CreateCastStmt: 'routines',
  CreateTransformStmt: 'routines',
  CreatePLangStmt: 'routines',
  CreateOpClassStmt: 'routines',
  CreateOpFamilyStmt: 'routines',
  AlterOpFamilyStmt: 'routines',
  CreateAmStmt: 'routines',
  CreateConversionStmt: 'routines',
  CreateTrigStmt: 'triggers',
  CreateEventTrigStmt: 'triggers',
  AlterEventTrigStmt: 'triggers',
  RuleStmt: 'rules',
  CreateExtensionStmt: 'extensions',
  AlterExtensionStmt: 'extensions',
  AlterExtensionContentsStmt: 'extensions',
  CreateFdwStmt: 'foreign-data',
  AlterFdwStmt: 'foreign-data',
  CreateForeignServerStmt: 'foreign-data',
  AlterForeignServerStmt: 'foreign-data',
  CreateUserMappingStmt: 'foreign-data',
  AlterUserMappingStmt: 'foreign-data',
  DropUserMappingStmt: 'foreign-data',
  ImportForeignSchemaStmt: 'foreign-data',
  CreateForeignTableStmt: 'foreign-data',
  CreatePublicationStmt: 'replication-settings',
  AlterPublicationStmt: 'replication-settings',
  CreateSubscriptionStmt: 'replication-settings',
  AlterSubscriptionStmt: 'replication-settings',
  DropSubscriptionStmt: 'replication-settings',
  RefreshMatViewStmt: 'refresh',
};

/** The object type field of statements that act on a named object of any type. */
const OBJECT_TYPE_FIELD: Record<string, string> = {
  DropStmt: 'removeType',
  RenameStmt: 'renameType',
  AlterObjectDependsStmt: 'objectType',
  AlterObjectSchemaStmt: 'objectType',
  CommentStmt: 'objtype',
};

/** CREATE AGGREGATE/OPERATOR/TYPE (base type)/TEXT SEARCH PARSER|TEMPLATE name functions; collations and dictionaries do not. */
const DEFINE_REPLAYED = new Set(['OBJECT_COLLATION', 'OBJECT_TSDICTIONARY', 'OBJECT_TSCONFIGURATION']);

/** ALTER TABLE subcommands that the policy skips, by rule. */
const ALTER_TABLE_RULES: Record<string, DdlRule> = {
  AT_EnableTrig: 'triggers',
  AT_EnableAlwaysTrig: 'triggers',
  AT_EnableReplicaTrig: 'triggers',
  AT_EnableTrigAll: 'triggers',
  AT_EnableTrigUser: 'triggers',
  AT_DisableTrig: 'triggers',
  AT_DisableTrigAll: 'triggers',
  AT_DisableTrigUser: 'triggers',
  AT_EnableRule: 'rules',
  AT_EnableAlwaysRule: 'rules',
  AT_EnableReplicaRule: 'rules',
  AT_DisableRule: 'rules',
  AT_ChangeOwner: 'privileges',
  AT_EnableRowSecurity: 'privileges',
  AT_DisableRowSecurity: 'privileges',
  AT_ForceRowSecurity: 'privileges',
  AT_NoForceRowSecurity: 'privileges',
};

/**
 * What to do with a replicated DDL change. Throws DdlPolicyError (the pipeline stops at the change)
 * when the text is not exactly one statement, or when one statement mixes skipped and replayed parts.
 * Messages name statement types, never statement text.
 */
export function decideDdl(change: DdlChange): DdlDecision {
  const statement = parseOne(change.sql);
  const { node, body } = statement;
  if (change.object.startsWith('pg_temp')) return { action: 'skip', rule: 'temporary' };
  const rule = ruleOf(node, body);
  if (rule) return { action: 'skip', rule };
  if (node === 'CreateTableAsStmt') return { action: 'replay', sql: withNoData(change.sql, body) };
  if (node === 'SelectStmt') {
    throw new DdlPolicyError('SELECT … INTO would run its query on the target; Kasho replays CREATE TABLE … AS (created WITH NO DATA) instead');
  }
  if ((node === 'IndexStmt' || node === 'DropStmt') && body.concurrent) return { action: 'replay', sql: withoutConcurrently(statement) };
  return { action: 'replay', sql: change.sql };
}

/**
 * CREATE/DROP INDEX CONCURRENTLY cannot run inside the apply transaction; the target's index is
 * built or dropped in it instead. The rewrite is checked by re-parsing: the same statement but for
 * `concurrent`.
 */
function withoutConcurrently(statement: SqlStatement): string {
  const rewritten = statement.text.replace(/\bCONCURRENTLY\b/i, '');
  const again = parseOne(rewritten);
  if (again.node !== statement.node || again.body.concurrent || shape(again.body) !== shape(statement.body)) {
    throw new DdlPolicyError(`cannot rewrite a ${statement.node} without CONCURRENTLY`);
  }
  return rewritten;
}

/** A parse node without source locations and the `concurrent` flag, for comparing rewrites. */
function shape(body: Body): string {
  return JSON.stringify(body, (key, value: unknown) => (key === 'location' || key === 'concurrent' ? undefined : value));
}

function ruleOf(node: string, body: Body): DdlRule | undefined {
  if (isTemporary(node, body)) return 'temporary';
  const byNode = NODE_RULES[node];
  if (byNode) return byNode;
  const field = OBJECT_TYPE_FIELD[node];
  if (field) return OBJECT_RULES[String(body[field])];
  if (node === 'DefineStmt') return DEFINE_REPLAYED.has(String(body.kind)) ? undefined : 'routines';
  if (node === 'AlterTableStmt') return alterTableRule(body);
  return undefined;
}

/** ALTER TABLE whose subcommands are all skipped by one rule is skipped; a mix of skipped and replayed subcommands is refused. */
function alterTableRule(body: Body): DdlRule | undefined {
  const cmds = (body.cmds as Array<{ AlterTableCmd?: Body }> | undefined) ?? [];
  const rules = cmds.map((c) => ALTER_TABLE_RULES[String(c.AlterTableCmd?.subtype)]);
  const skipped = new Set(rules.filter((r): r is DdlRule => r !== undefined));
  if (skipped.size === 0) return undefined;
  if (skipped.size === 1 && rules.every((r) => r !== undefined)) return [...skipped][0];
  throw new DdlPolicyError(
    `an ALTER TABLE mixes subcommands the DDL policy skips (${[...skipped].join(', ')}) with others; ` +
      'run them as separate ALTER TABLE statements on the source, or apply this one on the target by hand and skip the change',
  );
}

function isTemporary(node: string, body: Body): boolean {
  const relation =
    node === 'CreateStmt'
      ? body.relation
      : node === 'CreateSeqStmt'
        ? body.sequence
        : node === 'ViewStmt'
          ? body.view
          : node === 'CreateTableAsStmt'
            ? (body.into as Body | undefined)?.rel
            : node === 'SelectStmt'
              ? (body.intoClause as Body | undefined)?.rel
              : undefined;
  return (relation as Body | undefined)?.relpersistence === 't';
}

/** CREATE MATERIALIZED VIEW / CREATE TABLE … AS without running its query: `WITH NO DATA`, checked by re-parsing. */
function withNoData(sql: string, body: Body): string {
  if ((body.into as Body | undefined)?.skipData) return sql;
  const rewritten = /\bWITH\s+DATA\s*$/i.test(sql) ? sql.replace(/\bWITH\s+DATA\s*$/i, 'WITH NO DATA') : `${sql}\nWITH NO DATA`;
  const again = parseOne(rewritten);
  if (again.node !== 'CreateTableAsStmt' || !(again.body.into as Body | undefined)?.skipData) {
    throw new DdlPolicyError('cannot rewrite a CREATE … AS statement to WITH NO DATA');
  }
  return rewritten;
}

/** The statement's parse node; refuses anything but exactly one statement. */
function parseOne(sql: string): SqlStatement {
  let statements: SqlStatement[];
  try {
    statements = splitStatements(sql);
  } catch (err) {
    throw new DdlPolicyError(err instanceof Error ? err.message : String(err));
  }
  if (statements.length !== 1) throw new DdlPolicyError(`the DDL text holds ${statements.length} statements; exactly one is replayed`);
  return statements[0];
}
