import { scrubSecrets } from '@kasho/logging';

describe('scrubSecrets', () => {
  it('masks passwords in URLs and keyword connection strings, keeping the rest', () => {
    expect(scrubSecrets('connect postgresql://kasho:s3cr%40t@db:5432/app failed')).toBe('connect postgresql://kasho:***@db:5432/app failed');
    expect(scrubSecrets('redis://:hunter2@redis:6379/0 and rediss://u:p@r')).toBe('redis://:***@redis:6379/0 and rediss://u:***@r');
    expect(scrubSecrets("host=db password='x y' user=k")).toBe('host=db password=*** user=k');
    expect(scrubSecrets('password=abc;port=1')).toBe('password=***;port=1');
  });

  it('leaves lines without credentials untouched', () => {
    expect(scrubSecrets('postgresql://kasho@db/app')).toBe('postgresql://kasho@db/app');
    expect(scrubSecrets('gRPC on :8080')).toBe('gRPC on :8080');
  });
});
