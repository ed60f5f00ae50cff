import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The checkout the demo runs from: the nearest folder up from here with the two entry files. */
export function findRepoRoot(start: string = __dirname): string {
  let dir = start;
  for (let i = 0; i < 12; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'pg-change-stream')) && existsSync(join(dir, 'pg-translicator'))) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`cannot find the Kasho checkout (package.json + ./pg-change-stream) above ${start}`);
}

export interface DemoPaths {
  root: string;
  sqlDir: string;
  transformsFile: string;
  /** The built services the entry files require. */
  builds: Record<'pg-change-stream' | 'pg-translicator', string>;
}

export function demoPaths(root: string = findRepoRoot()): DemoPaths {
  return {
    root,
    sqlDir: join(root, 'environments', 'demo', 'sql'),
    transformsFile: join(root, 'environments', 'demo', 'config', 'transforms.yml'),
    builds: {
      'pg-change-stream': join(root, 'dist', 'apps', 'change-stream', 'apps', 'change-stream', 'src', 'main.js'),
      'pg-translicator': join(root, 'dist', 'apps', 'translicator', 'apps', 'translicator', 'src', 'main.js'),
    },
  };
}
