import knexFactory, { Knex } from 'knex';
import { Client } from 'pg';
import { DataTypes, ModelAttributes, Sequelize } from 'sequelize';
import { schemaSnapshot, waitFor } from '@kasho/testing';
import { KashoPipeline, tableDigestSql } from './support/kasho-pipeline';

jest.setTimeout(300_000);

/** The tables the two clients create (knex's own bookkeeping included): compared row for row. */
const TABLES = ['public.knex_migrations', 'public.knex_migrations_lock', 'public.users', 'public.posts', 'public.accounts'];

/**
 * The DDL real tools emit, through the real pipeline (source → pg-change-stream → Redis → gRPC →
 * pg-translicator → target): knex migrations (top-level statements, a native enum, ALTER TYPE ... ADD
 * VALUE) and DML, then Sequelize sync(), which creates its enum type inside a DO block, and
 * sync({ alter: true }) after the model changed, and Sequelize DML. The target must end with the
 * same schema (tables, columns and types, enum labels in order, indexes, views) and the same rows.
 */
describe('real clients: knex migrations and Sequelize sync() through the pipeline', () => {
  let k: KashoPipeline;
  let source: Client;
  let target: Client;

  beforeAll(async () => {
    k = await KashoPipeline.start();
    source = new Client(k.source.clientConfig());
    target = new Client(k.target.clientConfig());
    await Promise.all([source.connect(), target.connect()]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([source?.end(), target?.end()]);
    await k?.stop();
  });

  /** A label added by ALTER TYPE is used only once the target has it (see the note in the report). */
  async function waitForLabel(type: string, label: string): Promise<void> {
    await waitFor(async () => (await target.query(`SELECT 1 FROM pg_enum WHERE enumtypid = to_regtype($1) AND enumlabel = $2`, [type, label])).rowCount === 1, {
      timeoutMs: 90_000,
      intervalMs: 200,
      what: `enum label ${label} of ${type} on the target`,
    }).catch((err: Error) => {
      throw new Error(`${err.message}\n--- change-stream ---\n${k.changeStream.tail()}\n--- translicator ---\n${k.translicator.tail()}`);
    });
  }

  async function runKnex(): Promise<void> {
    const knex = knexFactory({ client: 'pg', connection: k.source.url, pool: { min: 0, max: 2 } });
    const migrations: Record<string, (db: Knex) => Promise<unknown>> = {
      '001_users': (db) =>
        db.schema.createTable('users', (t) => {
          t.increments('id');
          t.string('email').notNullable().unique();
          t.enu('role', ['admin', 'member'], { useNative: true, enumName: 'user_role' }).notNullable().defaultTo('member');
          t.timestamps(true, true);
        }),
      '002_posts': (db) =>
        db.schema.createTable('posts', (t) => {
          t.increments();
          t.integer('user_id').references('users.id').onDelete('CASCADE');
          t.text('body');
          t.enu('status', ['draft', 'published']).defaultTo('draft');
        }),
      '003_phone': (db) =>
        db.schema.alterTable('users', (t) => {
          t.string('phone', 32);
          t.index(['email', 'role']);
        }),
      '004_owner': (db) => db.raw(`ALTER TYPE user_role ADD VALUE 'owner'`),
      '005_view': (db) => db.raw(`CREATE VIEW active_posts AS SELECT p.id, u.email FROM posts p JOIN users u ON u.id = p.user_id WHERE p.status = 'published'`),
    };
    const migrationSource: Knex.MigrationSource<string> = {
      getMigrations: async () => Object.keys(migrations),
      getMigrationName: (name) => name,
      getMigration: async (name) => ({ up: (db: Knex) => migrations[name](db), down: async () => undefined }),
    };
    try {
      await knex.migrate.latest({ migrationSource });
      const ids: Array<{ id: number }> = await knex('users')
        .insert([{ email: 'ada@example.com', role: 'admin' }, { email: 'bob@example.com' }, { email: 'cy@example.com', phone: '+1 555 0100' }])
        .returning('id');
      await knex('posts').insert(
        ids.flatMap(({ id }) => [
          { user_id: id, body: `hello from ${id}` },
          { user_id: id, body: 'second', status: 'published' },
        ]),
      );
      await knex('users').where({ email: 'bob@example.com' }).update({ phone: '+1 555 0199', role: 'admin' });
      await knex('posts').where({ body: 'second' }).andWhere('user_id', ids[2].id).del();
      await waitForLabel('public.user_role', 'owner');
      await knex('users').where({ email: 'cy@example.com' }).update({ role: 'owner' });
    } finally {
      await knex.destroy();
    }
  }

  async function runSequelize(): Promise<void> {
    const sequelize = new Sequelize(k.source.url, { logging: false });
    const define = (attributes: ModelAttributes) => sequelize.define('Account', attributes, { tableName: 'accounts' });
    try {
      let Account = define({
        name: DataTypes.STRING(100),
        kind: DataTypes.ENUM('personal', 'business'),
        balance: DataTypes.DECIMAL(10, 2),
      });
      await sequelize.sync(); // CREATE TYPE inside a DO block, then CREATE TABLE IF NOT EXISTS
      await Account.bulkCreate([
        { name: 'Ada', kind: 'personal', balance: '10.50' },
        { name: 'Acme', kind: 'business', balance: '1000.00' },
        { name: 'Gone', kind: 'personal', balance: '0.00' },
      ]);
      await Account.update({ balance: '11.75' }, { where: { name: 'Ada' } });
      await Account.destroy({ where: { name: 'Gone' } });

      sequelize.modelManager.removeModel(Account);
      Account = define({
        name: DataTypes.TEXT, // was VARCHAR(100)
        kind: DataTypes.ENUM('personal', 'business', 'nonprofit'),
        balance: DataTypes.DECIMAL(12, 2), // was (10, 2)
        note: DataTypes.STRING, // new
      });
      await sequelize.sync({ alter: true });
      await waitForLabel('public.enum_accounts_kind', 'nonprofit');
      await Account.create({ name: 'Red Cross', kind: 'nonprofit', balance: '12345678.90', note: 'added after alter' });
      await Account.update({ note: 'kept' }, { where: { name: 'Acme' } });
    } finally {
      await sequelize.close();
    }
  }

  it('ends with an identical schema and identical rows', async () => {
    await runKnex();
    await runSequelize();

    // The DO block really ran nested: its row in kasho.ddl_log has ordinal 0 and a derived statement.
    const nested = await source.query(`SELECT tag, object, derived->'statements'->0->>'sql' AS sql FROM kasho.ddl_log WHERE ordinal = 0 AND skip IS NULL`);
    expect(nested.rows).toEqual([
      { tag: 'CREATE TYPE', object: 'public.enum_accounts_kind', sql: "CREATE TYPE public.enum_accounts_kind AS ENUM ('personal', 'business')" },
    ]);

    let last = '';
    await waitFor(
      async () => {
        const [a, b] = [await schemaSnapshot(source), await schemaSnapshot(target)];
        const rowsDiffer: string[] = [];
        for (const table of TABLES) {
          const [s, t] = [await source.query(tableDigestSql(table)), await target.query(tableDigestSql(table))];
          if (JSON.stringify(s.rows) !== JSON.stringify(t.rows)) rowsDiffer.push(table);
        }
        const onlySource = a.filter((l) => !b.includes(l));
        const onlyTarget = b.filter((l) => !a.includes(l));
        last = `schema only on source: ${JSON.stringify(onlySource)}\nschema only on target: ${JSON.stringify(onlyTarget)}\nrows differ: ${rowsDiffer.join(', ')}`;
        return onlySource.length === 0 && onlyTarget.length === 0 && rowsDiffer.length === 0;
      },
      { timeoutMs: 120_000, intervalMs: 500, what: 'the same schema and rows on source and target' },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${last}\n--- change-stream ---\n${k.changeStream.tail()}\n--- translicator ---\n${k.translicator.tail()}`);
    });

    const snapshot = await schemaSnapshot(target);
    expect(snapshot).toEqual(await schemaSnapshot(source));
    // What the comparison covers, on the target: the enums in order, the ALTERed columns, the index and the view.
    expect(snapshot).toEqual(
      expect.arrayContaining([
        'enum public.user_role: admin, member, owner',
        'enum public.enum_accounts_kind: personal, business, nonprofit',
        'column public.accounts.name text',
        'column public.accounts.balance numeric(12,2)',
        'column public.accounts.note character varying(255)',
        'column public.users.phone character varying(32)',
        'index CREATE INDEX users_email_role_index ON public.users USING btree (email, role)',
      ]),
    );
    expect(snapshot.some((l) => l.startsWith('view public.active_posts:'))).toBe(true);
    const rows = await target.query(`SELECT email, role, phone FROM public.users ORDER BY email`);
    expect(rows.rows).toEqual([
      { email: 'ada@example.com', role: 'admin', phone: null },
      { email: 'bob@example.com', role: 'admin', phone: '+1 555 0199' },
      { email: 'cy@example.com', role: 'owner', phone: '+1 555 0100' },
    ]);
    const accounts = await target.query(`SELECT name, kind, balance::text, note FROM public.accounts ORDER BY name`);
    expect(accounts.rows).toEqual([
      { name: 'Acme', kind: 'business', balance: '1000.00', note: 'kept' },
      { name: 'Ada', kind: 'personal', balance: '11.75', note: null },
      { name: 'Red Cross', kind: 'nonprofit', balance: '12345678.90', note: 'added after alter' },
    ]);
    // The pipeline never stopped on the nested DDL.
    expect(k.logs()).not.toMatch(/Kasho stops here|DdlCaptureError/);
  });

  it('skips nested DDL it cannot derive with a warning and a metric (tag and object, never SQL), and goes on', async () => {
    await source.query(`DO $$ BEGIN
      CREATE AGGREGATE public.total_of(int) (SFUNC = int4pl, STYPE = int, INITCOND = '987654321');
      CREATE TABLE public.after_skip (id int PRIMARY KEY, note text);
    END $$`);
    await source.query(`INSERT INTO public.after_skip VALUES (1, 'still replicating')`);
    await k.waitForEqual(`SELECT id, note FROM public.after_skip ORDER BY id`, 90_000);
    const warning = k.changeStream.output.find((line) => line.includes('Not replicated') && line.includes('CREATE AGGREGATE'));
    expect(warning).toBeDefined();
    expect(warning).toContain('public.total_of(integer)');
    expect(warning).not.toContain('987654321'); // the statement's literals stay out of the log
    expect(await k.changeStream.metrics()).toMatch(/^kasho_ddl_skipped_total\{tag="CREATE AGGREGATE"\} [1-9]/m);
    expect((await target.query(`SELECT to_regprocedure('public.total_of(integer)') AS f`)).rows).toEqual([{ f: null }]);
  });
});
