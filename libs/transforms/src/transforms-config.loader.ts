import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { load as loadYaml, YAMLException } from 'js-yaml';
import { didYouMean } from './nearest-name';
import { TransformOptionError } from './transform.errors';
import { resolveOptions } from './transform-options';
import { TransformRegistry } from './transform.registry';
import { KEEP_TYPE } from './builtin/keep.transform';
import type { ColumnRule, TableRules, TransformsConfig, TransformsMode } from './transforms-config';
import { tableKey, TRANSFORMS_MODES } from './transforms-config';
import { ConfigIssue, TransformConfigError } from './transforms-config.errors';

const TOP_LEVEL_KEYS = ['version', 'mode', 'tables'];

/** A listed column: a rule to run, or `Keep` (replicated as it is). */
type ListedColumn = { rule: ColumnRule } | { kept: string; line?: number };

/**
 * Reads transforms.yml (`version: v1`, `mode: strict | permissive` (default permissive),
 * `tables: {schema.table: {column: Type | {type: Type, ...}}}`, `Keep` for a column replicated as it is),
 * resolves every type against the registry, validates and prepares every option, orders row
 * transforms by their references. Throws one TransformConfigError listing every problem.
 */
@Injectable()
export class TransformsConfigLoader {
  constructor(private readonly registry: TransformRegistry) {}

  load(file: string): TransformsConfig {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new TransformConfigError([{ file, message: `cannot read the file: ${(e as Error).message}` }]);
    }
    return this.parse(text, file);
  }

  parse(text: string, file: string): TransformsConfig {
    this.registry.names(); // discovery errors (duplicate names) first, even for an empty config
    const issues: ConfigIssue[] = [];
    let doc: unknown;
    try {
      doc = loadYaml(text, { filename: file });
    } catch (e) {
      if (e instanceof YAMLException) {
        const line = e.mark ? e.mark.line + 1 : undefined;
        throw new TransformConfigError([{ file, line, message: `invalid YAML: ${e.reason}` }]);
      }
      throw e;
    }
    const lines = new LineFinder(text);
    const tables = new Map<string, TableRules>();
    if (!isMapping(doc)) {
      throw new TransformConfigError([{ file, message: 'the file must be a mapping with `version: v1` and `tables:`' }]);
    }
    for (const key of Object.keys(doc)) {
      if (!TOP_LEVEL_KEYS.includes(key)) {
        issues.push({ file, line: lines.key(key), message: `unknown top-level key '${key}'${didYouMean(key, TOP_LEVEL_KEYS)}` });
      }
    }
    if (doc.version === undefined) {
      issues.push({ file, path: 'version', message: 'missing; add `version: v1`' });
    } else if (doc.version !== 'v1') {
      issues.push({ file, line: lines.key('version'), path: 'version', message: `unsupported version '${String(doc.version)}' (supported: v1)` });
    }
    let mode: TransformsMode = 'permissive';
    if (doc.mode !== undefined) {
      if (TRANSFORMS_MODES.includes(doc.mode as TransformsMode)) mode = doc.mode as TransformsMode;
      else {
        issues.push({
          file,
          line: lines.key('mode'),
          path: 'mode',
          message: `must be strict or permissive, got ${JSON.stringify(doc.mode)}${typeof doc.mode === 'string' ? didYouMean(doc.mode, TRANSFORMS_MODES) : ''}`,
        });
      }
    }
    if (doc.tables !== undefined && doc.tables !== null && !isMapping(doc.tables)) {
      issues.push({ file, line: lines.key('tables'), path: 'tables', message: 'must be a mapping of schema.table to columns' });
    } else if (isMapping(doc.tables)) {
      for (const [qualified, columns] of Object.entries(doc.tables)) {
        const rules = this.table(qualified, columns, mode, file, lines, issues);
        if (rules) tables.set(tableKey(rules.schema, rules.table), rules);
      }
    }
    if (issues.length) throw new TransformConfigError(issues);
    return { file, mode, tables };
  }

  private table(qualified: string, columns: unknown, mode: TransformsMode, file: string, lines: LineFinder, issues: ConfigIssue[]): TableRules | undefined {
    const tableLine = lines.key(qualified);
    const dot = qualified.indexOf('.');
    const schema = dot > 0 ? qualified.slice(0, dot) : 'public';
    const table = dot > 0 ? qualified.slice(dot + 1) : qualified;
    const path = `${schema}.${table}`;
    if (!table) {
      issues.push({ file, line: tableLine, path: qualified, message: 'a table key is `schema.table`' });
      return undefined;
    }
    if (!isMapping(columns)) {
      issues.push({ file, line: tableLine, path, message: 'must be a mapping of column to transform' });
      return undefined;
    }
    const rules: ColumnRule[] = [];
    const kept: string[] = [];
    const columnLines = new Map<string, number | undefined>();
    for (const [column, entry] of Object.entries(columns)) {
      const line = lines.key(column, tableLine);
      columnLines.set(column, line);
      const listed = this.column(schema, table, column, entry, mode, line, (message) => issues.push({ file, line, path: `${path}.${column}`, message }));
      if (listed && 'rule' in listed) rules.push(listed.rule);
      else if (listed) kept.push(listed.kept);
    }
    const ordered = orderRowTransforms(rules, (column, message) =>
      issues.push({ file, line: rules.find((r) => r.column === column)?.line, path: `${path}.${column}`, message }),
    );
    return { schema, table, columns: ordered, kept, lines: columnLines, line: tableLine };
  }

  private column(
    schema: string,
    table: string,
    column: string,
    entry: unknown,
    mode: TransformsMode,
    line: number | undefined,
    problem: (message: string) => void,
  ): ListedColumn | undefined {
    let typeName: unknown;
    let raw: Record<string, unknown>;
    if (typeof entry === 'string') {
      typeName = entry;
      raw = {};
    } else if (isMapping(entry)) {
      typeName = entry.type;
      raw = entry;
    } else {
      problem('must be a transform type name or a mapping with `type:`');
      return undefined;
    }
    if (typeof typeName !== 'string' || !typeName) {
      problem('`type` is required and must be a string');
      return undefined;
    }
    const registered = this.registry.get(typeName);
    if (!registered) {
      problem(`unknown transform type '${typeName}'${didYouMean(typeName, this.registry.names())}`);
      return undefined;
    }
    const transform = registered.transform;
    if (typeName === KEEP_TYPE) {
      const extra = Object.keys(raw).filter((k) => k !== 'type');
      if (extra.length) {
        problem(`Keep takes no options (got ${extra.join(', ')}): it replicates the column as it is`);
        return undefined;
      }
      return { kept: column, line };
    }
    const { options, problems } = resolveOptions(transform.options ?? {}, raw);
    const unique = raw.unique;
    if (unique !== undefined && typeof unique !== 'boolean') problems.push(`option 'unique' must be true or false`);
    if (unique === true && !transform.supportsUnique) {
      problems.push(`${typeName} does not support 'unique: true' (its output has a fixed format)`);
    }
    problems.forEach(problem);
    if (problems.length) return undefined;
    let prepared: unknown = options;
    try {
      if (transform.prepare) prepared = transform.prepare(options, { mode });
    } catch (e) {
      if (!(e instanceof TransformOptionError)) throw e;
      problem(e.message);
      return undefined;
    }
    const phase = transform.phase ?? 'value';
    const rule: ColumnRule = {
      schema,
      table,
      column,
      typeName,
      transform,
      prepared,
      unique: typeof unique === 'boolean' ? unique : undefined,
      phase,
      references: transform.references ? transform.references(prepared) : [],
      line,
    };
    return { rule };
  }
}

