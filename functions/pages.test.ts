// Every route that answers with HTML, through its real handler and the whole HTTP chain, with
// its services replaced: exactly one Content-Security-Policy, the page policy, which lets the
// page's own inline styles apply (two policies are both enforced, so a second, stricter one
// blocked the report's styles).
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ROUTES } from '#shared/http/routes.ts';
import { logger } from '#shared/observability/logger.ts';
import { headerCounts, testContext, testEvent } from '../test/support/lambda-event.ts';

const PAGE = { status: 200, html: '<!doctype html><style>p{color:red}</style><p>page</p>' };

vi.mock('#shared/wiring/review-services.ts', () => ({ reviewServices: () => ({}) }));
vi.mock('#shared/wiring/workflow-services.ts', () => ({ workflowServices: () => ({ deps: {} }) }));
vi.mock('#shared/wiring/return-services.ts', () => ({ returnPageServices: () => ({}) }));
// The use cases answer an outcome and the views render it: the views answer the one page here.
vi.mock('#shared/use-cases/workflow/review.ts', () => ({
  openReview: async () => ({}),
  findReviewLink: async () => ({ kind: 'filing_link', link: {} }),
  decideFiling: async () => ({}),
  decideBatch: async () => ({}),
  sendBatchFromLink: async () => ({}),
}));
vi.mock('#shared/views/review-pages.ts', () => ({
  reviewPage: () => PAGE,
  filingDecisionPage: () => PAGE,
  batchDecisionPage: () => PAGE,
  refusalPage: () => PAGE,
  batchSentPage: () => PAGE,
}));
vi.mock('#shared/use-cases/returns/pages.ts', () => ({
  openReturn: async () => ({}),
  submitReturn: async () => ({}),
}));
vi.mock('#shared/views/return-pages.ts', () => ({
  langOf: () => 'zh',
  returnPage: () => PAGE,
  returnPostPage: () => PAGE,
}));
// The report is computed from no counters and stored nowhere; authorization and rendering are real.
vi.mock('#shared/wiring/report-services.ts', () => ({
  reportServices: () => ({
    counters: { countersUpTo: async () => [] },
    store: { put: async () => undefined },
    mailer: {
      send: async () => {
        throw new Error('the staff route does not mail');
      },
    },
    now: () => new Date('2026-03-01T00:00:00Z'),
  }),
}));

beforeAll(() => {
  vi.spyOn(logger, 'info').mockImplementation(() => undefined);
});

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const pages = [
  { handler: 'review/page.ts', method: 'GET', path: '/review/{token}', params: { token: 't' } },
  {
    handler: 'review/decide.ts',
    method: 'POST',
    path: '/review/{token}',
    params: { token: 't' },
    form: true,
  },
  {
    handler: 'review/batch.ts',
    method: 'POST',
    path: '/review/{token}/batch',
    params: { token: 't' },
    form: true,
  },
  { handler: 'returns/page.ts', method: 'GET', path: '/return/{token}', params: { token: 't' } },
  {
    handler: 'returns/submit.ts',
    method: 'POST',
    path: '/return/{token}',
    params: { token: 't' },
    form: true,
  },
  { handler: 'docs/page.ts', method: 'GET', path: '/docs', params: {} },
  {
    handler: 'staff/report.ts',
    method: 'GET',
    path: '/staff/programs/{programId}/report',
    params: { programId: 'liaoning-cso' },
    query: { format: 'html', asOf: '2026-02-28' },
    claims: { sub: 'p', 'cognito:groups': '[province-liaoning-cso]' },
  },
] as const;

describe('HTML answers', () => {
  it('are checked here for every route whose handler can answer with a page', () => {
    const html = ROUTES.filter((r) =>
      /\bhtml\b/.test(readFileSync(new URL(`../${r.handler}`, import.meta.url), 'utf8')),
    );
    expect(new Set(html.map((r) => r.handler.replace(/^functions\//, '')))).toEqual(
      new Set(pages.map((p) => p.handler)),
    );
  });

  it.each(pages.map((p) => [`${p.method} ${p.path} (${p.handler})`, p] as const))(
    '%s: one CSP, the page policy',
    async (_name, page) => {
      const { handler } = (await import(`./${page.handler.replace(/\.ts$/, '')}.ts`)) as {
        handler: (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
      };
      const answer = await handler(
        testEvent({
          method: page.method,
          path: page.path,
          pathParameters: page.params,
          ...('form' in page ? { headers: FORM, body: '' } : {}),
          ...('query' in page ? { query: page.query } : {}),
          ...('claims' in page ? { claims: page.claims } : {}),
        }),
        testContext(),
      );
      expect(answer.statusCode).toBe(200);
      expect(answer.headers?.['content-type']).toBe('text/html; charset=utf-8');
      expect(headerCounts(answer.headers).get('content-security-policy')).toBe(1);
      const csp = String(answer.headers?.['content-security-policy']);
      // The docs page has a stricter policy of its own (style sheets of this origin only).
      if (page.handler === 'docs/page.ts') expect(csp).toContain("style-src 'self'");
      else expect(csp).toContain("style-src 'unsafe-inline'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      // No second policy in the page either (a meta policy is enforced beside the header).
      expect(String(answer.body)).not.toMatch(/http-equiv="content-security-policy"/i);
    },
  );
});
