import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

export type TemplateValues = Readonly<Record<string, string>>;

/**
 * `{{name}}` placeholders only: no logic, no partials, nothing a value could inject. HTML
 * output escapes every value; an unknown placeholder is an error (a typo must not ship a
 * blank link).
 */
export function renderTemplate(
  source: string,
  values: TemplateValues,
  format: 'html' | 'text',
): string {
  return source.replace(/\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`Template value missing: ${name}`);
    return format === 'html' ? escapeHtml(value) : value;
  });
}

/**
 * Where templates/email lives: next to the sources (repo root) or, after `nest build`, in
 * dist/templates (nest-cli.json copies it). Resolved from this file first, then the cwd.
 */
export function findTemplatesDir(): string {
  const candidates = [
    resolve(__dirname, '../../../templates/email'), // src/modules/mail → templates, dist/src/modules/mail → dist/templates
    resolve(__dirname, '../../templates/email'),
    resolve(process.cwd(), 'templates/email'),
    resolve(process.cwd(), 'dist/templates/email'),
  ];
  const found = candidates.find((dir) => existsSync(join(dir, 'magic-link.html')));
  if (!found) throw new Error(`Email templates not found; looked in ${candidates.join(', ')}`);
  return found;
}

export interface RenderedEmail {
  readonly html: string;
  readonly text: string;
}

/** Reads `<name>.html` and `<name>.txt` once and renders both. */
export class TemplateRenderer {
  private readonly cache = new Map<string, { html: string; text: string }>();

  constructor(private readonly dir: string = findTemplatesDir()) {}

  render(name: string, values: TemplateValues): RenderedEmail {
    if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`Bad template name: ${name}`);
    let sources = this.cache.get(name);
    if (!sources) {
      sources = {
        html: readFileSync(join(this.dir, `${name}.html`), 'utf8'),
        text: readFileSync(join(this.dir, `${name}.txt`), 'utf8'),
      };
      this.cache.set(name, sources);
    }
    return {
      html: renderTemplate(sources.html, values, 'html'),
      text: renderTemplate(sources.text, values, 'text'),
    };
  }
}