/**
 * Value transforms first (they see only their own value), then row transforms so that each one runs
 * after the row transforms it reads. A row transform reading its own column, or a cycle, is an
 * error: it would read the raw value.
 */
function orderRowTransforms(rules: ColumnRule[], problem: (column: string, message: string) => void): ColumnRule[] {
  const ordered = rules.filter((r) => r.phase === 'value');
  const rowRules = new Map(rules.filter((r) => r.phase === 'row').map((r) => [r.column, r]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (rule: ColumnRule, chain: string[]): void => {
    if (state.get(rule.column) === 'done') return;
    state.set(rule.column, 'visiting');
    for (const ref of rule.references) {
      if (ref === rule.column) {
        problem(rule.column, `${rule.typeName} reads its own column '${ref}', which would copy the source value`);
        continue;
      }
      const dep = rowRules.get(ref);
      if (!dep) continue;
      if (state.get(ref) === 'visiting') {
        problem(rule.column, `row transforms reference each other in a cycle: ${[...chain, ref].join(' -> ')}`);
        continue;
      }
      visit(dep, [...chain, ref]);
    }
    state.set(rule.column, 'done');
    ordered.push(rule);
  };
  for (const rule of rowRules.values()) visit(rule, [rule.column]);
  return ordered;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Best-effort 1-based line of a mapping key, for messages (`key:` at the start of a line, after `from`). */
class LineFinder {
  private readonly lines: string[];
  constructor(text: string) {
    this.lines = text.split(/\r?\n/);
  }
  key(key: string, after = 0): number | undefined {
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`^\\s*(["']?)${escaped}\\1\\s*:`);
    for (let i = after; i < this.lines.length; i++) if (re.test(this.lines[i])) return i + 1;
    return undefined;
  }
}
