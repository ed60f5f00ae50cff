import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { ColumnMeta, Datum, RelationRef, RowChange, Tuple, UniqueKeys } from '@kasho/contracts';
import { CatalogColumns, columnMisfits, misfitIssue, ruleLocation } from './column-check';
import { CatalogTable, coverageWarnings, strictRefusal } from './config-coverage';
import { KeyedHasher, KeyedRandom } from './keyed-random';
import { PartitionRules, PartitionTreeOf } from './partition-rules';
import { TablePlan, ColumnStep } from './table-plan';
import { TransformError, TransformOptionError } from './transform.errors';
import type { RowView, TransformContext } from './transform.interface';
import { ColumnRule, KASHO_SCHEMA, TableRules, tableKey, TransformsConfig, TransformsMode } from './transforms-config';
import { TransformConfigError } from './transforms-config.errors';
import { TransformsConfigLoader } from './transforms-config.loader';
import { TRANSFORMS_OPTIONS } from './transforms.module-definition';
import type { TransformsOptions } from './transforms.options';
import { UniqueGuard } from './unique-guard';
import { UniqueSafety, uniqueKeysSignature } from './unique-safety';

const EMPTY_ROW: RowView = { get: () => undefined };

/**
 * Applies transforms.yml to changes. Loads and validates the config when the module initialises
 * (a TransformConfigError lists every problem and stops the boot). NULL stays NULL; columns absent
 * from a tuple (unchanged TOAST) stay absent; `old` goes through the same transforms as `new` so a
 * transformed key still finds its row. Any failure is a TransformError naming table.column.
 * `mode: strict`: a change of a table with a column transforms.yml does not list is refused
 * (TransformError naming schema.table.column); Kasho's own tables are exempt.
 * A partition takes the rules of its nearest listed ancestor once its partition tree is told
 * (usePartitionTree; see PartitionRules); a table whose tree was never told is matched by its own name.
 */
@Injectable()
export class TransformEngine implements OnModuleInit {
  private readonly logger = new Logger('Transforms');
  private config?: TransformsConfig;
  private hasher!: KeyedHasher;
  private readonly plans = new Map<string, TablePlan>();
  /** Each table's unique indexes and foreign keys as last told (useUniqueKeys), with their signature. */
  private readonly uniqueKeys = new Map<string, { keys: UniqueKeys; signature: string }>();
  /** Per configured column (rule objects live as long as the loaded config). */
  private readonly uniqueGuards = new Map<ColumnRule, UniqueGuard>();
  private timing?: TimingSampler;
  private partitions?: PartitionRules;

  constructor(
    @Inject(TRANSFORMS_OPTIONS) private readonly options: TransformsOptions,
    private readonly loader: TransformsConfigLoader,
  ) {}

  onModuleInit(): void {
    this.config = this.loader.load(this.options.file);
    this.hasher = new KeyedHasher(this.options.secret);
    const columns = [...this.config.tables.values()].reduce((n, t) => n + t.columns.length, 0);
    const kept = [...this.config.tables.values()].reduce((n, t) => n + t.kept.length, 0);
    this.logger.log(
      `Loaded ${this.options.file} (mode: ${this.config.mode}): ${this.config.tables.size} table(s), ${columns} transformed column(s), ${kept} kept`,
    );
    if (!this.hasher.keyed) {
      this.logger.warn(
        '\n' +
          '**********************************************************************\n' +
          '* TRANSFORMS_SECRET is not set: transforms use a PUBLIC built-in key. *\n' +
          '* Anyone with the replica can reverse fakes by hashing guessed inputs *\n' +
          '* (emails, names...). Set TRANSFORMS_SECRET to a long random secret. *\n' +
          '**********************************************************************',
      );
    }
  }

  /**
   * Times one transform call in about every `every` (wall time until its value is ready) and reports it
   * with the transform's type name. Sampling keeps the cost off the hot path; the samples are an
   * unbiased picture of per-value duration.
   */
  sampleTimings(every: number, observe: (transform: string, seconds: number) => void): void {
    this.timing = { every: Math.max(1, Math.floor(every)), countdown: 1, observe };
  }

  /** Whether the engine uses a configured secret (false: the public built-in key). */
  get keyed(): boolean {
    return this.hasher.keyed;
  }

  /** transforms.yml's mode. */
  get mode(): TransformsMode {
    return this.loaded().mode;
  }

  /**
   * Tells where `schema.table` sits in its partition tree as a catalog has it now (undefined: the
   * catalog has no such table, so rules cannot be resolved for it and its rows are refused).
   */
  usePartitionTree(schema: string, table: string, tree: PartitionTreeOf | undefined): void {
    this.partitionRules().use(schema, table, tree);
  }

