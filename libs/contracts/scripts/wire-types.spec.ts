import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, 'wire-types.js');
const COMMITTED = join(__dirname, '..', 'src', 'wire', 'generated');

/** `npm run check:wire` against `dir`: its exit status and what it printed. */
function checkWire(dir: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [SCRIPT, 'check', '--dir', dir], { encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe('check:wire', () => {
  let copy: string;
  beforeEach(() => {
    copy = join(mkdtempSync(join(tmpdir(), 'kasho-wire-spec-')), 'generated');
    cpSync(COMMITTED, copy, { recursive: true });
  });
  afterEach(() => rmSync(join(copy, '..'), { recursive: true, force: true }));

  it('passes on the committed generated types', () => {
    expect(checkWire(copy)).toEqual({ status: 0, output: expect.stringContaining('match libs/contracts/src/proto/kasho.proto') });
  });

  it('fails, naming the file, when a generated file was edited by hand', () => {
    appendFileSync(join(copy, 'kasho', 'v1', 'Change.ts'), "export type Extra = 'hand-written';\n");
    const { status, output } = checkWire(copy);
    expect(status).toBe(1);
    expect(output).toContain('are stale');
    expect(output).toContain(`differs: ${join('kasho', 'v1', 'Change.ts')}`);
    expect(output).toContain('npm run gen:wire');
  });

  it('fails when a generated file is missing or one is not generated from the .proto', () => {
    rmSync(join(copy, 'kasho', 'v1', 'Datum.ts'));
    writeFileSync(join(copy, 'kasho', 'v1', 'Stale.ts'), 'export interface Stale {}\n');
    const { status, output } = checkWire(copy);
    expect(status).toBe(1);
    expect(output).toContain(`missing: ${join('kasho', 'v1', 'Datum.ts')}`);
    expect(output).toContain(`not generated from the .proto: ${join('kasho', 'v1', 'Stale.ts')}`);
  });
});
