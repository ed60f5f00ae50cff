const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@]+@/gi;
const KEYWORD_PASSWORD = /\b(password|passwd|pwd)(\s*=\s*)('[^']*'|"[^"]*"|[^\s&;]+)/gi;

/**
 * Defence in depth for log lines: passwords in URLs (`scheme://user:***@host`) and in keyword
 * connection strings (`password=***`) are masked even if some message carries one.
 */
export function scrubSecrets(text: string): string {
  if (!text.includes('://') && !/pass|pwd/i.test(text)) return text;
  return text.replace(URL_CREDENTIALS, '$1:***@').replace(KEYWORD_PASSWORD, '$1$2***');
}
