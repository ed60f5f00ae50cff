import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedDir } from './download-cache';

describe('cachedDir', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'kasho-cache-spec-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('fills a folder once when several callers ask at the same time, and returns it complete to all', async () => {
    const dir = join(root, 'pkg');
    let fills = 0;
    const fill = async (tmp: string) => {
      fills++;
      await new Promise((resolve) => setTimeout(resolve, 200));
      writeFileSync(join(tmp, 'initdb'), 'x');
    };
    const dirs = await Promise.all([cachedDir(dir, fill), cachedDir(dir, fill), cachedDir(dir, fill)]);
    expect(dirs).toEqual([dir, dir, dir]);
    expect(fills).toBe(1);
    expect(readFileSync(join(dir, 'initdb'), 'utf8')).toBe('x');
    expect(existsSync(`${dir}.lock`)).toBe(false);
    await cachedDir(dir, fill);
    expect(fills).toBe(1);
  });

  it('leaves neither a half-filled folder nor a lock after a failed fill, so the next call tries again', async () => {
    const dir = join(root, 'pkg');
    await expect(
      cachedDir(dir, async (tmp) => {
        writeFileSync(join(tmp, 'half'), 'x');
        throw new Error('offline');
      }),
    ).rejects.toThrow('offline');
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(`${dir}.lock`)).toBe(false);
    await cachedDir(dir, async (tmp) => writeFileSync(join(tmp, 'whole'), 'y'));
    expect(existsSync(join(dir, 'whole'))).toBe(true);
    expect(existsSync(join(dir, 'half'))).toBe(false);
  });
});
