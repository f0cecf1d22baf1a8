// The chain's headers: one per name whatever case the route or a middleware spells it in, a
// route's own content security policy the only one, and the shared default everywhere else.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { headerCounts, testContext, testEvent } from '../../test/support/lambda-event.ts';
import { NotFoundError } from '../domain/errors.ts';
import { logger } from '../observability/logger.ts';
import { type HttpResult, httpHandler } from './handler.ts';

beforeAll(() => {
  vi.spyOn(logger, 'info').mockImplementation(() => undefined); // the access-log line of each run
});

type Answer = APIGatewayProxyStructuredResultV2 & { headers: Record<string, string> };

async function run(options: { html?: boolean }, result: () => HttpResult | Promise<HttpResult>) {
  const handler = httpHandler(options, async () => result());
  return (await handler(testEvent({ method: 'GET', path: '/x' }), testContext())) as Answer;
}

function expectOnePerName(answer: Answer) {
  for (const [name, count] of headerCounts(answer.headers)) expect(count, name).toBe(1);
  for (const name of Object.keys(answer.headers)) expect(name).toBe(name.toLowerCase());
}

const csp = (answer: Answer) => answer.headers['content-security-policy'];

describe('content security policy', () => {
  it('is the page policy, once, on an HTML answer of a route not declared as serving pages', async () => {
    const answer = await run({}, () => ({ statusCode: 200, html: '<p>report</p>' }));
    expectOnePerName(answer);
    expect(csp(answer)).toContain("style-src 'unsafe-inline'");
    expect(csp(answer)).not.toContain('report-sample');
  });

  it('is the page policy, once, on a page route', async () => {
    const answer = await run({ html: true }, () => ({ statusCode: 200, html: '<p>page</p>' }));
    expectOnePerName(answer);
    expect(csp(answer)).toContain("form-action 'self'");
  });

  it('is the route’s own when it sets one, in whatever case, and never a second', async () => {
    for (const name of ['Content-Security-Policy', 'content-security-policy', 'CONTENT-SECURITY-POLICY']) {
      for (const html of [false, true]) {
        const answer = await run({ html }, () => ({
          statusCode: 200,
          html: '<p>own</p>',
          headers: { [name]: "default-src 'none'" },
        }));
        expectOnePerName(answer);
        expect(csp(answer), `${name} html=${html}`).toBe("default-src 'none'");
      }
      const json = await run({}, () => ({ statusCode: 200, body: {}, headers: { [name]: 'sandbox' } }));
      expectOnePerName(json);
      expect(csp(json)).toBe('sandbox');
    }
  });

  it('is the shared default, once, on JSON answers and on errors, pages’ routes included', async () => {
    for (const html of [false, true]) {
      const ok = await run({ html }, () => ({ statusCode: 200, body: { ok: true } }));
      const failed = await run({ html }, () => {
        throw new NotFoundError('filing');
      });
      expect(failed.statusCode).toBe(404);
      for (const answer of [ok, failed]) {
        expectOnePerName(answer);
        expect(csp(answer)).toContain("default-src 'report-sample'");
        expect(csp(answer)).not.toContain('unsafe-inline');
      }
    }
  });
});

describe('other headers', () => {
  it('keep the route’s value of a header the chain also sets, spelt in another case', async () => {
    const answer = await run({ html: true }, () => ({
      statusCode: 200,
      html: '<p>x</p>',
      headers: {
        'Referrer-Policy': 'same-origin',
        'X-Frame-Options': 'SAMEORIGIN',
        'Cache-Control': 'no-store',
      },
    }));
    expectOnePerName(answer);
    expect(answer.headers['referrer-policy']).toBe('same-origin');
    expect(answer.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('carry the same security headers on every answer as before', async () => {
    const answer = await run({}, () => ({ statusCode: 200, body: {} }));
    expect(answer.headers['strict-transport-security']).toContain('max-age=');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(answer.headers['cross-origin-embedder-policy']).toBe('require-corp');
    const page = await run({ html: true }, () => ({ statusCode: 200, html: '' }));
    expect(page.headers['cross-origin-embedder-policy']).toBe('unsafe-none');
  });
});
