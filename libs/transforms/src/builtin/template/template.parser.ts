import { TransformOptionError } from '../../transform.errors';
import type { TemplateArg, TemplateCommand, TemplateNode, TemplatePipeline } from './template.ast';

/** Functions a pipeline may call, with the number of string arguments each takes before the piped value. */
export const TEMPLATE_FUNCTIONS: Record<string, number> = { lower: 0, upper: 0, slugify: 0, before: 1, after: 1 };

type Token = { kind: 'field' | 'string' | 'ident' | 'pipe'; value: string; at: number };

/**
 * Parses the Go text/template subset Kasho supports: text, `{{.column}}`, `{{"literal"}}`, pipes
 * (`{{.email | before "@" | lower}}`, or prefix form `{{lower .name}}`), `{{if P}}…{{else if P}}…{{else}}…{{end}}`,
 * comments `{{/* … *\/}}` and the trim markers `{{-` / `-}}`. No eval, no method calls.
 */
export function parseTemplate(source: string): TemplateNode[] {
  const parser = new Parser(source);
  const nodes = parser.nodes(['eof']);
  return nodes.body;
}

class Parser {
  private pos = 0;
  private trimNext = false;

  constructor(private readonly src: string) {}

  nodes(stops: string[]): { body: TemplateNode[]; stop: string; condition?: TemplatePipeline } {
    const body: TemplateNode[] = [];
    for (;;) {
      const open = this.src.indexOf('{{', this.pos);
      let text = this.src.slice(this.pos, open < 0 ? undefined : open);
      if (this.trimNext) text = text.replace(/^\s+/, '');
      this.trimNext = false;
      if (open < 0) {
        if (text) body.push({ kind: 'text', text });
        this.pos = this.src.length;
        if (!stops.includes('eof')) throw this.error('missing {{end}}', this.src.length);
        return { body, stop: 'eof' };
      }
      const trimLeft = this.src.startsWith('{{- ', open);
      if (trimLeft) text = text.replace(/\s+$/, '');
      if (text) body.push({ kind: 'text', text });
      const close = this.src.indexOf('}}', open + 2);
      if (close < 0) throw this.error('unclosed action {{', open);
      const trimRight = this.src[close - 1] === '-' && this.src[close - 2] === ' ';
      const inner = this.src.slice(open + (trimLeft ? 3 : 2), trimRight ? close - 1 : close);
      const innerAt = open + (trimLeft ? 3 : 2);
      this.pos = close + 2;
      this.trimNext = trimRight;
      const trimmed = inner.trim();
      if (trimmed.startsWith('/*')) {
        if (!trimmed.endsWith('*/')) throw this.error('unclosed comment', open);
        continue;
      }
      const tokens = this.tokenize(inner, innerAt);
      if (!tokens.length) throw this.error('empty action {{}}', open);
      const head = tokens[0];
      if (head.kind === 'ident' && head.value === 'if') {
        body.push(this.ifNode(tokens.slice(1), open));
      } else if (head.kind === 'ident' && (head.value === 'else' || head.value === 'end')) {
        if (!stops.includes(head.value)) throw this.error(`unexpected {{${head.value}}}`, open);
        if (head.value === 'else' && tokens[1]?.kind === 'ident' && tokens[1].value === 'if') {
          return { body, stop: 'else if', condition: this.pipeline(tokens.slice(2), open) };
        }
        if (tokens.length > 1) throw this.error(`unexpected tokens after ${head.value}`, tokens[1].at);
        return { body, stop: head.value };
      } else {
        body.push({ kind: 'output', pipeline: this.pipeline(tokens, open) });
      }
    }
  }

  private ifNode(conditionTokens: Token[], at: number): TemplateNode {
    const condition = this.pipeline(conditionTokens, at);
    const then = this.nodes(['else', 'end']);
    let otherwise: TemplateNode[] = [];
    if (then.stop === 'else') {
      otherwise = this.nodes(['end']).body;
    } else if (then.stop === 'else if') {
      // `{{else if P}}` nests: the inner if consumes the single closing {{end}}.
      const inner = this.ifRest(then.condition as TemplatePipeline);
      otherwise = [inner];
    }
    return { kind: 'if', condition, then: then.body, otherwise };
  }

