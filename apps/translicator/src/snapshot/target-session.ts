import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { pgClientConfig } from '@kasho/runtime';

/**
 * A target connection for snapshot work. Rows copied from the source already carry what its
 * triggers did, so the target's triggers must not fire again (session_replication_role = replica,
 * when permitted). `synchronous_commit = off` is safe here: a range and its bookkeeping row commit
 * together, so a crash can lose whole ranges only, which are then copied again.
 */
export async function openTargetSession(connectionString: string, name: string, options: { synchronousCommit?: boolean } = {}): Promise<Client> {
  const client = new Client(pgClientConfig({ connectionString, application_name: name }));
  client.on('error', (err) => new Logger('Snapshot').warn(`target connection ${name} failed: ${err.message}`));
  await client.connect();
  try {
    await client.query('SET session_replication_role = replica');
  } catch {
    // Not a superuser: copies still work; the target's triggers fire for copied rows.
  }
  if (!options.synchronousCommit) await client.query('SET synchronous_commit = off');
  return client;
}

export async function closeQuietly(client: Client | undefined): Promise<void> {
  await client?.end().catch(() => undefined);
}
