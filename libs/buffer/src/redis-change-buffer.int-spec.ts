import { Position } from '@kasho/contracts';
import { commit, EphemeralRedis, insert, inserts } from '@kasho/testing';
import type Redis from 'ioredis';
import { changeBufferContract } from '../test/change-buffer.contract';
import { BufferEpochChangedError } from './buffer.errors';
import { CHANGE_FIELD, PREV_FIELD, encodeCompact, relationDigestOf } from './change-codec';
import { RedisChangeBuffer } from './redis-change-buffer';

jest.setTimeout(30_000);

describe('RedisChangeBuffer (real redis-server)', () => {
  let redis: EphemeralRedis;
  let admin: Redis;
  let pipeline = 0;

  beforeAll(async () => {
    redis = await EphemeralRedis.start();
    admin = redis.client();
  });
  afterAll(async () => {
    admin?.disconnect();
    await redis?.stop();
  });

  describe('contract', () => {
    changeBufferContract(async () => {
      const name = `contract-${++pipeline}`;
      const stream = `kasho:{${name}}:changes`;
      return {
        buffer: new RedisChangeBuffer({ url: redis.url, name }),
        loseData: async () => {
          await redis.restartEmpty();
        },
        loseEntries: async (positions) => {
          await admin.xdel(stream, ...positions.map(String));
        },
        loseTail: async (count) => {
          // What an older RDB holds: the same stream, minus its last entries and with the last ID before them.
          const entries = await admin.xrange(stream, '-', '+');
          const kept = entries.slice(0, Math.max(0, entries.length - count));
          await admin.del(stream);
          for (const [id, fields] of kept) await admin.xadd(stream, id, ...fields);
        },
      };
    });
  });

  describe('storage', () => {
    let buffer: RedisChangeBuffer;
    let name: string;
    beforeEach(() => {
      name = `storage-${++pipeline}`;
      buffer = new RedisChangeBuffer({ url: redis.url, name });
    });
    afterEach(async () => {
      await buffer.close();
    });

    it('uses one stream per pipeline whose entry IDs are the positions, with compact JSON and the ID of the entry before', async () => {
      await buffer.open();
      const batch = [insert('9007199254740993-0', { id: '1', note: null }), commit('9007199254740993-1', 1)];
      await buffer.append(batch);
      const entries = await admin.xrange(`kasho:{${name}}:changes`, '-', '+');
      expect(entries).toEqual(
        batch.map((c, i) => [
          c.position.toString(),
          [CHANGE_FIELD, encodeCompact(c.change, () => undefined), PREV_FIELD, i === 0 ? '0-0' : batch[i - 1].position.toString()],
        ]),
      );
      // the row's column metadata is stored once, in the relations hash, keyed by its relation digest
      const digest = relationDigestOf(entries[0][1][1])!;
      expect(JSON.parse((await admin.hget(`kasho:{${name}}:relations`, digest))!)).toEqual((batch[0].change as { columns: unknown }).columns);
      expect(await admin.exists(`kasho:{${name}}:epoch`)).toBe(1);
      await buffer.setApplied(Position.parse('9007199254740993-1'));
      expect(await admin.get(`kasho:{${name}}:applied`)).toBe('9007199254740993-1');
    });

    it('stores non-canonical positions the way Redis does (7-1, not 007-01)', async () => {
      await buffer.open();
      await buffer.append([insert('007-01')]);
      expect((await admin.xrange(`kasho:{${name}}:changes`, '-', '+'))[0][0]).toBe('7-1');
      expect(await buffer.append([insert('7-1')])).toEqual({ appended: 0, skipped: 1 });
    });

    it('reloads the append script after SCRIPT FLUSH (NOSCRIPT)', async () => {
      await buffer.open();
      await buffer.append(inserts(1n, 2));
      await admin.script('FLUSH');
      expect(await buffer.append(inserts(1n, 4))).toEqual({ appended: 2, skipped: 2 });
    });

    it('detects that another writer re-created the epoch', async () => {
      await buffer.open();
      await admin.del(`kasho:{${name}}:epoch`);
      const other = new RedisChangeBuffer({ url: redis.url, name });
      try {
        expect((await other.open()).fresh).toBe(true);
        await expect(buffer.append(inserts(1n, 1))).rejects.toThrow(BufferEpochChangedError);
        expect(await other.append(inserts(1n, 1))).toEqual({ appended: 1, skipped: 0 });
      } finally {
        await other.close();
      }
    });

    it('keeps pipelines apart', async () => {
      const other = new RedisChangeBuffer({ url: redis.url, name: `${name}-other` });
      try {
        await buffer.open();
        await other.open();
        await buffer.append(inserts(1n, 3));
        expect(await other.length()).toBe(0);
        expect(await other.lastPosition()).toBeNull();
      } finally {
        await other.close();
      }
    });

    it('does not read the keys of the layout before hash tags (kasho:<name>:…): the buffer opens fresh, so decoding restarts from the slot', async () => {
      await admin.set(`kasho:${name}:epoch`, 'old-epoch');
      await admin.set(`kasho:${name}:applied`, '5-0');
      await admin.xadd(`kasho:${name}:changes`, '5-0', 'c', '{}');
      expect((await buffer.open()).fresh).toBe(true);
      expect(await buffer.lastPosition()).toBeNull();
      expect(await buffer.getApplied()).toBeNull();
      expect(await buffer.append(inserts(1n, 2))).toEqual({ appended: 2, skipped: 0 });
    });

    it('refuses an invalid pipeline name', () => {
      expect(() => new RedisChangeBuffer({ url: redis.url, name: 'a b' })).toThrow('invalid buffer name');
    });
  });

  describe('frozen Redis (socket open, no answers)', () => {
    it('ends a blocking read within blockMs plus the grace instead of hanging, then reads normally again', async () => {
      const buffer = new RedisChangeBuffer({ url: redis.url, name: `frozen-${++pipeline}` });
      const info = await admin.info('server');
      const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
      expect(pid).toBeGreaterThan(0);
      try {
        await buffer.open();
        await buffer.append(inserts(1n, 1));
        const reader = buffer.openReader();
        expect(await reader.read(Position.ZERO, 10, 0)).toHaveLength(1);
        process.kill(pid, 'SIGSTOP');
        const started = Date.now();
        try {
          expect(await reader.read(Position.parse('1-0'), 10, 300)).toEqual([]);
        } finally {
          process.kill(pid, 'SIGCONT');
        }
        expect(Date.now() - started).toBeLessThan(5_000);
        await buffer.append(inserts(2n, 1));
        expect((await reader.read(Position.parse('1-0'), 10, 1_000)).map((e) => e.position.toString())).toEqual(['2-0']);
      } finally {
        await buffer.close();
      }
    });
  });

  describe('connection URL', () => {
    afterEach(async () => {
      await admin.config('SET', 'requirepass', '');
    });

    it('connects with a password and a database number', async () => {
      await admin.config('SET', 'requirepass', 's3cr3t/pw');
      const url = `redis://:${encodeURIComponent('s3cr3t/pw')}@127.0.0.1:${redis.port}/5`;
      const buffer = new RedisChangeBuffer({ url, name: 'auth' });
      try {
        await buffer.open();
        await buffer.append(inserts(1n, 2));
        await admin.auth('s3cr3t/pw');
        await admin.select(5);
        expect(await admin.xlen('kasho:{auth}:changes')).toBe(2);
        await admin.select(0);
        expect(await admin.exists('kasho:{auth}:changes')).toBe(0);
      } finally {
        await buffer.close();
      }
    });
  });
});
