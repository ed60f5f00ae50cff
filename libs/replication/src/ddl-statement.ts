import { SqlStatement, splitStatements } from '@kasho/sql-grammar';

/**
 * Finds the DDL statement an event-trigger firing belongs to, inside the top-level query string
 * (`current_query()`), which may hold several statements, DML included.
 *
 * The query is split by PostgreSQL's own grammar (@kasho/sql-grammar): a statement is exactly what
 * the server executed as one statement, so text glued to a DDL statement
 * (`CREATE FUNCTION begin() … $$…$$; INSERT …`) is never replayed with it. `loadSqlGrammar()` must
 * have run first.
 */

/** What ProcessUtilitySlow runs: these statements fire ddl_command_end. */
const EVENT_TRIGGER_NODES = new Set([
  'CreateSchemaStmt',
  'CreateStmt',
  'CreateForeignTableStmt',
  'AlterTableStmt',
  'AlterDomainStmt',
  'DefineStmt',
  'IndexStmt',
  'CreateExtensionStmt',
  'AlterExtensionStmt',
  'AlterExtensionContentsStmt',
  'CreateFdwStmt',
  'AlterFdwStmt',
  'CreateForeignServerStmt',
  'AlterForeignServerStmt',
  'CreateUserMappingStmt',
  'AlterUserMappingStmt',
  'DropUserMappingStmt',
  'ImportForeignSchemaStmt',
  'CompositeTypeStmt',
  'CreateEnumStmt',
  'CreateRangeStmt',
  'AlterEnumStmt',
  'ViewStmt',
  'CreateFunctionStmt',
  'AlterFunctionStmt',
  'RuleStmt',
  'CreateSeqStmt',
  'AlterSeqStmt',
  'CreateTableAsStmt',
  'RefreshMatViewStmt',
  'CreateTrigStmt',
  'CreatePLangStmt',
  'CreateDomainStmt',
  'CreateConversionStmt',
  'CreateCastStmt',
  'CreateOpClassStmt',
  'CreateOpFamilyStmt',
  'CreateTransformStmt',
  'AlterOpFamilyStmt',
  'AlterTSDictionaryStmt',
  'AlterTSConfigurationStmt',
  'AlterTableMoveAllStmt',
  'AlterDefaultPrivilegesStmt',
  'CreatePolicyStmt',
  'AlterPolicyStmt',
  'CreateAmStmt',
  'CreatePublicationStmt',
  'AlterPublicationStmt',
  'CreateSubscriptionStmt',
  'AlterSubscriptionStmt',
  'DropSubscriptionStmt',
  'CreateStatsStmt',
  'AlterStatsStmt',
  'AlterCollationStmt',
  'DropOwnedStmt',
  'AlterOperatorStmt',
  'AlterTypeStmt',
]);
/** Statements that fire only when their object type supports event triggers (EventTriggerSupportsObjectType). */
const OBJECT_TYPE_FIELD: Record<string, string> = {
  GrantStmt: 'objtype',
  DropStmt: 'removeType',
  RenameStmt: 'renameType',
  AlterObjectDependsStmt: 'objectType',
  AlterObjectSchemaStmt: 'objectType',
  AlterOwnerStmt: 'objectType',
  CommentStmt: 'objtype',
  SecLabelStmt: 'objtype',
};
/** Shared objects and event triggers themselves: their commands fire no event trigger. */
const GLOBAL_OBJECTS = new Set(['OBJECT_DATABASE', 'OBJECT_ROLE', 'OBJECT_TABLESPACE', 'OBJECT_EVENT_TRIGGER', 'OBJECT_PARAMETER_ACL']);

/**
 * Whether a statement has a `kasho.ddl_log` row: it fires `ddl_command_end` (PostgreSQL's
 * ProcessUtilitySlow, plus GRANT/DROP/RENAME/COMMENT… on objects that are not shared, and
 * SELECT … INTO). REINDEX is not logged.
 */
export function isDdlStatement(statement: SqlStatement): boolean {
  const { node, body } = statement;
  if (node === 'SelectStmt') return body.intoClause !== undefined;
  if (EVENT_TRIGGER_NODES.has(node)) return true;
  const field = OBJECT_TYPE_FIELD[node];
  return field !== undefined && !GLOBAL_OBJECTS.has(String(body[field]));
}

/** The verb a command tag must start with for a statement of this node type. */
function tagVerb(statement: SqlStatement): string {
  const { node, body } = statement;
  switch (node) {
    case 'SelectStmt':
      return 'SELECT INTO';
    case 'CreateTableAsStmt':
      return body.objtype === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : body.is_select_into ? 'SELECT INTO' : 'CREATE TABLE AS';
    case 'CreateStmt':
      return 'CREATE TABLE';
    case 'IndexStmt':
      return 'CREATE INDEX';
    case 'ViewStmt':
      return 'CREATE VIEW';
    case 'GrantStmt':
      return body.is_grant ? 'GRANT' : 'REVOKE';
    case 'CommentStmt':
      return 'COMMENT';
    case 'SecLabelStmt':
      return 'SECURITY LABEL';
    case 'ImportForeignSchemaStmt':
      return 'IMPORT FOREIGN SCHEMA';
    case 'RefreshMatViewStmt':
      return 'REFRESH MATERIALIZED VIEW';
    case 'AlterDefaultPrivilegesStmt':
      return 'ALTER DEFAULT PRIVILEGES';
    case 'DropStmt':
    case 'DropOwnedStmt':
    case 'DropUserMappingStmt':
    case 'DropSubscriptionStmt':
      return 'DROP';
    case 'RenameStmt':
    case 'AlterObjectSchemaStmt':
    case 'AlterOwnerStmt':
    case 'AlterObjectDependsStmt':
    case 'AlterTableMoveAllStmt':
      return 'ALTER';
  }
  if (node.startsWith('Alter')) return 'ALTER';
  return 'CREATE';
}

/** A command tag (`CREATE TABLE AS`) fits a statement if it starts with the statement's verb. */
export function tagMatchesStatement(tag: string, statement: SqlStatement): boolean {
  const normalized = tag.toUpperCase().split(/\s+/).filter(Boolean).join(' ');
  const verb = tagVerb(statement);
  return normalized === verb || normalized.startsWith(`${verb} `);
}

/**
 * The `ordinal`-th (1-based) DDL statement of `query`, checked against the command tag. Returns
 * an error message instead when it cannot be matched: the caller fails closed. The message never
 * holds statement text.
 */
export function findDdlStatement(query: string, ordinal: number, tag: string): { sql: string } | { error: string } {
  if (ordinal < 1) {
    return { error: 'it ran inside a function, procedure or DO block (ordinal 0), so the statement text is unknown; run DDL as top-level statements' };
  }
  let statements: SqlStatement[];
  try {
    statements = splitStatements(query);
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
  const ddl = statements.filter(isDdlStatement);
  const statement = ddl[ordinal - 1];
  if (!statement) return { error: `the query holds ${ddl.length} DDL statement(s), fewer than the firing's ordinal ${ordinal}` };
  if (!tagMatchesStatement(tag, statement)) {
    return { error: `DDL statement #${ordinal} of the query is a ${statement.node}, which does not fit the tag` };
  }
  return { sql: statement.text };
}
