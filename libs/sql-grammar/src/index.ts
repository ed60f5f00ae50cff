export { loadSqlGrammar, splitStatements, SqlGrammarError } from './sql-grammar';
export type { SqlStatement } from './sql-grammar';
