import { ResyncRefusedError, ResyncTimeoutError } from './cli.errors';

/**
 * `kasho resync --table schema.table [--url http://127.0.0.1:8082]`: asks the running
 * pg-translicator (its HTTP port) to re-copy one table while the stream keeps its place
 * (docs/snapshot.md), then waits for the outcome, printing progress. Exit 0 when done. With a
 * token (ADMIN_TOKEN), every request carries it as `Authorization: Bearer`.
 */
export interface ResyncArgs {
  url: string;
  table: string;
  timeoutSeconds: number;
  token?: string;
}

interface ResyncStatus {
  id: string;
  table: string;
  status: 'pending' | 'running' | 'done' | 'failed';
  rows?: number;
  afterLsn?: string;
  error?: string;
}

export async function runResync(args: ResyncArgs, print: (line: string) => void): Promise<number> {
  const base = args.url.replace(/\/+$/, '');
  const auth: Record<string, string> = args.token ? { authorization: `Bearer ${args.token}` } : {};
  const response = await fetch(`${base}/snapshot/resync`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify({ table: args.table }),
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status === 401) throw new ResyncRefusedError(401, 'pg-translicator wants its ADMIN_TOKEN: set ADMIN_TOKEN (or pass --token) to the same value');
  if (response.status !== 202)
    throw new ResyncRefusedError(response.status, `pg-translicator refused the resync (${response.status}): ${await response.text()}`);
  let status = (await response.json()) as ResyncStatus;
  print(`resync of ${status.table} requested (${status.id}); waiting for the apply loop to run it`);
  const deadline = Date.now() + args.timeoutSeconds * 1000;
  let last = status.status;
  while (status.status === 'pending' || status.status === 'running') {
    if (Date.now() > deadline)
      throw new ResyncTimeoutError(
        `resync ${status.id} still ${status.status} after ${args.timeoutSeconds} s (it goes on; GET ${base}/snapshot/resync/${status.id})`,
      );
    await new Promise((r) => setTimeout(r, 500));
    status = (await (await fetch(`${base}/snapshot/resync/${status.id}`, { headers: auth, signal: AbortSignal.timeout(10_000) })).json()) as ResyncStatus;
    if (status.status !== last) print(`resync of ${status.table}: ${(last = status.status)}`);
  }
  if (status.status === 'failed') {
    print(`resync of ${status.table} failed: ${status.error}`);
    return 1;
  }
  print(`resync of ${status.table} done: ${status.rows} rows; its changes committed before LSN ${status.afterLsn} were in the copy`);
  return 0;
}
