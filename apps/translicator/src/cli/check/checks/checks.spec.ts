import type { CheckFacts, SourceFacts, TableFacts, TargetFacts, TransformsFacts } from '../check-facts';
import type { Finding } from '../finding';
import { PgDumpCheck } from './pg-dump.check';
import { ReplicaIdentityCheck } from './replica-identity.check';
import { ReplicationCapacityCheck } from './replication-capacity.check';
import { ServerVersionCheck } from './server-version.check';
import { SlotCheck } from './slot.check';
import { SourcePrivilegesCheck } from './source-privileges.check';
import { TargetPrivilegesCheck } from './target-privileges.check';
import { TransformsCoverageCheck } from './transforms-coverage.check';
import { TypeFitCheck } from './type-fit.check';
import { UniqueColumnsCheck } from './unique-columns.check';
import { WalLevelCheck } from './wal-level.check';

function table(name: string, extra: Partial<TableFacts> = {}): TableFacts {
  const [schema, t] = name.split('.');
  return {
    schema,
    table: t,
    kind: 'r',
    partition: false,
    replicaIdentity: 'd',
    hasPrimaryKey: true,
    hasIdentityIndex: false,
    canSelect: true,
    ownedByRole: true,
    columns: [
      { name: 'id', type: 'integer', typeOid: 23, typeMod: -1, key: true },
      { name: 'email', type: 'text', typeOid: 25, typeMod: -1, key: false },
      { name: 'age', type: 'integer', typeOid: 23, typeMod: -1, key: false },
    ],
    uniqueIndexes: [],
    ...extra,
  };
}

function source(extra: Partial<SourceFacts> = {}): SourceFacts {
  return {
    versionNum: 170002,
    version: '17.2',
    role: 'kasho',
    superuser: false,
    database: 'app',
    replication: true,
    createOnDatabase: true,
    walLevel: 'logical',
    maxReplicationSlots: 10,
    slotsUsed: 0,
    maxWalSenders: 10,
    walSendersUsed: 0,
    maxSlotWalKeepSizeMb: 1024,
    publications: [],
    ddlCapture: { schema: true, table: true, triggers: 2, enabledTriggers: 2 },
    tables: [table('public.users')],
    ...extra,
  };
}

function target(extra: Partial<TargetFacts> = {}): TargetFacts {
  return {
    versionNum: 170002,
    version: '17.2',
    role: 'kasho',
    superuser: false,
    database: 'replica',
    inRecovery: false,
    connectOnDatabase: true,
    createOnDatabase: true,
    schemas: [{ name: 'public', exists: true, usage: true, create: true }],
    setReplicationRole: true,
    ...extra,
  };
}

function transforms(extra: Partial<TransformsFacts> = {}): TransformsFacts {
  return {
    file: 'config/transforms.yml',
    strict: false,
    tables: [
      {
        schema: 'public',
        table: 'users',
        line: 3,
        columns: [{ column: 'email', line: 4, transform: 'FakeEmail', supportsUnique: true }],
      },
    ],
    fit: async () => undefined,
    ...extra,
  };
}

function facts(extra: Partial<CheckFacts> = {}): CheckFacts {
  return {
    settings: {
      slotName: 'kasho_slot',
      publication: 'kasho_pub',
      noKeyTables: 'insert-only',
      excludeTables: [],
      snapshotMode: 'auto',
      transformsFile: 'config/transforms.yml',
      transformsSecretLength: 64,
    },
    source: source(),
    target: target(),
    transforms: transforms(),
    pgDump: { path: '/usr/bin/pg_dump', major: 17 },
    ...extra,
  };
}

const lines = (findings: Finding[]) => findings.map((f) => `${f.severity} ${f.place}: ${f.message}`);
const bad = (findings: Finding[]) => findings.filter((f) => f.severity !== 'ok');

describe('ServerVersionCheck', () => {
  it('OK for 13 to 17, a blocker below 13, a warning above 17, a blocker when unset or unreachable', () => {
    expect(bad(new ServerVersionCheck().run(facts()))).toEqual([]);
    const old = new ServerVersionCheck().run(facts({ source: source({ versionNum: 120010, version: '12.10' }) }));
    expect(lines(bad(old))).toEqual(['blocker server version: PostgreSQL 12.10: Kasho needs 13 or later']);
    const newer = new ServerVersionCheck().run(facts({ target: target({ versionNum: 180000, version: '18.0' }) }));
    expect(bad(newer)).toMatchObject([{ side: 'target', severity: 'warn', place: 'server version' }]);
    const missing = new ServerVersionCheck().run(facts({ source: undefined, target: { error: 'connection refused' } }));
    expect(lines(missing)).toEqual(['blocker PRIMARY_DATABASE_URL: is not set', 'blocker REPLICA_DATABASE_URL: cannot connect: connection refused']);
  });
});

