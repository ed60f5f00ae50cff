import { nearestName } from '@kasho/transforms';
import { reachable, type CheckFacts, type ConfiguredTable, type TableFacts, type TransformsFacts } from '../check-facts';
import { blocker, ok, warn, type Finding } from '../finding';
import type { PreflightCheck } from '../preflight-check';
import { selectedTables } from '../table-selection';
import { listNames } from './list-names';

/** `file:line` of a configured line, or the file. */
export function at(file: string, line?: number): string {
  return line ? `${file}:${line}` : file;
}

/**
 * transforms.yml against the source: it loads; every configured table and column exists. A name
 * close to an existing one is a blocker (a typo leaves the real column untransformed); one with no
 * look-alike is a warning (its rule waits for the column). `mode: strict`: every column of every
 * replicated table is listed.
 */
export class TransformsCoverageCheck implements PreflightCheck {
  readonly concern = 'transforms.yml against the source';

  run({ transforms, source, settings }: CheckFacts): Finding[] {
    const findings: Finding[] = [];
    if (settings.transformsSecretLength < 32) {
      findings.push(
        blocker(
          'transforms',
          'TRANSFORMS_SECRET',
          settings.transformsSecretLength
            ? 'is shorter than 32 characters: pg-translicator refuses it'
            : 'is not set: pg-translicator does not start without it',
          'openssl rand -hex 32, the same value for pg-translicator (whoever knows it can test guesses against a fake)',
        ),
      );
    }
    if (!transforms) return findings;
    if ('error' in transforms) {
      return [
        ...findings,
        ...transforms.error.map((issue) => blocker('transforms', settings.transformsFile, issue, 'fix transforms.yml (docs/transforms.md)')),
      ];
    }
    if (!reachable(source)) return findings;
    const byName = new Map(source.tables.map((t) => [`${t.schema}.${t.table}`, t]));
    for (const configured of transforms.tables) findings.push(...this.table(transforms.file, configured, byName));
    if (transforms.strict) findings.push(...this.strict(transforms, selectedTables(source, settings)));
    if (findings.every((f) => f.severity === 'ok')) {
      const columns = transforms.tables.reduce((n, t) => n + t.columns.length, 0);
      findings.push(ok('transforms', transforms.file, `${transforms.tables.length} table(s) and ${columns} column(s) configured, all found on the source`));
    }
    return findings;
  }

  private table(file: string, configured: ConfiguredTable, byName: Map<string, TableFacts>): Finding[] {
    const key = `${configured.schema}.${configured.table}`;
    const table = byName.get(key);
    if (!table) {
      const near = nearestName(key, byName.keys());
      const place = `${at(file, configured.line)} ${key}`;
      if (near) {
        return [
          blocker(
            'transforms',
            place,
            `no such table on the source; did you mean ${near}? It would replicate without these transforms`,
            `rename the entry to ${near}, or remove it`,
          ),
        ];
      }
      return [warn('transforms', place, 'no such table on the source; its rules apply if it is created', 'check the name (schema.table)')];
    }
    const names = table.columns.map((c) => c.name);
    const findings: Finding[] = [];
    for (const column of configured.columns) {
      if (names.includes(column.column)) continue;
      const place = `${at(file, column.line)} ${key}.${column.column}`;
      const near = nearestName(column.column, names);
      if (near) {
        findings.push(
          blocker(
            'transforms',
            place,
            `no such column; did you mean ${near}? ${key}.${near} would replicate untransformed`,
            `rename the entry to ${near}, or remove it`,
          ),
        );
      } else {
        findings.push(
          warn('transforms', place, 'no such column on the source; the rule stays inactive until a change carries it', 'check the name, or remove the entry'),
        );
      }
    }
    return findings;
  }

  private strict(transforms: TransformsFacts, tables: TableFacts[]): Finding[] {
    const listed = new Map(transforms.tables.map((t) => [`${t.schema}.${t.table}`, new Set(t.columns.map((c) => c.column))]));
    const unlisted = tables.flatMap((t) => {
      const columns = listed.get(`${t.schema}.${t.table}`) ?? new Set<string>();
      return t.columns.filter((c) => !columns.has(c.name)).map((c) => `${t.schema}.${t.table}.${c.name}`);
    });
    if (unlisted.length === 0) return [];
    return [
      blocker(
        'transforms',
        `${transforms.file} mode: strict`,
        `columns not listed: ${listNames(unlisted)}; replication stops at the first change that carries one`,
        'list each with a transform, or Keep to replicate it as it is',
      ),
    ];
  }
}
