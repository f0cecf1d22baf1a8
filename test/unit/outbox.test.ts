import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outboxPages } from '#infra/local/outbox.ts';
import { createMailer, readOutbox } from '#shared/adapters/mail/mailer.ts';

const FROM = '辽宁省首席标准官备案 <noreply@liaoning-cso.example.cn>';
const REVIEW = 'https://localhost:3000/review/tok_abc?stage=city&x=1';

let dir: string;
let ids: string[];

const page = (path: string) => outboxPages(new URL(path, 'http://localhost:3000'), dir);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outbox-pages-'));
  const times = ['2025-03-01T02:00:00.000Z', '2025-03-02T02:00:00.000Z'];
  let i = 0;
  const mailer = createMailer(
    { MAIL_TRANSPORT: 'outbox', MAIL_FROM: FROM, OUTBOX_DIR: dir },
    { now: () => new Date(times[i++] ?? 0) },
  );
  ids = [];
  ids.push(
    (
      await mailer.send({
        to: ['review-210100@liaoning-cso.example.cn'],
        subject: '【辽宁省首席标准官制度】请审核备案：张*（首席标准官，沈阳市）',
        text: `请审核：${REVIEW}`,
        html: `<p>请审核</p><p><a href="${REVIEW.replace('&', '&amp;')}">打开审核页面</a></p><script>alert(1)</script>`,
        kind: 'review_request',
        links: [REVIEW],
      })
    ).messageId,
  );
  ids.push(
    (
      await mailer.send({
        to: ['province@liaoning-cso.example.cn', 'second@liaoning-cso.example.cn'],
        subject: '汇总 <script>x</script>',
        text: '汇总表见附件',
        html: '<p>汇总表见附件</p>',
        kind: 'province_batch',
        attachments: [{ filename: '附件2.csv', content: '序号,姓名\n', contentType: 'text/csv' }],
      })
    ).messageId,
  );
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('/_local/outbox', () => {
  it('lists every message newest first with its recipients, kind, clickable links and a view link', async () => {
    const result = await page('/_local/outbox');
    expect(result?.contentType).toBe('text/html; charset=utf-8');
    const body = result?.body ?? '';
    expect(body).toContain('2 message(s)');
    expect(body.indexOf('province_batch')).toBeLessThan(body.indexOf('review_request'));
    expect(body).toContain('province@liaoning-cso.example.cn<br>second@liaoning-cso.example.cn');
    expect(body).toContain(`<a href="${REVIEW.replace('&', '&amp;')}">`);
    expect(body).toContain(`<a href="/_local/outbox/${ids[0]}">【辽宁省首席标准官制度】请审核备案`);
    expect(body).toContain('2025-03-02T02:00:00.000Z');
    // Subjects are escaped.
    expect(body).toContain('汇总 &lt;script&gt;x&lt;/script&gt;');
    expect(body).not.toContain('<script>');
  });

  it('says so when the outbox is empty', async () => {
    dir = join(dir, 'empty');
    expect((await page('/_local/outbox/'))?.body).toContain('No messages yet.');
  });
});

describe('/_local/outbox.json', () => {
  it('is the index entries, newest first', async () => {
    const result = await page('/_local/outbox.json');
    expect(result?.contentType).toBe('application/json; charset=utf-8');
    const entries = JSON.parse(result?.body ?? '[]');
    expect(entries).toEqual(await readOutbox(dir));
    expect(entries.map((e: { id: string }) => e.id)).toEqual([ids[1], ids[0]]);
    expect(entries[1]).toMatchObject({ kind: 'review_request', links: [REVIEW] });
  });
});

describe('/_local/outbox/<id>', () => {
  it('shows the headers above the HTML part, sandboxed, with the links and the text part', async () => {
    const body = (await page(`/_local/outbox/${ids[0]}`))?.body ?? '';
    const headers = body.indexOf('<th>Subject</th>');
    const frame = body.indexOf('<iframe');
    expect(headers).toBeGreaterThan(-1);
    expect(frame).toBeGreaterThan(headers);
    expect(body).toContain('<td>【辽宁省首席标准官制度】请审核备案：张*（首席标准官，沈阳市）</td>');
    expect(body).toContain(
      '<th>From</th><td>辽宁省首席标准官备案 &lt;noreply@liaoning-cso.example.cn&gt;</td>',
    );
    expect(body).toContain('<th>X-Mail-Kind</th><td>review_request</td>');
    // The message's own HTML is only inside srcdoc (escaped), in a sandbox without scripts.
    expect(body).toMatch(/<iframe[^>]*sandbox="[^"]*"/);
    expect(body).not.toMatch(/sandbox="[^"]*allow-scripts/);
    expect(body).toContain('srcdoc="&lt;base target=&quot;_top&quot;&gt;&lt;p&gt;请审核&lt;/p&gt;');
    expect(body).not.toContain('<script>');
    expect(body).toContain(`<li><a href="${REVIEW.replace('&', '&amp;')}">`);
    expect(body).toContain(`请审核：${REVIEW.replace('&', '&amp;')}</pre>`);
  });

  it('lists attachments', async () => {
    const body = (await page(`/_local/outbox/${ids[1]}`))?.body ?? '';
    expect(body).toContain('附件2.csv <span class="muted">(text/csv, 14 bytes)</span>');
  });

  it('serves the raw .eml', async () => {
    const result = await page(`/_local/outbox/${ids[0]}.eml`);
    expect(result?.contentType).toBe('text/plain; charset=utf-8');
    expect(result?.body).toContain(`Message-ID: <${ids[0]}@outbox.local>`);
    expect(result?.body).toMatch(/^Subject: =\?UTF-8\?/m);
  });

  it('is undefined for an unknown id, a path outside the outbox or other pages', async () => {
    expect(await page('/_local/outbox/00000000-0000-0000-0000-000000000000')).toBeUndefined();
    expect(await page('/_local/outbox/..%2Findex.jsonl')).toBeUndefined();
    expect(await page('/_local/outbox/a/b')).toBeUndefined();
    expect(await page('/_local/filings')).toBeUndefined();
    expect(await page('/outbox')).toBeUndefined();
  });
});
