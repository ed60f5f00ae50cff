import { relationKey } from '@kasho/contracts';
import { EphemeralPostgres } from '@kasho/testing';
import { Client } from 'pg';
import { readUniqueKeys } from './unique-keys';

/** The unique column sets and foreign keys of tables, read from a real catalog. */
describe('readUniqueKeys', () => {
  let pg: EphemeralPostgres;
  let client: Client;

  beforeAll(async () => {
    pg = await EphemeralPostgres.start();
    await pg.query(`
      CREATE SCHEMA app;
      CREATE TABLE app.accounts (
        id int PRIMARY KEY, email text NOT NULL, tenant int, handle text, note text, deleted boolean,
        CONSTRAINT accounts_email_key UNIQUE (email),
        CONSTRAINT accounts_tenant_handle_key UNIQUE (tenant, handle) INCLUDE (note));
      CREATE UNIQUE INDEX accounts_live_note ON app.accounts (note) WHERE NOT deleted;
      CREATE UNIQUE INDEX accounts_lower_email ON app.accounts (lower(email));
      CREATE INDEX accounts_note_idx ON app.accounts (note);
      CREATE TABLE app.invites (id int, account_email text REFERENCES app.accounts (email), tenant int, handle text,
        FOREIGN KEY (tenant, handle) REFERENCES app.accounts (tenant, handle));
      CREATE TABLE public.accounts (id int);`);
    client = new Client({ connectionString: pg.url });
    await client.connect();
  }, 60_000);

  afterAll(async () => {
    await client?.end();
    await pg?.stop();
  });

  it('lists primary keys, unique constraints and partial unique indexes by key columns; leaves out expression and plain indexes', async () => {
    const keys = await readUniqueKeys(client, [
      { schema: 'app', table: 'accounts' },
      { schema: 'app', table: 'invites' },
      { schema: 'public', table: 'accounts' },
    ]);
    expect(keys.get(relationKey('app', 'accounts'))).toEqual({
      uniqueIndexes: [
        { name: 'accounts_pkey', columns: ['id'], primaryKey: true, partial: false },
        { name: 'accounts_email_key', columns: ['email'], primaryKey: false, partial: false },
        { name: 'accounts_live_note', columns: ['note'], primaryKey: false, partial: true },
        { name: 'accounts_tenant_handle_key', columns: ['tenant', 'handle'], primaryKey: false, partial: false },
      ],
      foreignKeys: [],
    });
    expect(keys.get(relationKey('app', 'invites'))).toEqual({
      uniqueIndexes: [],
      foreignKeys: [
        { name: 'invites_account_email_fkey', columns: ['account_email'], referencedSchema: 'app', referencedTable: 'accounts', referencedColumns: ['email'] },
        {
          name: 'invites_tenant_handle_fkey',
          columns: ['tenant', 'handle'],
          referencedSchema: 'app',
          referencedTable: 'accounts',
          referencedColumns: ['tenant', 'handle'],
        },
      ],
    });
    expect(keys.get(relationKey('public', 'accounts'))).toEqual({ uniqueIndexes: [], foreignKeys: [] });
  });

  it("parses arrays and booleans with pg's own parsers even on a client that reads every type as text", async () => {
    const textClient = new Client({ connectionString: pg.url, types: { getTypeParser: () => (v: string) => v } });
    await textClient.connect();
    try {
      const keys = await readUniqueKeys(textClient, [{ schema: 'app', table: 'accounts' }]);
      expect(keys.get(relationKey('app', 'accounts'))!.uniqueIndexes[0]).toEqual({ name: 'accounts_pkey', columns: ['id'], primaryKey: true, partial: false });
    } finally {
      await textClient.end();
    }
  });

  it('answers an empty map for no tables, without a query', async () => {
    expect((await readUniqueKeys(client, [])).size).toBe(0);
  });
});
