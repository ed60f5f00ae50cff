import { memoryBufferWarning } from './memory-buffer.check';

describe('memoryBufferWarning', () => {
  const GiB = 1024 ** 3;
  const options = (bufferUrl: string, maxBufferedBytes: number) => ({ bufferUrl, maxBufferedBytes, maxBufferedChanges: 200_000 });

  it('warns when KV_URL=memory:// may buffer more than a quarter of the heap, naming MAX_BUFFERED_BYTES', () => {
    expect(memoryBufferWarning(options('memory://', GiB), 2 * GiB)).toBe(
      `MAX_BUFFERED_BYTES=${GiB} with KV_URL=memory://: buffered changes live in this process's heap (limit ${2 * GiB} bytes); ` +
        `lower MAX_BUFFERED_BYTES to at most ${GiB / 2}, or use Redis`,
    );
  });

  it('is silent within the bound, and for Redis whatever the bound', () => {
    expect(memoryBufferWarning(options('memory://', 64 * 1024 ** 2), 2 * GiB)).toBeNull();
    expect(memoryBufferWarning(options('redis://r:6379', 8 * GiB), 2 * GiB)).toBeNull();
  });
});
