import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../domain/errors.ts';
import type { CounterRecord } from '../ports/counters.ts';
import type { MailMessage } from '../ports/mailer.ts';
import { deliverReport, reportForStaff, reportPrefix } from './report-delivery.ts';

function setup() {
  const stored = new Map<string, { body: string; contentType: string }>();
  const sent: MailMessage[] = [];
  const counters: CounterRecord[] = [
    {
      year: '2025',
      unit: '210100',
      role: 'cso',
      net: { in_pool: 12, submitted: 3 },
      entries: { '03': { in_pool: 12, submitted: 15 } },
    },
  ];
  return {
    stored,
    sent,
    deps: {
      counters: { countersUpTo: async () => counters },
      store: {
        put: async (key: string, body: string | Uint8Array, contentType: string) => {
          stored.set(key, {
            body: typeof body === 'string' ? body : Buffer.from(body).toString('utf8'),
            contentType,
          });
        },
      },
      mailer: {
        send: async (m: MailMessage) => {
          sent.push(m);
          return { messageId: String(sent.length) };
        },
      },
      now: () => new Date('2025-06-15T04:00:00Z'),
    },
  };
}

describe('deliverReport', () => {
  it('stores JSON, CSV and HTML under the programme and date, and mails the province the HTML with the CSV attached', async () => {
    const { deps, stored, sent } = setup();
    const { report, files } = await deliverReport(deps, { programId: 'liaoning-cso' });
    expect(report.asOf).toBe('2025-06-15');
    expect(report.pool).toBe(12);
    expect([...stored.keys()].sort()).toEqual([files.csv, files.html, files.json].sort());
    for (const key of stored.keys())
      expect(key.startsWith(reportPrefix('liaoning-cso', '2025-06-15'))).toBe(true);
    expect(JSON.parse(stored.get(files.json)?.body ?? '{}').pool).toBe(12);
    expect(stored.get(files.html)?.body).toContain('<svg');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.kind).toBe('target_report');
    expect(sent[0]?.to.length).toBeGreaterThan(0);
    expect(sent[0]?.attachments?.[0]?.filename).toMatch(/\.csv$/);
    expect(sent[0]?.html).toBe(stored.get(files.html)?.body);
  });

  it('does not mail when asked not to; staff need the report right on the programme', async () => {
    const { deps, sent } = setup();
    const province = { subject: 'p', scopes: [{ role: 'province' as const, programId: 'liaoning-cso' }] };
    await reportForStaff(deps, province, { programId: 'liaoning-cso', asOf: '2025-05-31', mail: false });
    expect(sent).toEqual([]);
    const city = {
      subject: 'c',
      scopes: [{ role: 'city' as const, programId: 'liaoning-cso', unit: '210100' }],
    };
    await expect(reportForStaff(deps, city, { programId: 'liaoning-cso' })).rejects.toThrow(ForbiddenError);
    await expect(reportForStaff(deps, province, { programId: 'anhui-std-director' })).rejects.toThrow(
      ForbiddenError,
    );
  });
});
