import { createServer } from 'node:net';
import { closePg, connectPg, withPg } from '@kasho/runtime';

/** A loopback port that refuses connections: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('connectPg / withPg', () => {
  it('rejects with the connection error and never runs the work when the server refuses', async () => {
    const port = await closedPort();
    const work = jest.fn(async () => 1);
    await expect(withPg({ host: '127.0.0.1', port, user: 'x', database: 'x', connectionTimeoutMillis: 2_000 }, work)).rejects.toThrow(/ECONNREFUSED/);
    expect(work).not.toHaveBeenCalled();
    await expect(connectPg({ host: '127.0.0.1', port, user: 'x', database: 'x', connectionTimeoutMillis: 2_000 })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('closePg accepts undefined', async () => {
    await expect(closePg(undefined)).resolves.toBeUndefined();
  });
});
