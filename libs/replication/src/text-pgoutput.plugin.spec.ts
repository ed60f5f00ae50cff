import type { Client } from 'pg';
import { TextPgoutputPlugin, startReplicationSql } from './text-pgoutput.plugin';

describe('TextPgoutputPlugin.start', () => {
  it('sends proto_version and publication_names only: pgoutput of PostgreSQL 13 refuses a messages option', async () => {
    expect(startReplicationSql('kasho_slot', '0/16B3748', { protoVersion: 1, publicationNames: ['kasho_pub', 'kasho_pub_inserts'] })).toBe(
      `START_REPLICATION SLOT "kasho_slot" LOGICAL 0/16B3748 (proto_version '1', publication_names 'kasho_pub,kasho_pub_inserts')`,
    );
    const query = jest.fn().mockResolvedValue(undefined);
    await new TextPgoutputPlugin({ protoVersion: 1, publicationNames: ['p'], messages: false }).start({ query } as unknown as Client, 's', '0/0');
    expect(query).toHaveBeenCalledWith(`START_REPLICATION SLOT "s" LOGICAL 0/0 (proto_version '1', publication_names 'p')`);
    expect(query.mock.calls[0][0]).not.toMatch(/messages/);
  });
});
