import { describe, expect, it } from 'vitest';
import { escapeHtml, page } from './html.ts';

describe('escapeHtml', () => {
  it('escapes the five HTML special characters', () => {
    expect(escapeHtml('<script>')).toBe('&lt;script&gt;');
    expect(escapeHtml(`a & b "c" 'd'`)).toBe('a &amp; b &quot;c&quot; &#39;d&#39;');
  });

  it('escapes ampersands first, so entities are not double-decoded', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });

  it('turns any value into text', () => {
    expect(escapeHtml(42)).toBe('42');
    expect(escapeHtml(undefined)).toBe('undefined');
    expect(escapeHtml(['<a>', 'b'])).toBe('&lt;a&gt;,b');
    expect(escapeHtml('首席标准官')).toBe('首席标准官');
  });
});

describe('page', () => {
  it('frames a body in a complete phone-friendly Chinese page', () => {
    const html = page('接口说明', '<p>hello</p>');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('name="viewport"');
    expect(html).toContain('<title>接口说明</title>');
    expect(html).toContain('<body>\n<p>hello</p>\n</body>');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('escapes the title but not the body (the body is already HTML)', () => {
    const html = page('</title><script>alert(1)</script>', '<em>x</em>');
    expect(html).toContain('<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<em>x</em>');
  });

  it('uses only inline styles (no external resources)', () => {
    const html = page('t', '');
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<link|<script|src=/);
  });
});