describe('WalLevelCheck', () => {
  it('a blocker unless logical, naming the setting and how to change it', () => {
    expect(lines(new WalLevelCheck().run(facts()))).toEqual(['ok setting wal_level: logical']);
    const [f] = new WalLevelCheck().run(facts({ source: source({ walLevel: 'replica' }) }));
    expect(f).toMatchObject({ severity: 'blocker', place: 'setting wal_level', message: expect.stringContaining('is replica') });
    expect(f.action).toContain('ALTER SYSTEM SET wal_level = logical');
  });
});

describe('ReplicationCapacityCheck', () => {
  it('a blocker without room for the slot, a warning without room for the one kasho resync exports, OK otherwise', () => {
    expect(bad(new ReplicationCapacityCheck().run(facts()))).toEqual([]);
    const full = new ReplicationCapacityCheck().run(facts({ source: source({ maxReplicationSlots: 2, slotsUsed: 2 }) }));
    expect(bad(full)).toMatchObject([{ severity: 'blocker', place: 'setting max_replication_slots' }]);
    const tight = new ReplicationCapacityCheck().run(facts({ source: source({ maxWalSenders: 3, walSendersUsed: 2 }) }));
    expect(bad(tight)).toMatchObject([{ severity: 'warn', place: 'setting max_wal_senders' }]);
  });
});

describe('SourcePrivilegesCheck', () => {
  it('OK with REPLICATION, DDL capture installed, creatable publications and SELECT everywhere', () => {
    expect(bad(new SourcePrivilegesCheck().run(facts()))).toEqual([]);
  });

  it('blockers: no REPLICATION, DDL capture missing for a non-superuser, SELECT missing; a user publication is named as such', () => {
    const s = source({
      replication: false,
      ddlCapture: { schema: false, table: false, triggers: 0, enabledTriggers: 0 },
      tables: [table('public.users', { canSelect: false, ownedByRole: false })],
      publications: [{ name: 'kasho_pub', comment: null, allTables: false, tables: ['public.users'] }],
    });
    const out = lines(new SourcePrivilegesCheck().run(facts({ source: s })));
    expect(out).toContain('blocker role kasho: has no REPLICATION: it cannot read the slot');
    expect(out).toContain('blocker DDL capture: not installed, and event triggers need a superuser');
    expect(out.find((l) => l.startsWith('ok publication kasho_pub:'))).toContain('is your own');
    expect(out.find((l) => l.startsWith('blocker publication kasho_pub_inserts'))).toContain('cannot create it');
    expect(out.find((l) => l.startsWith('blocker role kasho SELECT'))).toContain('public.users');
  });

  it('SELECT missing is only a warning with SNAPSHOT_MODE=never', () => {
    const f = facts({ source: source({ tables: [table('public.users', { canSelect: false })] }) });
    f.settings = { ...f.settings, snapshotMode: 'never' };
    expect(bad(new SourcePrivilegesCheck().run(f))).toMatchObject([{ severity: 'warn', place: 'role kasho SELECT' }]);
  });
});

describe('SlotCheck', () => {
  const slot = { plugin: 'pgoutput', slotType: 'logical', database: 'app', lagBytes: 0, retainedBytes: 2048, safeWalSize: null, active: true, activePid: 7 };

  it('lost is a blocker, unreserved a warning, reserved OK with the retained WAL; unlimited keep size a warning', () => {
    expect(lines(new SlotCheck().run(facts({ source: source({ slot: { ...slot, walStatus: 'reserved' } }) })))).toEqual([
      'ok setting max_slot_wal_keep_size: 1.0 GiB: the slot never holds more WAL than this',
      'ok slot kasho_slot: active (pid 7), wal_status reserved, retaining 2.0 KiB of WAL',
    ]);
    const lost = new SlotCheck().run(facts({ source: source({ slot: { ...slot, walStatus: 'lost' } }) }));
    expect(bad(lost)).toMatchObject([{ severity: 'blocker', place: 'slot kasho_slot', message: expect.stringContaining('wal_status lost') }]);
    const unreserved = new SlotCheck().run(facts({ source: source({ maxSlotWalKeepSizeMb: -1, slot: { ...slot, walStatus: 'unreserved' } }) }));
    expect(bad(unreserved).map((f) => [f.severity, f.place])).toEqual([
      ['warn', 'setting max_slot_wal_keep_size'],
      ['warn', 'slot kasho_slot'],
    ]);
  });

  it('a slot of another kind or database is a blocker', () => {
    const physical = new SlotCheck().run(facts({ source: source({ slot: { ...slot, slotType: 'physical', plugin: null, walStatus: 'reserved' } }) }));
    expect(bad(physical)).toMatchObject([{ severity: 'blocker', message: expect.stringContaining('not a logical pgoutput slot') }]);
  });
});

