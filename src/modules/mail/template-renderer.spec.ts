import {
  escapeHtml,
  findTemplatesDir,
  renderTemplate,
  TemplateRenderer,
} from './template-renderer';

describe('template renderer', () => {
  it('escapes values in HTML and not in text', () => {
    const values = { name: '<b>"O\'Neil" & co</b>' };
    expect(renderTemplate('Hi {{name}}', values, 'html')).toBe(
      'Hi &lt;b&gt;&quot;O&#39;Neil&quot; &amp; co&lt;/b&gt;',
    );
    expect(renderTemplate('Hi {{ name }}', values, 'text')).toBe(`Hi ${values.name}`);
    expect(escapeHtml('a&b')).toBe('a&amp;b');
  });

  it('refuses a missing value instead of rendering a blank', () => {
    expect(() => renderTemplate('{{link}}', {}, 'html')).toThrow('Template value missing: link');
  });

  it('does not re-expand placeholders found inside values', () => {
    expect(renderTemplate('{{a}}', { a: '{{b}}', b: 'x' }, 'text')).toBe('{{b}}');
  });

  it('finds templates/email and renders every template with the link in html and text', () => {
    const renderer = new TemplateRenderer(findTemplatesDir());
    const link = 'https://app.test/auth/callback#type=invite&token=abc';
    for (const name of ['partner-invitation', 'member-invitation', 'magic-link']) {
      const out = renderer.render(name, { displayName: 'Dr. A', link, expiresIn: '72 hours' });
      expect(out.html).toContain(link.replace('&', '&amp;'));
      expect(out.text).toContain(link);
      expect(out.html).not.toMatch(/\{\{/);
    }
    const partner = renderer.render('partner-invitation', {
      displayName: 'A',
      link,
      expiresIn: '72 hours',
    });
    for (const body of [partner.html, partner.text]) {
      expect(body).toMatch(/test data/i);
      expect(body).toMatch(/never reaches live/i);
      expect(body).toMatch(/expires in 72 hours/);
      expect(body).toMatch(/lithium/);
      expect(body).toMatch(/QT interval/);
    }
    expect(partner.html).toContain('max-width:600px');
    expect(partner.html.match(/bgcolor="#2f6b5e"/g)).toHaveLength(1); // one CTA button
  });

  it('rejects template names that could walk the file system', () => {
    expect(() => new TemplateRenderer(findTemplatesDir()).render('../x', {})).toThrow(
      'Bad template name',
    );
  });
});