  /** Forgets every partition tree told (after DDL, which may create, attach or detach partitions). */
  forgetPartitionTrees(): void {
    this.partitionRules().forget();
  }

  /** Whether the partition tree of `schema.table` was told since the last forgetPartitionTrees(). */
  knowsPartitionTree(schema: string, table: string): boolean {
    return this.partitionRules().knows(schema, table);
  }

  /**
   * The table whose rules apply to rows of `schema.table`: itself, or the nearest ancestor listed in
   * transforms.yml. Throws TransformError when they cannot be resolved (docs/transforms.md, Partitioned tables).
   */
  rulesTableOf(schema: string, table: string): RelationRef {
    const rules = this.rulesOf(schema, table);
    return rules ? { schema: rules.schema, table: rules.table } : { schema, table };
  }

  /** true if any column of this table has a transform (`Keep` columns are not transformed). */
  hasRules(schema: string, table: string): boolean {
    return (this.rulesOf(schema, table)?.columns.length ?? 0) > 0;
  }

  /** Whether transforms.yml lists any table (with a transform or Keep). */
  hasAnyListed(): boolean {
    return this.loaded().tables.size > 0;
  }

  /** Whether transforms.yml transforms any column. */
  hasAnyRules(): boolean {
    return [...this.loaded().tables.values()].some((t) => t.columns.length > 0);
  }

  /**
   * Strict mode's check of whole tables (the snapshot's, before any row is copied): throws a
   * TransformError naming the first unlisted schema.table.column. Nothing in permissive mode.
   */
  assertListed(tables: readonly CatalogTable[]): void {
    const refusal = strictRefusal(this.loaded(), tables, (schema, table) => this.rulesOf(schema, table));
    if (refusal) throw refusal;
  }

  /** Warnings: configured tables and columns `catalog` does not have (and, strict, what it has unlisted). */
  coverage(catalog: readonly CatalogTable[], where: string): string[] {
    return coverageWarnings(this.loaded(), catalog, where, (schema, table) => this.rulesOrUndefined(schema, table));
  }

  /**
   * Rules that cannot write their column as `catalog` (the target's) describes it: SetNull on a NOT
   * NULL column, a Constant that is not of the column's type... Throws one TransformConfigError naming
   * the file, line and schema.table.column of each; nothing when every rule fits.
   */
  assertColumnsFit(catalog: readonly CatalogColumns[]): void {
    const config = this.loaded();
    const misfits = columnMisfits(config, catalog);
    if (misfits.length) throw new TransformConfigError(misfits.map((m) => misfitIssue(config.file, m)));
  }

  /**
   * The same check where a change (a snapshot) is refused rather than the start: a TransformError naming
   * schema.table.column of the first misfit, with its file and line; undefined when every rule fits.
   */
  columnMisfit(catalog: readonly CatalogColumns[]): TransformError | undefined {
    const config = this.loaded();
    const [first, ...others] = columnMisfits(config, catalog);
    if (!first) return undefined;
    const { rule, reason } = first;
    const more = others.length ? `; ${others.length} other rule(s) do not fit either` : '';
    return new TransformError(rule.schema, rule.table, rule.column, `${reason} (${ruleLocation(config.file, rule)})${more}`);
  }

  /** Names of the configured columns of this table (empty if none). */
  configuredColumns(schema: string, table: string): string[] {
    return this.rulesOf(schema, table)?.columns.map((c) => c.column) ?? [];
  }

  /** The columns this table's transforms read: the configured ones and those row transforms reference. */
  inputColumns(schema: string, table: string): string[] {
    const rules = this.rulesOf(schema, table)?.columns ?? [];
    return [...new Set(rules.flatMap((c) => [c.column, ...c.references]))];
  }

  /**
   * Tells the engine a table's unique indexes and foreign keys (from the source catalog in the
   * snapshot, the target's in the stream): a transformed column under a unique index, or referencing
   * a unique-safe column, gets unique-safe output unless transforms.yml says `unique: false`
   * (docs/transforms.md). The table's plan is rebuilt (and the unique-safe columns logged) when they
   * differ from what it was told before. Returns whether they differed.
   */
  useUniqueKeys(schema: string, table: string, keys: UniqueKeys): boolean {
    const key = tableKey(schema, table);
    const signature = uniqueKeysSignature(keys);
    if (this.uniqueKeys.get(key)?.signature === signature) return false;
    this.uniqueKeys.set(key, { keys, signature });
    this.plans.delete(key);
    return true;
  }

