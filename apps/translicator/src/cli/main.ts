/**
 * Kasho command line. `preview --table schema.table [--limit 10]`: print sample rows of the
 * primary before and after transforms, writing nothing. Reads PRIMARY_DATABASE_URL,
 * TRANSFORMS_FILE (default ./config/transforms.yml) and TRANSFORMS_SECRET.
 *
 *   node dist/apps/translicator/apps/translicator/src/cli/main.js preview --table public.users --limit 10
 *
 * `resync --table schema.table [--url http://127.0.0.1:8082]`: asks the running pg-translicator to
 * re-copy one table (transformed) without stopping the stream, and waits for it (docs/snapshot.md).
 * Sends ADMIN_TOKEN (or --token) when set.
 *
 * `skip --position <commitLsn-index> --reason "..."`: skips the source transaction of the change the
 * pipeline is stopped at, and only that one (docs/operations.md). Reads REPLICA_DATABASE_URL.
 *
 * `check`: a preflight of both sides (cli/check/): reads PRIMARY_DATABASE_URL, REPLICA_DATABASE_URL,
 * TRANSFORMS_FILE/TRANSFORMS_SECRET, REPLICATION_SLOT, PUBLICATION, NO_KEY_TABLES, EXCLUDE_TABLES and
 * SNAPSHOT_MODE, prints a report; exit 1 when anything blocks.
 *
 * `uninstall [--yes]`: removes the slot, Kasho's publications and DDL capture from the source
 * (PRIMARY_DATABASE_URL, REPLICATION_SLOT, PUBLICATION); without --yes it only says what it would do.
 */
import 'reflect-metadata';
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseTableName } from '@kasho/contracts';
import { formatIssue, TransformConfigError, TransformsModule } from '@kasho/transforms';
import { CliEnv, readCliEnv } from '../config/cli.env';
import { CliUsageError } from './cli.errors';
import { runCheck } from './check/check.command';
import { runUninstall } from './uninstall/uninstall.command';
import { PreviewCommand } from './preview.command';
import { runResync } from './resync.command';
import { runSkip } from './skip.command';

const USAGE =
  'usage: kasho preview --table <schema.table> [--limit <n>]\n' +
  '       kasho resync --table <schema.table> [--url <pg-translicator http url, default http://127.0.0.1:8082>] [--timeout <seconds>] [--token <ADMIN_TOKEN; better from the environment>]\n' +
  '       kasho skip --position <commitLsn-index, the one /health names as stuckAt> --reason <why> [--timeout <seconds, default 60>]\n' +
  '       kasho check   (preflight of source, target and transforms.yml; exit 1 on a blocker)\n' +
  "       kasho uninstall [--yes]   (removes the slot, Kasho's publications and DDL capture from the source; without --yes: what it would do)";

interface CliArgs {
  command?: string;
  table?: string;
  limit: number;
  url: string;
  timeout?: number;
  token?: string;
  position?: string;
  reason?: string;
  yes: boolean;
}

function parseArgs(argv: string[], env: CliEnv): CliArgs {
  const [command, ...rest] = argv;
  let table: string | undefined;
  let limit = 10;
  let url = env.translicatorUrl;
  let timeout: number | undefined;
  let token = env.adminToken;
  let position: string | undefined;
  let reason: string | undefined;
  let yes = false;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--yes') {
      yes = true;
      continue;
    }
    const [flag, inline] = rest[i].split('=', 2);
    const value = inline ?? rest[++i];
    if (flag === '--table') table = value;
    else if (flag === '--limit') limit = Number(value);
    else if (flag === '--url') url = value;
    else if (flag === '--timeout') timeout = Number(value);
    else if (flag === '--token') token = value;
    else if (flag === '--position') position = value;
    else if (flag === '--reason') reason = value;
    else throw new CliUsageError(`unknown argument ${rest[i]}\n${USAGE}`);
  }
  if (!Number.isInteger(limit) || limit < 1) throw new CliUsageError(`--limit must be a positive integer\n${USAGE}`);
  if (timeout !== undefined && !(timeout > 0)) throw new CliUsageError(`--timeout must be a positive number of seconds\n${USAGE}`);
  return { command, table, limit, url, timeout, token, position, reason, yes };
}

async function main(): Promise<number> {
  const env = readCliEnv();
  const args = parseArgs(process.argv.slice(2), env);
  if (args.command === 'resync' && args.table) {
    return runResync({ url: args.url, table: args.table, timeoutSeconds: args.timeout ?? 3600, token: args.token }, (line) =>
      process.stdout.write(`${line}\n`),
    );
  }
  if (args.command === 'check') return runCheck(env, (text) => process.stdout.write(`${text}\n`));
  if (args.command === 'uninstall') {
    if (!env.primaryDatabaseUrl) {
      process.stderr.write('PRIMARY_DATABASE_URL is required (the source Kasho is removed from)\n');
      return 2;
    }
    return runUninstall(
      { databaseUrl: env.primaryDatabaseUrl, slotName: env.slotName, publication: env.publication, yes: args.yes },
      (line) => process.stdout.write(`${line}\n`),
      (line) => process.stderr.write(`${line}\n`),
    );
  }
  if (args.command === 'skip') {
    if (!args.position || !args.reason?.trim()) {
      process.stderr.write(`kasho skip needs --position and a --reason (recorded with the skip)\n${USAGE}\n`);
      return 2;
    }
    if (!env.replicaDatabaseUrl) {
      process.stderr.write('REPLICA_DATABASE_URL is required (the target, where the skip is requested and recorded)\n');
      return 2;
    }
    return runSkip(
      { databaseUrl: env.replicaDatabaseUrl, position: args.position, reason: args.reason, timeoutSeconds: args.timeout ?? 60 },
      (line) => process.stdout.write(`${line}\n`),
      (line) => process.stderr.write(`${line}\n`),
    );
  }
  if (args.command !== 'preview' || !args.table) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const databaseUrl = env.primaryDatabaseUrl;
  if (!databaseUrl) {
    process.stderr.write('PRIMARY_DATABASE_URL is required\n');
    return 2;
  }
  const { schema, table } = parseTableName(args.table);

  @Module({ imports: [TransformsModule.forRoot({ file: env.transformsFile, secret: env.transformsSecret })], providers: [PreviewCommand] })
  class PreviewCliModule {}

  const app = await NestFactory.createApplicationContext(PreviewCliModule, { logger: ['warn', 'error'] });
  try {
    process.stdout.write(`${await app.get(PreviewCommand).run({ databaseUrl, schema, table, limit: args.limit })}\n`);
    return 0;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof CliUsageError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    if (e instanceof TransformConfigError) {
      process.stderr.write(`Invalid ${e.issues[0]?.file ?? 'transforms config'}:\n${e.issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}\n`);
    } else {
      new Logger('kasho').error(e instanceof Error ? e.message : String(e));
    }
    process.exit(1);
  },
);
