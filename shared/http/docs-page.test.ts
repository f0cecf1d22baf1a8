import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { DOCS_ASSETS, DOCS_CSP, DOCS_INIT_SCRIPT, renderDocsPage } from './docs-page.ts';

const html = renderDocsPage('Standards-officer programmes API');

/** The page's directives by name. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );
}

describe('renderDocsPage', () => {
  it('is a complete page titled after the API, its title escaped', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<title>Standards-officer programmes API</title>');
    expect(renderDocsPage('<script>x</script>')).toContain('<title>&lt;script&gt;x&lt;/script&gt;</title>');
  });

  it('loads the renderer and its start-up script from this origin, relative to /docs, and nothing inline', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((m) => m[1]?.trim())).toEqual([
      'src="docs/assets/swagger-ui.js"',
      'src="docs/assets/init.js"',
    ]);
    for (const m of scripts) expect(m[2]).toBe('');
    expect(html).toContain('<link rel="stylesheet" href="docs/assets/swagger-ui.css">');
    expect(html).toContain('<link rel="stylesheet" href="docs/assets/docs.css">');
    // No inline style either: the policy allows none.
    expect(html).not.toMatch(/<style\b|\sstyle=/);
    // Resolved against the page, every script and style is of the page's origin.
    const base = 'https://api.example.test/docs';
    for (const [, url] of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      expect(new URL(url ?? '', base).origin).toBe('https://api.example.test');
    }
    expect(html).not.toMatch(/\bon\w+=/);
  });

  it('links the raw document for a browser without JavaScript, in both languages', () => {
    expect(html).toMatch(
      /<noscript>[\s\S]*本页需要 JavaScript[\s\S]*This page needs JavaScript[\s\S]*<\/noscript>/,
    );
    expect(html).toContain('<a href="openapi.json">');
    expect(html).toContain('<div id="swagger-ui"></div>');
  });
});

describe('DOCS_CSP', () => {
  const policy = directives(DOCS_CSP);

  it('allows scripts, fetches and style sheets of this origin only, never eval or inline script', () => {
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:']);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(DOCS_CSP).not.toMatch(/unsafe-/);
    expect(DOCS_CSP).not.toMatch(/https?:|\*/);
  });
});

describe('DOCS_INIT_SCRIPT', () => {
  it('starts Swagger UI on the document beside the page, with no third-party validator', () => {
    let onLoad: (() => void) | undefined;
    const calls: Record<string, unknown>[] = [];
    const SwaggerUIBundle = Object.assign(
      (config: Record<string, unknown>) => {
        calls.push(config);
        return { started: true };
      },
      { presets: { apis: 'apis-preset' } },
    );
    const window: Record<string, unknown> = {
      addEventListener: (event: string, fn: () => void) => {
        if (event === 'DOMContentLoaded') onLoad = fn;
      },
    };
    const attributes: Record<string, string> = {};
    const servers = { setAttribute: (name: string, value: string) => (attributes[name] = value) };
    runInNewContext(DOCS_INIT_SCRIPT, {
      window,
      SwaggerUIBundle,
      URL,
      document: {
        baseURI: 'https://api.example.test/stage/docs',
        getElementById: (id: string) => (id === 'servers' ? servers : null),
      },
    });
    expect(calls).toEqual([]);
    onLoad?.();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      url: 'https://api.example.test/stage/openapi.json',
      dom_id: '#swagger-ui',
      validatorUrl: null,
      presets: ['apis-preset'],
    });
    expect(window.ui).toEqual({ started: true });
    // No deep links (a link inside each toggle button); the servers choice named once rendered.
    expect(calls[0]?.deepLinking).toBe(false);
    const onComplete = calls[0]?.onComplete;
    if (typeof onComplete !== 'function') throw new Error('no onComplete');
    onComplete();
    expect(attributes['aria-label']).toBe('Servers / 服务地址');
  });
});

describe('DOCS_ASSETS', () => {
  it('has our own script and style sheet as text, the renderer’s as files of the installed package', () => {
    expect(DOCS_ASSETS['init.js'].text).toBe(DOCS_INIT_SCRIPT);
    expect(DOCS_ASSETS['docs.css'].text).toContain('.docs-heading');
  });

  it('names files the installed renderer package has', () => {
    const resolve = createRequire(import.meta.url).resolve;
    const files = Object.values(DOCS_ASSETS).flatMap((a) => (a.file ? [a.file] : []));
    expect(files).toEqual(['swagger-ui-dist/swagger-ui-bundle.js', 'swagger-ui-dist/swagger-ui.css']);
    for (const file of files) expect(existsSync(resolve(file))).toBe(true);
  });
});
