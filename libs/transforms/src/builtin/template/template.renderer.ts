import type { Datum } from '@kasho/contracts';
import type { TemplateArg, TemplateNode, TemplatePipeline } from './template.ast';
import { parseTemplate } from './template.parser';

/** Reads a column of the row; `undefined` means the change does not carry it. */
export type FieldReader = (column: string) => Datum | undefined;

export interface CompiledTemplate {
  render(read: FieldReader): string;
  /** Every column the template reads. */
  readonly fields: readonly string[];
}

export class TemplateFieldMissingError extends Error {
  constructor(readonly field: string) {
    super(
      `template reads column '${field}', which this change does not carry (an unchanged TOAST value, ` +
        'or a column missing from the old key); refusing to guess its value',
    );
  }
}

/** Parses once (at boot) and returns a closure-based renderer. NULL renders as the empty string and is false in `if`. */
export function compileTemplate(source: string): CompiledTemplate {
  const nodes = parseTemplate(source);
  const fields = new Set<string>();
  collectFields(nodes, fields);
  const render = compileNodes(nodes);
  return { render, fields: [...fields] };
}

type Render = (read: FieldReader) => string;
type Value = (read: FieldReader) => string;

function compileNodes(nodes: TemplateNode[]): Render {
  const parts = nodes.map(compileNode);
  if (parts.length === 1) return parts[0];
  return (read) => {
    let out = '';
    for (const p of parts) out += p(read);
    return out;
  };
}

function compileNode(node: TemplateNode): Render {
  switch (node.kind) {
    case 'text': {
      const text = node.text;
      return () => text;
    }
    case 'output':
      return compilePipeline(node.pipeline);
    case 'if': {
      const condition = compilePipeline(node.condition);
      const then = compileNodes(node.then);
      const otherwise = compileNodes(node.otherwise);
      return (read) => (condition(read) !== '' ? then(read) : otherwise(read));
    }
  }
}

function compilePipeline(pipeline: TemplatePipeline): Value {
  let value: Value | undefined;
  for (const command of pipeline) {
    const args = command.args.map(compileArg);
    if (value) args.push(value);
    if (!command.fn) {
      value = args[0];
      continue;
    }
    value = applyFunction(command.fn, args);
  }
  return value as Value;
}

function compileArg(arg: TemplateArg): Value {
  if (arg.kind === 'string') {
    const s = arg.value;
    return () => s;
  }
  const name = arg.name;
  return (read) => {
    const v = read(name);
    if (v === undefined) throw new TemplateFieldMissingError(name);
    return v ?? '';
  };
}

function applyFunction(fn: string, args: Value[]): Value {
  const [a, b] = args;
  switch (fn) {
    case 'lower':
      return (read) => a(read).toLowerCase();
    case 'upper':
      return (read) => a(read).toUpperCase();
    case 'slugify':
      return (read) => slugify(a(read));
    case 'before':
      return (read) => {
        const s = b(read);
        const i = s.indexOf(a(read));
        return i < 0 ? s : s.slice(0, i);
      };
    case 'after':
      return (read) => {
        const s = b(read);
        const sep = a(read);
        const i = s.indexOf(sep);
        return i < 0 ? '' : s.slice(i + sep.length);
      };
    default:
      throw new Error(`unknown template function ${fn}`);
  }
}

/** Lower-case ASCII, accents removed (`é` → `e`), every other run of characters → `-`, no leading/trailing `-`. */
export function slugify(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function collectFields(nodes: TemplateNode[], into: Set<string>): void {
  const fromPipeline = (p: TemplatePipeline) => p.forEach((c) => c.args.forEach((a) => a.kind === 'field' && into.add(a.name)));
  for (const n of nodes) {
    if (n.kind === 'output') fromPipeline(n.pipeline);
    if (n.kind === 'if') {
      fromPipeline(n.condition);
      collectFields(n.then, into);
      collectFields(n.otherwise, into);
    }
  }
}