  private ifRest(condition: TemplatePipeline): TemplateNode {
    const then = this.nodes(['else', 'end']);
    let otherwise: TemplateNode[] = [];
    if (then.stop === 'else') otherwise = this.nodes(['end']).body;
    else if (then.stop === 'else if') otherwise = [this.ifRest(then.condition as TemplatePipeline)];
    return { kind: 'if', condition, then: then.body, otherwise };
  }

  private pipeline(tokens: Token[], at: number): TemplatePipeline {
    if (!tokens.length) throw this.error('missing value', at);
    const commands: TemplateCommand[] = [];
    let current: Token[] = [];
    const flush = (first: boolean) => {
      if (!current.length) throw this.error('empty command in pipeline', at);
      commands.push(this.command(current, first));
      current = [];
    };
    for (const t of tokens) {
      if (t.kind === 'pipe') flush(commands.length === 0);
      else current.push(t);
    }
    flush(commands.length === 0);
    return commands;
  }

  private command(tokens: Token[], first: boolean): TemplateCommand {
    const [head, ...rest] = tokens;
    if (head.kind === 'ident') {
      const arity = TEMPLATE_FUNCTIONS[head.value];
      if (arity === undefined) {
        throw this.error(`unknown function '${head.value}' (known: ${Object.keys(TEMPLATE_FUNCTIONS).join(', ')})`, head.at);
      }
      const args = rest.map((t) => this.arg(t));
      const expected = first ? arity + 1 : arity;
      if (args.length !== expected) {
        throw this.error(`${head.value} takes ${arity === 0 ? 'no' : arity} argument${arity === 1 ? '' : 's'} besides the piped value`, head.at);
      }
      return { fn: head.value, args };
    }
    if (!first) throw this.error('a command after | must be a function', head.at);
    if (rest.length) throw this.error('unexpected argument; did you forget a |?', rest[0].at);
    return { args: [this.arg(head)] };
  }

  private arg(t: Token): TemplateArg {
    if (t.kind === 'field') return { kind: 'field', name: t.value };
    if (t.kind === 'string') return { kind: 'string', value: t.value };
    throw this.error(`unexpected '${t.value}'`, t.at);
  }

  private tokenize(inner: string, offset: number): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < inner.length) {
      const ch = inner[i];
      const at = offset + i;
      if (/\s/.test(ch)) {
        i++;
      } else if (ch === '|') {
        tokens.push({ kind: 'pipe', value: '|', at });
        i++;
      } else if (ch === '.') {
        const m = /^\.([A-Za-z_][A-Za-z0-9_]*)/.exec(inner.slice(i));
        if (!m) throw this.error('expected a column name after .', at);
        tokens.push({ kind: 'field', value: m[1], at });
        i += m[0].length;
      } else if (ch === '"' || ch === '`') {
        const end = this.stringEnd(inner, i, ch);
        const raw = inner.slice(i, end + 1);
        tokens.push({ kind: 'string', value: ch === '`' ? raw.slice(1, -1) : (JSON.parse(raw) as string), at });
        i = end + 1;
      } else {
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(inner.slice(i));
        if (!m) throw this.error(`unexpected character '${ch}'`, at);
        tokens.push({ kind: 'ident', value: m[0], at });
        i += m[0].length;
      }
    }
    return tokens;
  }

  private stringEnd(s: string, start: number, quote: string): number {
    for (let i = start + 1; i < s.length; i++) {
      if (quote === '"' && s[i] === '\\') i++;
      else if (s[i] === quote) return i;
    }
    throw this.error('unterminated string', start);
  }

  private error(message: string, at: number): TransformOptionError {
    return new TransformOptionError(`template: ${message} (at character ${at + 1})`);
  }
}
