import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { DemoPaths } from './demo-paths';

/**
 * `npm run demo` builds only the demo; the services are built here when dist/ lacks them (a fresh
 * checkout). After changing the services' code, run `npm run build` to refresh them.
 */
export function ensureServicesBuilt(paths: DemoPaths, log: (line: string) => void): void {
  const missing = Object.entries(paths.builds).filter(([, file]) => !existsSync(file));
  if (missing.length === 0) return;
  log(`building ${missing.map(([name]) => name).join(' and ')} (npm run build)...`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build'], { cwd: paths.root, stdio: 'inherit' });
  const still = Object.entries(paths.builds).filter(([, file]) => !existsSync(file));
  if (result.status !== 0 || still.length) {
    throw new Error(`npm run build failed (exit ${result.status ?? result.signal}): the services cannot start until it passes`);
  }
}
