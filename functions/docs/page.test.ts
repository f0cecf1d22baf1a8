// GET /docs through the whole HTTP chain: one Content-Security-Policy, the docs page's own, and
// only scripts of the page's origin.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DOCS_CSP } from '#shared/http/docs-page.ts';
import { logger } from '#shared/observability/logger.ts';
import { headerCounts, testContext, testEvent } from '../../test/support/lambda-event.ts';
import { handler } from './page.ts';

beforeAll(() => {
  vi.spyOn(logger, 'info').mockImplementation(() => undefined);
});

describe('GET /docs', () => {
  it('answers with exactly one CSP, the docs policy, and loads only same-origin scripts', async () => {
    const answer = (await handler(
      testEvent({ method: 'GET', path: '/docs', headers: { 'Content-Security-Policy': 'script-src *' } }),
      testContext(),
    )) as APIGatewayProxyStructuredResultV2;
    expect(answer.statusCode).toBe(200);
    expect(answer.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(headerCounts(answer.headers).get('content-security-policy')).toBe(1);
    expect(answer.headers?.['content-security-policy']).toBe(DOCS_CSP);
    expect(answer.headers?.['x-content-type-options']).toBe('nosniff');
    const body = String(answer.body);
    expect(body).not.toMatch(/http-equiv="content-security-policy"/i);
    const scripts = [...body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(2);
    for (const [, attributes, inline] of scripts) {
      expect(inline).toBe('');
      const src = /\bsrc="([^"]+)"/.exec(attributes ?? '')?.[1];
      expect(src).toBeDefined();
      expect(new URL(src ?? '', 'https://api.example.test/docs').origin).toBe('https://api.example.test');
    }
  });
});