  /**
   * Which transformed columns of a table `keys` (its unique indexes and foreign keys) would make
   * unique-safe, and the warnings, without changing what the engine uses or logging (for preflight
   * checks). Undefined for a table without rules. Throws a TransformError as a plan would.
   */
  uniqueSafetyOf(schema: string, table: string, columns: readonly ColumnMeta[], keys: UniqueKeys): UniqueSafety | undefined {
    const config = this.loaded();
    const rules = config.tables.get(tableKey(schema, table));
    if (!rules) return undefined;
    return new TablePlan(rules, columns, TablePlan.signatureOf(columns), config.file, keys, (s, t, c) => this.ruleOf(s, t, c)).uniqueSafety;
  }

  /**
   * Builds (and logs, once) the plan of a table with these columns now rather than at its first row:
   * where rows are transformed on other threads, this thread still says which columns are unique-safe.
   */
  planTable(schema: string, table: string, columns: readonly ColumnMeta[]): void {
    this.planFor(schema, table, columns);
  }

  async transformRow(change: RowChange): Promise<RowChange> {
    const plan = this.planFor(change.schema, change.table, change.columns);
    if (!plan || plan.steps.length === 0) return change;
    const out: RowChange = { ...change };
    if (change.new) out.new = await this.apply(plan, change.new);
    if (change.old) out.old = await this.apply(plan, change.old);
    return out;
  }

  /** Same for a bare tuple (snapshot path). */
  async transformTuple(schema: string, table: string, columns: ColumnMeta[], tuple: Tuple): Promise<Tuple> {
    return this.transformTupleEager(schema, table, columns, tuple);
  }

  /**
   * transformTuple without a Promise when every transform of the row is synchronous (password hashes
   * are not): bulk callers (snapshot COPY rows) then pay no microtask per row. Throws TransformError.
   */
  transformTupleEager(schema: string, table: string, columns: ColumnMeta[], tuple: Tuple): Tuple | Promise<Tuple> {
    const plan = this.planFor(schema, table, columns);
    return plan && plan.steps.length > 0 ? this.apply(plan, tuple) : tuple;
  }

  /** The rule of a column of any configured table (a referenced one). */
  private ruleOf(schema: string, table: string, column: string): ColumnRule | undefined {
    return this.loaded()
      .tables.get(tableKey(schema, table))
      ?.columns.find((r) => r.column === column);
  }

  private loaded(): TransformsConfig {
    if (!this.config) throw new Error('TransformEngine used before its module was initialised');
    return this.config;
  }

  /** The rules for rows of `schema.table` (its own, or its nearest listed ancestor's); throws TransformError when unresolvable. */
  private rulesOf(schema: string, table: string): TableRules | undefined {
    return this.partitionRules().rulesOf(schema, table);
  }

  /** rulesOf for warnings: a table whose rules cannot be resolved counts as without rules (its rows are refused elsewhere). */
  private rulesOrUndefined(schema: string, table: string): TableRules | undefined {
    try {
      return this.rulesOf(schema, table);
    } catch {
      return undefined;
    }
  }

  private partitionRules(): PartitionRules {
    const config = this.loaded();
    if (this.partitions?.config !== config) this.partitions = new PartitionRules(config);
    return this.partitions;
  }

  private planFor(schema: string, table: string, columns: readonly ColumnMeta[]): TablePlan | undefined {
    const key = tableKey(schema, table);
    const config = this.loaded();
    const rules = this.rulesOf(schema, table);
    if (!rules) {
      if (config.mode === 'strict' && schema !== KASHO_SCHEMA) this.assertListed([{ schema, table, columns: columns.map((c) => c.name) }]);
      return undefined;
    }
    const cached = this.plans.get(key);
    // A plan is for one table's rules: a partition attached under another listed ancestor gets a new one.
    if (cached && cached.rules === rules && cached.columns === columns) return cached;
    const signature = TablePlan.signatureOf(columns);
    if (cached && cached.rules === rules && cached.signature === signature) return cached;
    // Checked once per shape of the table: a column added by DDL arrives with a new signature.
    this.assertListed([{ schema, table, columns: columns.map((c) => c.name) }]);
    const plan = new TablePlan(rules, columns, signature, config.file, this.uniqueKeys.get(key)?.keys, (s, t, c) => this.ruleOf(s, t, c));
    for (const line of plan.describeInactive()) this.logger.warn(line);
    if (plan.uniqueSafety.summary) this.logger.log(plan.uniqueSafety.summary);
    for (const line of plan.uniqueSafety.warnings) this.logger.warn(line);
    this.plans.set(key, plan);
    return plan;
  }

