import { readSkipped, requestSkip, SkipRefusedError } from '@kasho/apply';
import { Position } from '@kasho/contracts';
import { withPg } from '@kasho/runtime';

/**
 * `kasho skip --position P --reason "..."` (docs/operations.md): records, on the target, the request to
 * skip the source transaction of the change the pipeline is stopped at, like PostgreSQL's
 * `ALTER SUBSCRIPTION ... SKIP`. Refused (exit 1) unless P is exactly that change, as pg-translicator
 * recorded it in kasho.apply_failure after the target's applied position. Then waits until
 * pg-translicator has skipped it (kasho.skipped_changes) on its next attempt. Reads REPLICA_DATABASE_URL.
 */
export interface SkipArgs {
  databaseUrl: string;
  position: string;
  reason: string;
  timeoutSeconds: number;
}

export async function runSkip(args: SkipArgs, print: (line: string) => void, printError: (line: string) => void): Promise<number> {
  let position: Position;
  try {
    position = Position.parse(args.position);
  } catch (err) {
    printError(`kasho skip: ${(err as Error).message}`);
    return 2;
  }
  return withPg({ connectionString: args.databaseUrl, application_name: 'kasho-skip' }, async (client) => {
    let stuck;
    try {
      stuck = await requestSkip(client, position, args.reason);
    } catch (err) {
      if (!(err instanceof SkipRefusedError)) throw err;
      printError(`kasho skip refused: ${err.message}`);
      return 1;
    }
    print(`skip of position ${position} requested (stopped there since ${stuck.failedAt.toISOString()}: ${stuck.error})`);
    print('waiting for pg-translicator to skip its source transaction (it does on its next attempt)');
    const deadline = Date.now() + args.timeoutSeconds * 1000;
    for (;;) {
      const skipped = await readSkipped(client, position);
      if (skipped) {
        print(
          `skipped: the source transaction of position ${position} (tables: ${skipped.tables.join(', ') || 'none'}) at ${skipped.skippedAt.toISOString()}; recorded in kasho.skipped_changes`,
        );
        return 0;
      }
      if (Date.now() > deadline) {
        printError(
          `the request is recorded, but pg-translicator has not skipped position ${position} within ${args.timeoutSeconds} s (is it running? its next attempt skips it)`,
        );
        return 1;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  });
}
