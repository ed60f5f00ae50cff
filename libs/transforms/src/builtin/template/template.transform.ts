import { RegisterTransform } from '../../transform.decorator';
import { TransformOptionError } from '../../transform.errors';
import type { OptionSpecs, ResolvedOptions, Transform, TransformContext } from '../../transform.interface';
import { compileTemplate, CompiledTemplate } from './template.renderer';

/**
 * `{type: Template, template: '{{.name | slugify}}@example.com'}`. Renders against the row as
 * transformed by the value transforms (and by the row transforms it reads, which run first), so
 * it never sees a configured column's source value. A NULL column stays NULL.
 */
@RegisterTransform('Template')
export class TemplateTransform implements Transform<CompiledTemplate> {
  readonly phase = 'row';
  readonly options: OptionSpecs = { template: { type: 'string', required: true, description: 'a template string' } };
  readonly supportsUnique = true;

  prepare(options: ResolvedOptions): CompiledTemplate {
    const source = options.template as string;
    try {
      return compileTemplate(source);
    } catch (e) {
      if (e instanceof TransformOptionError) throw e;
      throw new TransformOptionError(`template: ${(e as Error).message}`);
    }
  }

  references(template: CompiledTemplate): readonly string[] {
    return template.fields;
  }

  apply(_value: string, ctx: TransformContext<CompiledTemplate>): string {
    return ctx.options.render((c) => ctx.row.get(c));
  }
}
