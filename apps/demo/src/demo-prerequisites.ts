import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { findBinary, postgresBinDirs } from '@kasho/testing';
import type { DemoPaths } from './demo-paths';

/** What is missing on this machine, as instructions a person can follow; empty when all is there. */
export function missingPrerequisites(): string[] {
  const problems: string[] = [];
  const pgDirs = postgresBinDirs();
  if (!findBinary('initdb', pgDirs) || !findBinary('pg_ctl', pgDirs)) {
    problems.push(
      'PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or in /usr/lib/postgresql/*/bin.',
      '  Debian/Ubuntu:  sudo apt-get install -y postgresql',
      '  Fedora/RHEL:    sudo dnf install -y postgresql-server',
      '  macOS:          brew install postgresql@17   (then add its bin folder to PATH)',
    );
  }
  if (!findBinary('redis-server')) {
    problems.push(
      'redis-server was not found on PATH.',
      '  Debian/Ubuntu:  sudo apt-get install -y redis-server',
      '  Fedora/RHEL:    sudo dnf install -y redis',
      '  macOS:          brew install redis',
    );
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && !postgresUserExists()) {
    problems.push(
      'Running as root: PostgreSQL refuses to run as root, and the OS user `postgres` that the demo runs it as does not exist.',
      '  Create it (sudo useradd --system postgres) or run the demo as an ordinary user.',
    );
  }
  if (problems.length) {
    problems.push(
      '',
      'The demo starts its own throwaway databases with these programs and removes them on exit.',
      'Or run the same demo with Docker: cd environments/demo && docker compose up -d --build',
    );
  }
  return problems;
}

function postgresUserExists(): boolean {
  try {
    if (/^postgres:/m.test(readFileSync('/etc/passwd', 'utf8'))) return true;
  } catch {
    // no /etc/passwd: ask the system below
  }
  return spawnSync('id', ['-u', 'postgres'], { stdio: 'ignore' }).status === 0;
}

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
