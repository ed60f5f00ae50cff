import { Client, ClientConfig } from 'pg';
import { pgClientConfig } from './pg-session';

export interface PgConnectOptions {
  /** Session settings beyond the pinned ones (for example `synchronous_commit`). */
  settings?: Readonly<Record<string, string>>;
  /**
   * Called for an error on an idle connection (the server went away between queries). Without it
   * such errors are dropped: the next query on the client fails and reports them. Without any
   * listener, node would crash the process on pg's `error` event.
   */
  onError?: (err: Error) => void;
  /** A walsender connection (`replication=database`), for replication commands. */
  replication?: boolean;
}

/**
 * The one way Kasho opens a PostgreSQL connection: the pinned session settings, an `error`
 * listener, `connect()`; a client that failed to connect is ended before the error is thrown.
 */
export async function connectPg(config: ClientConfig, options: PgConnectOptions = {}): Promise<Client> {
  const base = pgClientConfig(config, options.settings);
  const client = new Client(options.replication ? ({ ...base, replication: 'database' } as ClientConfig) : base);
  client.on('error', options.onError ?? (() => undefined));
  try {
    await client.connect();
  } catch (err) {
    await closePg(client);
    throw err;
  }
  return client;
}

/** Ends a client and ignores a failure to end it (it is being discarded either way). */
export async function closePg(client: Client | undefined): Promise<void> {
  await client?.end().catch(() => undefined);
}

/** Opens a connection, runs `work` on it and always ends it. */
export async function withPg<T>(config: ClientConfig, work: (client: Client) => Promise<T>, options: PgConnectOptions = {}): Promise<T> {
  const client = await connectPg(config, options);
  try {
    return await work(client);
  } finally {
    await closePg(client);
  }
}
