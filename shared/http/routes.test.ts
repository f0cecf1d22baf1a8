import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { matchPath, ROUTES } from './routes.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('matchPath', () => {
  it('matches a literal path with no parameters', () => {
    expect(matchPath('/programs', '/programs')).toEqual({});
    expect(matchPath('/openapi.json', '/openapi.json')).toEqual({});
  });

  it('returns the path parameters by name', () => {
    expect(matchPath('/programs/{programId}', '/programs/liaoning-cso')).toEqual({
      programId: 'liaoning-cso',
    });
    expect(matchPath('/filings/{filingId}/withdraw', '/filings/F0123456789ABC/withdraw')).toEqual({
      filingId: 'F0123456789ABC',
    });
  });

  it('decodes percent-encoded parameters', () => {
    expect(matchPath('/programs/{programId}', '/programs/a%20b%2Fc')).toEqual({ programId: 'a b/c' });
    expect(matchPath('/programs/{programId}', '/programs/%E8%BE%BD%E5%AE%81')).toEqual({ programId: '辽宁' });
  });

  it('refuses a different literal segment', () => {
    expect(matchPath('/filings/{filingId}/withdraw', '/filings/F1/amend')).toBeUndefined();
    expect(matchPath('/programs', '/filings')).toBeUndefined();
  });

  it('refuses a different number of segments', () => {
    expect(matchPath('/programs/{programId}', '/programs')).toBeUndefined();
    expect(matchPath('/programs/{programId}', '/programs/a/filings')).toBeUndefined();
    expect(matchPath('/programs', '/programs/')).toBeUndefined();
  });

  it('refuses an empty parameter segment', () => {
    expect(matchPath('/programs/{programId}', '/programs/')).toBeUndefined();
    expect(matchPath('/programs/{programId}/filings', '/programs//filings')).toBeUndefined();
  });
});

describe('ROUTES', () => {
  it.each(ROUTES.map((r) => [r.id, r.handler] as const))(
    '%s: %s exists and exports a handler',
    async (_id, file) => {
      expect(file).toMatch(/^functions\/.+\.ts$/);
      expect(existsSync(`${root}${file}`)).toBe(true);
      const mod = (await import(`${root}${file}`)) as { handler?: unknown };
      expect(typeof mod.handler).toBe('function');
    },
  );

  it('has unique ids', () => {
    const ids = ROUTES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has unique method + path pairs', () => {
    const keys = ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('uses API Gateway path syntax and routes with a body only for writes', () => {
    for (const route of ROUTES) {
      expect(route.path).toMatch(/^\/([\w.-]+|\{\w+\})(\/([\w.-]+|\{\w+\}))*$/);
      if (route.body) expect(['POST', 'PUT']).toContain(route.method);
      expect(route.summary.zh.length).toBeGreaterThan(0);
      expect(route.summary.en.length).toBeGreaterThan(0);
    }
  });

  it('makes every filing route other than submit require the receipt', () => {
    for (const route of ROUTES.filter((r) => r.path.startsWith('/filings/'))) {
      expect(route.access).toBe('receipt');
    }
  });

  it('matches every route path against a concrete path with its parameters', () => {
    for (const route of ROUTES) {
      const concrete = route.path.replaceAll(/\{(\w+)\}/g, 'x-$1');
      const params = matchPath(route.path, concrete);
      expect(params).toBeDefined();
      for (const [name, value] of Object.entries(params ?? {})) expect(value).toBe(`x-${name}`);
    }
  });
});