describe('ReplicaIdentityCheck', () => {
  const noKey = table('public.events', { hasPrimaryKey: false, ownedByRole: false });

  it('names each table without a replica identity with what NO_KEY_TABLES does to it', () => {
    const f = facts({ source: source({ tables: [table('public.users'), noKey] }) });
    expect(lines(new ReplicaIdentityCheck().run(f))).toEqual([
      expect.stringMatching(
        /^warn public\.events: has no primary key; NO_KEY_TABLES=insert-only .*UPDATE and DELETE succeed on the source but are not replicated$/,
      ),
    ]);
    f.settings = { ...f.settings, noKeyTables: 'skip' };
    expect(lines(new ReplicaIdentityCheck().run(f))[0]).toContain('NO_KEY_TABLES=skip leaves it out');
    f.settings = { ...f.settings, noKeyTables: 'full' };
    expect(new ReplicaIdentityCheck().run(f)[0]).toMatchObject({ severity: 'blocker', message: expect.stringContaining('may not') });
  });

  it('an excluded table is not reported; all with an identity is one OK', () => {
    const f = facts({ source: source({ tables: [table('public.users'), noKey] }) });
    f.settings = { ...f.settings, excludeTables: ['public.ev*'] };
    expect(lines(new ReplicaIdentityCheck().run(f))).toEqual(['ok replica identity: all 1 replicated table(s) have one']);
  });
});

describe('PgDumpCheck', () => {
  it('a blocker when older than the source or missing, a warning with SNAPSHOT_MODE=never', () => {
    expect(bad(new PgDumpCheck().run(facts()))).toEqual([]);
    const old = new PgDumpCheck().run(facts({ pgDump: { path: '/usr/bin/pg_dump', major: 15 } }));
    expect(old).toMatchObject([{ severity: 'blocker', place: 'pg_dump /usr/bin/pg_dump', message: expect.stringContaining('older than the source (17)') }]);
    const f = facts({ pgDump: { error: 'not found' } });
    f.settings = { ...f.settings, snapshotMode: 'never' };
    expect(new PgDumpCheck().run(f)).toMatchObject([{ severity: 'warn', place: 'pg_dump' }]);
  });
});

describe('TargetPrivilegesCheck', () => {
  it('OK with the documented grants; blockers for CREATE and schema rights; a warning without session_replication_role', () => {
    expect(bad(new TargetPrivilegesCheck().run(facts()))).toEqual([]);
    const t = target({ createOnDatabase: false, schemas: [{ name: 'public', exists: true, usage: true, create: false }], setReplicationRole: false });
    expect(bad(new TargetPrivilegesCheck().run(facts({ target: t }))).map((f) => [f.severity, f.place])).toEqual([
      ['blocker', 'role kasho on database replica'],
      ['blocker', 'role kasho on schemas'],
      ['warn', 'role kasho SET session_replication_role'],
    ]);
    expect(bad(new TargetPrivilegesCheck().run(facts({ target: target({ inRecovery: true }) })))).toMatchObject([{ severity: 'blocker', place: 'server' }]);
  });
});

