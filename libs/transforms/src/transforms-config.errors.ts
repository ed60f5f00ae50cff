/** One problem found in transforms.yml: where it is and what is wrong. */
export interface ConfigIssue {
  file: string;
  /** 1-based line, when known. */
  line?: number;
  /** `schema.table.column`, `schema.table` or `version`, when the problem belongs to one. */
  path?: string;
  message: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line ? `${issue.file}:${issue.line}` : issue.file;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** Every problem of the transforms config at once; nothing is applied when this is thrown. */
export class TransformConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(`Invalid transforms config (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` + issues.map((i) => `  - ${formatIssue(i)}`).join('\n'));
    this.name = 'TransformConfigError';
  }
}
