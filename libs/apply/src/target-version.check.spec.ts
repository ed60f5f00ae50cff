import type { Client } from 'pg';
import { UnsupportedServerVersionError } from '@kasho/runtime';
import { TargetVersionCheck } from './target-version.check';

const WHERE = 'REPLICA_DATABASE_URL (the target)';

function fakeClient(num: string, text: string): { client: Client; query: jest.Mock } {
  const query = jest.fn().mockResolvedValue({ rows: [{ num, text }] });
  return { client: { query } as unknown as Client, query };
}

describe('TargetVersionCheck.verify', () => {
  it('refuses a target older than 13 naming the variable, and checks again on the next connection', async () => {
    const check = new TargetVersionCheck({ connectionString: 'postgresql://u@127.0.0.1:1/db', connectionName: WHERE });
    const old = fakeClient('120022', '12.22');
    const err = await check.verify(old.client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedServerVersionError);
    expect((err as Error).message).toMatch(/^REPLICA_DATABASE_URL \(the target\) is PostgreSQL 12\.22; Kasho needs PostgreSQL 13 or newer/);
    await expect(check.verify(old.client)).rejects.toBeInstanceOf(UnsupportedServerVersionError);
    expect(old.query).toHaveBeenCalledTimes(2);
  });

  it('checks a supported target once, however many connections ask at the same time', async () => {
    const check = new TargetVersionCheck({ connectionString: 'postgresql://u@127.0.0.1:1/db', connectionName: WHERE });
    const ok = fakeClient('130023', '13.23');
    await Promise.all([check.verify(ok.client), check.verify(ok.client)]);
    await check.verify(ok.client);
    expect(ok.query).toHaveBeenCalledTimes(1);
  });
});