describe('TransformsCoverageCheck', () => {
  it('a typo of an existing column is a blocker naming file:line, an unknown one a warning; load errors are blockers', () => {
    const t = transforms({
      tables: [
        {
          schema: 'public',
          table: 'users',
          line: 3,
          columns: [
            { column: 'emial', line: 4, transform: 'FakeEmail', supportsUnique: true },
            { column: 'phone_number', line: 5, transform: 'FakePhone', supportsUnique: false },
          ],
        },
        { schema: 'public', table: 'user', line: 6, columns: [] },
      ],
    });
    expect(lines(new TransformsCoverageCheck().run(facts({ transforms: t })))).toEqual([
      'blocker config/transforms.yml:4 public.users.emial: no such column; did you mean email? public.users.email would replicate untransformed',
      'warn config/transforms.yml:5 public.users.phone_number: no such column on the source; the rule stays inactive until a change carries it',
      'blocker config/transforms.yml:6 public.user: no such table on the source; did you mean public.users? It would replicate without these transforms',
    ]);
    expect(lines(new TransformsCoverageCheck().run(facts({ transforms: { error: ['config/transforms.yml:2: bad'] } })))).toEqual([
      'blocker config/transforms.yml: config/transforms.yml:2: bad',
    ]);
  });

  it('TRANSFORMS_SECRET unset or too short is a blocker (its value never in the report)', () => {
    const f = facts();
    f.settings = { ...f.settings, transformsSecretLength: 0 };
    expect(bad(new TransformsCoverageCheck().run(f))).toMatchObject([
      { severity: 'blocker', place: 'TRANSFORMS_SECRET', message: expect.stringContaining('is not set') },
    ]);
    f.settings = { ...f.settings, transformsSecretLength: 8 };
    expect(bad(new TransformsCoverageCheck().run(f))).toMatchObject([{ severity: 'blocker', message: expect.stringContaining('shorter than 32') }]);
  });

  it('mode: strict: unlisted columns of replicated tables are a blocker', () => {
    const out = new TransformsCoverageCheck().run(facts({ transforms: transforms({ strict: true }) }));
    expect(bad(out)).toMatchObject([{ severity: 'blocker', message: expect.stringContaining('public.users.id, public.users.age') }]);
  });
});

describe('UniqueColumnsCheck', () => {
  const unique = source({ tables: [table('public.users', { uniqueIndexes: [{ name: 'users_email_key', columns: ['email'] }] })] });

  it('OK (automatic) under a unique index; unique: false and a transform without unique output are warnings', () => {
    expect(lines(new UniqueColumnsCheck().run(facts({ source: unique })))).toEqual([
      'ok config/transforms.yml:4 public.users.email: FakeEmail under unique index users_email_key: its output is made unique-safe automatically',
    ]);
    const optOut = transforms({
      tables: [{ schema: 'public', table: 'users', columns: [{ column: 'email', line: 4, transform: 'FakeEmail', unique: false, supportsUnique: true }] }],
    });
    expect(new UniqueColumnsCheck().run(facts({ source: unique, transforms: optOut }))).toMatchObject([
      { severity: 'warn', message: expect.stringContaining('unique: false'), action: 'remove unique: false (the output is then unique-safe)' },
    ]);
  });

  it('a multi-column unique index counts only when all its columns are transformed', () => {
    const pair = source({ tables: [table('public.users', { uniqueIndexes: [{ name: 'users_email_age_key', columns: ['email', 'age'] }] })] });
    expect(new UniqueColumnsCheck().run(facts({ source: pair }))).toEqual([]);
    const both = transforms({
      tables: [
        {
          schema: 'public',
          table: 'users',
          columns: [
            { column: 'email', transform: 'FakeEmail', supportsUnique: true },
            { column: 'age', transform: 'Bool', supportsUnique: false },
          ],
        },
      ],
    });
    expect(new UniqueColumnsCheck().run(facts({ source: pair, transforms: both })).map((f) => f.severity)).toEqual(['ok', 'warn']);
  });
});

describe('TypeFitCheck', () => {
  it('an output that is never of the column type is a blocker; a length problem a warning; fitting outputs one OK', async () => {
    const t = transforms({
      tables: [
        {
          schema: 'public',
          table: 'users',
          columns: [
            { column: 'age', line: 5, transform: 'FakeName', supportsUnique: true },
            { column: 'email', line: 4, transform: 'FakeEmail', supportsUnique: true },
          ],
        },
      ],
      fit: async (_s, _t, column) =>
        column === 'age'
          ? 'FakeName: output is not an integer, column type is integer'
          : 'FakeEmail: output is longer than character varying(5) allows (20 > 5)',
    });
    expect((await new TypeFitCheck().run(facts({ transforms: t }))).map((f) => [f.severity, f.place])).toEqual([
      ['blocker', 'config/transforms.yml:5 public.users.age'],
      ['warn', 'config/transforms.yml:4 public.users.email'],
    ]);
    expect(lines(await new TypeFitCheck().run(facts()))).toEqual(['ok config/transforms.yml: the outputs of 1 transformed column(s) fit their column types']);
  });
});
