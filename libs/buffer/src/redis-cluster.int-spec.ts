import { Position } from '@kasho/contracts';
import { EphemeralRedisCluster, inserts, positions } from '@kasho/testing';
import type { Cluster } from 'ioredis';
import { changeBufferContract } from '../test/change-buffer.contract';
import { bufferKeys } from './buffer.options';
import { RedisChangeBuffer } from './redis-change-buffer';

jest.setTimeout(60_000);

describe('RedisChangeBuffer on a three-node Redis Cluster (real redis-server --cluster-enabled)', () => {
  let cluster: EphemeralRedisCluster;
  let admin: Cluster;
  let pipeline = 0;

  beforeAll(async () => {
    cluster = await EphemeralRedisCluster.start(3);
    admin = cluster.client();
  });
  afterAll(async () => {
    admin?.disconnect();
    await cluster?.stop();
  });

  describe('contract', () => {
    changeBufferContract(async () => {
      const name = `contract-${++pipeline}`;
      const { stream } = bufferKeys(name);
      return {
        buffer: new RedisChangeBuffer({ url: cluster.url, name }),
        loseData: () => cluster.flushAll(),
        loseEntries: async (lost) => {
          await admin.xdel(stream, ...lost.map(String));
        },
        loseTail: async (count) => {
          const entries = await admin.xrange(stream, '-', '+');
          const kept = entries.slice(0, Math.max(0, entries.length - count));
          await admin.del(stream);
          for (const [id, fields] of kept) await admin.xadd(stream, id, ...fields);
        },
      };
    });
  });

  describe('slots', () => {
    /** The master port owning each slot, from CLUSTER SLOTS. */
    async function owners(): Promise<(slot: number) => number> {
      const ranges = await admin.cluster('SLOTS');
      return (slot) => {
        const range = ranges.find(([from, to]) => slot >= from && slot <= to);
        if (!range) throw new Error(`slot ${slot} has no owner`);
        return Number(range[2][1]);
      };
    }
    const slotOf = async (key: string) => Number(await admin.cluster('KEYSLOT', key));

    it("puts every key of one pipeline in one slot, and spreads pipelines over the cluster's nodes", async () => {
      const ownerOf = await owners();
      const placed: { name: string; slot: number; port: number }[] = [];
      for (let i = 0; i < 50 && new Set(placed.map((p) => p.port)).size < 2; i++) {
        const name = `spread-${i}`;
        const keys = Object.values(bufferKeys(name));
        const slots = new Set(await Promise.all(keys.map(slotOf)));
        expect(slots.size).toBe(1);
        const [slot] = [...slots];
        placed.push({ name, slot, port: ownerOf(slot) });
      }
      const a = placed[0];
      const b = placed.find((p) => p.port !== a.port);
      expect(b).toBeDefined();
      expect(b!.slot).not.toBe(a.slot);

      const buffers = [a, b!].map(({ name }) => new RedisChangeBuffer({ url: cluster.url, name }));
      try {
        for (const [i, buffer] of buffers.entries()) {
          await buffer.open();
          await buffer.append(inserts(1n, 2 + i));
          await buffer.setApplied(Position.parse('1-0'));
          const reader = buffer.openReader();
          expect(positions(await reader.read(Position.ZERO, 10, 0, 1 << 20))).toHaveLength(2 + i);
          await reader.close();
        }
        // Every key of each pipeline sits on the node that owns its slot (direct, non-cluster connection).
        for (const { name, port } of [a, b!]) {
          const node = admin.nodes('master').find((n) => n.options.port === port)!;
          const keys = Object.values(bufferKeys(name));
          expect(await node.exists(...keys)).toBe(keys.length);
        }
        expect(await buffers[0].length()).toBe(2);
        expect(await buffers[1].length()).toBe(3);
      } finally {
        await Promise.all(buffers.map((buffer) => buffer.close()));
      }
    });

    it('reports the most evicting maxmemory-policy of all masters', async () => {
      const buffer = new RedisChangeBuffer({ url: cluster.url, name: `policy-${++pipeline}` });
      const [, second] = admin.nodes('master');
      try {
        expect(await buffer.evictionPolicy()).toBe('noeviction');
        await second.config('SET', 'maxmemory-policy', 'allkeys-lru');
        expect(await buffer.evictionPolicy()).toBe('allkeys-lru');
      } finally {
        await second.config('SET', 'maxmemory-policy', 'noeviction');
        await buffer.close();
      }
    });
  });
});
