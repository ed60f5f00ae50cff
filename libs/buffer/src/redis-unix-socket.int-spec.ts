import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Position } from '@kasho/contracts';
import { findBinary, inserts, positions, waitFor } from '@kasho/testing';
import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import Redis from 'ioredis';
import { BufferHealthIndicator } from './buffer.health';
import { BufferModule } from './buffer.module';
import { CHANGE_BUFFER } from './buffer.tokens';
import { ChangeBuffer } from './change-buffer';

jest.setTimeout(60_000);

/** KV_URL=unix:///path: the buffer on a real redis-server that listens on a Unix socket only (no TCP port). */
describe('BufferModule on a Unix socket (real redis-server)', () => {
  let dir: string;
  let socket: string;
  let server: ChildProcess | undefined;
  let admin: Redis | undefined;

  beforeAll(async () => {
    const binary = findBinary('redis-server');
    if (!binary) throw new Error('redis-server not found: install Redis (apt-get install -y redis-server)');
    dir = mkdtempSync(join(tmpdir(), 'kasho-redis-unix-'));
    socket = join(dir, 'redis.sock');
    server = spawn(binary, ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no', '--dir', dir], {
      stdio: 'ignore',
    });
    await waitFor(async () => existsSync(socket), { timeoutMs: 10_000, what: 'redis-server socket' });
    admin = new Redis({ path: socket, db: 2, lazyConnect: true, maxRetriesPerRequest: 1 });
    await admin.connect();
  });

  afterAll(async () => {
    admin?.disconnect();
    const proc = server;
    if (proc && proc.exitCode === null) {
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      });
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('appends and reads back through unix:///path?db=2, is healthy, and writes in that database', async () => {
    const app: INestApplicationContext = await (
      await Test.createTestingModule({
        imports: [BufferModule.forRoot({ url: `unix://${socket}?db=2`, name: 'unix', healthTimeoutMs: 2_000 })],
      }).compile()
    )
      .createNestApplication()
      .init();
    try {
      const buffer = app.get<ChangeBuffer>(CHANGE_BUFFER);
      expect((await buffer.open()).fresh).toBe(true);
      const written = inserts(7n, 3);
      await buffer.append(written);
      const read = await buffer.openReader().read(Position.parse('0-0'), 10, 1_000);
      expect(positions(read)).toEqual(positions(written));
      expect(positions(read)).toHaveLength(3);
      expect(await app.get(BufferHealthIndicator).check('redis')).toEqual({ redis: { status: 'up' } });
      // The buffer's keys are in database 2 of the server behind the socket.
      expect((await admin!.keys('kasho:*')).length).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });
});
