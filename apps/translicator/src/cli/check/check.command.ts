import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { execFile } from 'node:child_process';
import { formatIssue, TransformConfigError, TransformsModule } from '@kasho/transforms';
import { locatePgDump, withPg } from '@kasho/runtime';
import type { CliEnv } from '../../config/cli.env';
import { CliUsageError } from '../cli.errors';
import { reachable, type CheckFacts, type CheckSettings, type SourceFacts } from './check-facts';
import { PreflightRunner } from './preflight.runner';
import { formatReport, hasBlocker } from './report.formatter';
import { inspectSource } from './source.inspector';
import { selectedTables } from './table-selection';
import { inspectTarget } from './target.inspector';
import { TransformsInspector } from './transforms.inspector';

const NO_KEY_TABLES = ['insert-only', 'full', 'skip'] as const;

/**
 * `kasho check`: reads the source, the target, transforms.yml and the pg_dump of this machine, runs
 * every preflight check and prints the report. 0 without blockers, 1 with. Reads catalogs only: no
 * row value is read, and neither URL is printed.
 */
export async function runCheck(env: CliEnv, print: (text: string) => void): Promise<number> {
  const settings = checkSettings(env);
  const source = env.primaryDatabaseUrl ? await readSide(env.primaryDatabaseUrl, 'kasho-check', (c) => inspectSource(c, settings)) : undefined;
  const schemas = reachable(source) ? [...new Set(selectedTables(source, settings).map((t) => t.schema))] : ['public'];
  const target = env.replicaDatabaseUrl ? await readSide(env.replicaDatabaseUrl, 'kasho-check', (c) => inspectTarget(c, schemas)) : undefined;
  const facts: CheckFacts = {
    settings,
    source,
    target,
    transforms: reachable(source) ? await readTransforms(env, source) : undefined,
    pgDump: await readPgDump(env),
  };
  const findings = await new PreflightRunner().run(facts);
  print(formatReport(findings));
  return hasBlocker(findings) ? 1 : 0;
}

function checkSettings(env: CliEnv): CheckSettings {
  const noKeyTables = NO_KEY_TABLES.find((v) => v === env.noKeyTables);
  if (!noKeyTables) throw new CliUsageError(`NO_KEY_TABLES must be one of ${NO_KEY_TABLES.join(', ')}`);
  return {
    slotName: env.slotName,
    publication: env.publication,
    noKeyTables,
    excludeTables: env.excludeTables,
    snapshotMode: env.snapshotMode,
    transformsFile: env.transformsFile,
    transformsSecretLength: env.transformsSecret?.length ?? 0,
  };
}

async function readSide<T>(url: string, applicationName: string, read: Parameters<typeof withPg<T>>[1]): Promise<T | { error: string }> {
  try {
    return await withPg({ connectionString: url, application_name: applicationName, connectionTimeoutMillis: 10_000 }, read);
  } catch (err) {
    return { error: withoutPassword(err instanceof Error ? err.message : String(err), url) };
  }
}

async function readTransforms(env: CliEnv, source: SourceFacts): Promise<CheckFacts['transforms']> {
  @Module({ imports: [TransformsModule.forRoot({ file: env.transformsFile, secret: env.transformsSecret })], providers: [TransformsInspector] })
  class CheckTransformsModule {}

  let app;
  try {
    app = await NestFactory.createApplicationContext(CheckTransformsModule, { logger: false, abortOnError: false });
  } catch (err) {
    if (err instanceof TransformConfigError) return { error: err.issues.map(formatIssue) };
    return { error: [err instanceof Error ? err.message : String(err)] };
  }
  try {
    return app.get(TransformsInspector).inspect(env.transformsFile, source.tables);
  } finally {
    await app.close();
  }
}

/** The pg_dump pg-change-stream would run, and its major version (`pg_dump (PostgreSQL) 17.2`). */
async function readPgDump(env: CliEnv): Promise<CheckFacts['pgDump']> {
  const path = locatePgDump(env.pgDump, env.searchPath);
  if (!path) return { error: 'not found on PATH or in /usr/lib/postgresql/*/bin: the initial snapshot and kasho resync need it' };
  const version = await new Promise<string>((resolve) =>
    execFile(path, ['--version'], { timeout: 10_000, encoding: 'utf8' }, (err, stdout) => resolve(err ? '' : stdout)),
  );
  const major = /\)\s*(\d+)/.exec(version)?.[1];
  return { path, major: major ? Number(major) : null };
}

/** An error message with the URL's password (if any) masked. */
function withoutPassword(message: string, url: string): string {
  let password: string;
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    return message;
  }
  return password ? message.split(password).join('***') : message;
}
