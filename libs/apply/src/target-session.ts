import { Logger } from '@nestjs/common';
import type { Client } from 'pg';
import { closePg, connectPg } from '@kasho/runtime';

/**
 * A target connection for snapshot work. Rows copied from the source already carry what its
 * triggers did, so the target's triggers must not fire again (session_replication_role = replica,
 * when permitted). `synchronous_commit = off` is safe here: a range and its bookkeeping row commit
 * together, so a crash can lose whole ranges only, which are then copied again.
 * Close it with `closePg` (@kasho/runtime).
 */
export async function openTargetSession(connectionString: string, name: string, options: { synchronousCommit?: boolean } = {}): Promise<Client> {
  const client = await connectPg(
    { connectionString, application_name: name },
    { onError: (err) => new Logger('Snapshot').warn(`target connection ${name} failed: ${err.message}`) },
  );
  try {
    try {
      await client.query('SET session_replication_role = replica');
    } catch {
      // Not a superuser: copies still work; the target's triggers fire for copied rows.
    }
    if (!options.synchronousCommit) await client.query('SET synchronous_commit = off');
  } catch (err) {
    await closePg(client);
    throw err;
  }
  return client;
}
