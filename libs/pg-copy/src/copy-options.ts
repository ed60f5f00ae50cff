import type { CopyFormat } from '@kasho/contracts';

/** The options that follow `COPY … TO STDOUT` or `COPY … FROM STDIN` for `format` (text is COPY's default). */
export function copyOptions(format: CopyFormat): string {
  return format === 'binary' ? ' WITH (FORMAT binary)' : '';
}
