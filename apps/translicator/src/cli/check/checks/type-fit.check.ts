import { reachable, type CheckFacts } from '../check-facts';
import { blocker, ok, warn, type Finding } from '../finding';
import type { PreflightCheck } from '../preflight-check';
import { at } from './transforms-coverage.check';

/** Problems of a kind every output has (a name is never an integer), as opposed to some outputs (length, range). */
const ALWAYS = /is not (an integer|a decimal number|a number|a date|a timestamp|a boolean)/;

/**
 * Each configured transform's output against its column's type on the source (column-fit.ts): the
 * transform is run on a sample input of that type, never on a row. An output that can never fit
 * (FakeName on an integer) is a blocker: the first change of the column would stop the pipeline.
 */
export class TypeFitCheck implements PreflightCheck {
  readonly concern = 'transform outputs against column types';

  async run({ transforms, source }: CheckFacts): Promise<Finding[]> {
    if (!transforms || 'error' in transforms || !reachable(source)) return [];
    const findings: Finding[] = [];
    let checked = 0;
    for (const configured of transforms.tables) {
      const table = source.tables.find((t) => t.schema === configured.schema && t.table === configured.table);
      if (!table) continue;
      for (const column of configured.columns) {
        const meta = table.columns.find((c) => c.name === column.column);
        if (!meta || column.transform === 'Keep') continue;
        checked++;
        const problem = await transforms.fit(table.schema, table.table, column.column);
        if (!problem) continue;
        const place = `${at(transforms.file, column.line)} ${table.schema}.${table.table}.${column.column}`;
        const action = `use a transform whose output fits ${meta.type} (docs/transforms.md), or change the column's type`;
        if (ALWAYS.test(problem)) findings.push(blocker('transforms', place, `${problem}: the first change of this column would stop the pipeline`, action));
        else findings.push(warn('transforms', place, `${problem} (for a sample input; some values may fit)`, action));
      }
    }
    if (findings.length === 0 && checked > 0)
      findings.push(ok('transforms', transforms.file, `the outputs of ${checked} transformed column(s) fit their column types`));
    return findings;
  }
}
