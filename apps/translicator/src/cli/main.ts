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
 */
import 'reflect-metadata';
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseTableName } from '@kasho/contracts';
import { formatIssue, TransformConfigError, TransformsModule } from '@kasho/transforms';
import { CliEnv, readCliEnv } from '../config/cli.env';
import { PreviewCommand } from './preview.command';
import { runResync } from './resync.command';

const USAGE =
  'usage: kasho preview --table <schema.table> [--limit <n>]\n' +
  '       kasho resync --table <schema.table> [--url <pg-translicator http url, default http://127.0.0.1:8082>] [--timeout <seconds>] [--token <ADMIN_TOKEN; better from the environment>]';

function parseArgs(argv: string[], env: CliEnv): { command?: string; table?: string; limit: number; url: string; timeout: number; token?: string } {
  const [command, ...rest] = argv;
  let table: string | undefined;
  let limit = 10;
  let url = env.translicatorUrl;
  let timeout = 3600;
  let token = env.adminToken;
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].split('=', 2);
    const value = inline ?? rest[++i];
    if (flag === '--table') table = value;
    else if (flag === '--limit') limit = Number(value);
    else if (flag === '--url') url = value;
    else if (flag === '--timeout') timeout = Number(value);
    else if (flag === '--token') token = value;
    else throw new Error(`unknown argument ${rest[i]}\n${USAGE}`);
  }
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit must be a positive integer\n${USAGE}`);
  return { command, table, limit, url, timeout, token };
}

async function main(): Promise<number> {
  const env = readCliEnv();
  const args = parseArgs(process.argv.slice(2), env);
  if (args.command === 'resync' && args.table) {
    return runResync({ url: args.url, table: args.table, timeoutSeconds: args.timeout, token: args.token }, (line) => process.stdout.write(`${line}\n`));
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
    if (e instanceof TransformConfigError) {
      process.stderr.write(`Invalid ${e.issues[0]?.file ?? 'transforms config'}:\n${e.issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}\n`);
    } else {
      new Logger('kasho').error(e instanceof Error ? e.message : String(e));
    }
    process.exit(1);
  },
);