  /** Synchronous until a transform returns a Promise (passwords); then continues asynchronously. */
  private apply(plan: TablePlan, tuple: Tuple): Tuple | Promise<Tuple> {
    const out: Tuple = { ...tuple };
    const row: RowView = { get: (c) => out[c] };
    const steps = plan.steps;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i];
      const column = step.rule.column;
      if (!(column in tuple)) continue;
      const value = tuple[column];
      if (value === null) continue;
      const ctx = new ValueContext(step, value, step.rule.phase === 'row' ? row : EMPTY_ROW, this.hasher);
      let result: string | null | Promise<string | null>;
      try {
        result = this.call(step, value, ctx);
      } catch (e) {
        throw this.error(step, e);
      }
      if (result !== null && typeof result !== 'string') return this.continueAsync(plan, tuple, out, row, i, ctx, result);
      out[column] = this.finish(step, ctx, result);
    }
    return out;
  }

  private async continueAsync(
    plan: TablePlan,
    tuple: Tuple,
    out: Tuple,
    row: RowView,
    index: number,
    pendingCtx: ValueContext,
    pending: Promise<string | null> | unknown,
  ): Promise<Tuple> {
    const steps = plan.steps;
    for (let i = index; i < steps.length; i++) {
      const step = steps[i];
      const column = step.rule.column;
      let ctx = pendingCtx;
      let result: unknown;
      try {
        if (i === index) {
          result = await pending;
        } else {
          if (!(column in tuple)) continue;
          const value = tuple[column];
          if (value === null) continue;
          ctx = new ValueContext(step, value, step.rule.phase === 'row' ? row : EMPTY_ROW, this.hasher);
          result = await this.call(step, value, ctx);
        }
      } catch (e) {
        throw this.error(step, e);
      }
      out[column] = this.finish(step, ctx, result);
    }
    return out;
  }

  private call(step: ColumnStep, value: string, ctx: ValueContext): string | null | Promise<string | null> {
    const timing = this.timing;
    if (timing === undefined || --timing.countdown > 0) return step.rule.transform.apply(value, ctx);
    // A random gap averaging `every`: a fixed one would alias with the column count and time one column only.
    timing.countdown = 1 + Math.floor(Math.random() * (2 * timing.every - 1));
    const started = performance.now();
    const result = step.rule.transform.apply(value, ctx);
    const report = () => timing.observe(step.rule.typeName, (performance.now() - started) / 1_000);
    if (result === null || typeof result === 'string') report();
    else if (typeof result.then === 'function') result.then(report, () => undefined);
    return result;
  }

  private finish(step: ColumnStep, ctx: ValueContext, result: unknown): Datum {
    const { rule } = step;
    if (result === null) return null;
    if (typeof result !== 'string') {
      throw new TransformError(rule.schema, rule.table, rule.column, `${rule.typeName} returned ${typeof result}, not a string or null`);
    }
    let output = result;
    if (step.unique) {
      output = withSuffix(output, ctx.random.suffix());
      let guard = this.uniqueGuards.get(rule);
      if (!guard) this.uniqueGuards.set(rule, (guard = new UniqueGuard()));
      const [first, second] = ctx.random.suffixWords();
      if (!guard.admit(first, second, ctx.random.tag())) {
        throw new TransformError(
          rule.schema,
          rule.table,
          rule.column,
          `unique: two different source values got the same ${rule.typeName} uniqueness suffix (a 60-bit keyed-suffix collision); ` +
            'the column cannot be kept unique with this transform',
        );
      }
    }
    const problem = step.fit(output);
    if (problem) throw new TransformError(rule.schema, rule.table, rule.column, `${rule.typeName}: ${problem}`);
    return output;
  }

  private error(step: ColumnStep, e: unknown): TransformError {
    if (e instanceof TransformError) return e;
    const { rule } = step;
    const message = e instanceof TransformOptionError || e instanceof Error ? e.message : String(e);
    return new TransformError(rule.schema, rule.table, rule.column, `${rule.typeName} failed: ${message}`);
  }
}

interface TimingSampler {
  every: number;
  countdown: number;
  observe: (transform: string, seconds: number) => void;
}

/** Per-value context; the HMAC is computed only if the transform draws randomness. */
class ValueContext implements TransformContext<unknown> {
  private keyed?: KeyedRandom;

  constructor(
    private readonly step: ColumnStep,
    private readonly value: string,
    readonly row: RowView,
    private readonly hasher: KeyedHasher,
  ) {}

  get options(): unknown {
    return this.step.rule.prepared;
  }
  get random(): KeyedRandom {
    return (this.keyed ??= this.hasher.random(this.step.rule.typeName, this.value));
  }
  get column(): ColumnMeta {
    return this.step.meta;
  }
  get schema(): string {
    return this.step.rule.schema;
  }
  get table(): string {
    return this.step.rule.table;
  }
}

/** `local@domain` → `local-<suffix>@domain`; anything else → `value-<suffix>`. */
export function withSuffix(value: string, suffix: string): string {
  const at = value.lastIndexOf('@');
  return at > 0 ? `${value.slice(0, at)}-${suffix}${value.slice(at)}` : `${value}-${suffix}`;
}
