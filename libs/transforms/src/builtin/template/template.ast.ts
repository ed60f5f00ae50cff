/** An argument of a template command: a column of the row (`.email`) or a string literal (`"@"`). */
export type TemplateArg = { kind: 'field'; name: string } | { kind: 'string'; value: string };

/** `lower`, `before "@"`, or (first command only) a bare argument. */
export interface TemplateCommand {
  fn?: string;
  args: TemplateArg[];
}

/** Commands joined by `|`: each one's result is the last argument of the next. */
export type TemplatePipeline = TemplateCommand[];

export type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'output'; pipeline: TemplatePipeline }
  | { kind: 'if'; condition: TemplatePipeline; then: TemplateNode[]; otherwise: TemplateNode[] };
