// The release gate on advisories (`npm run audit`): what an `npm audit --json` answer means.
import { describe, expect, it } from 'vitest';
import { auditVerdict } from '#infra/audit.ts';

function report(vulnerabilities: Record<string, { severity: string }>) {
  const counts: Record<string, number> = { info: 0, low: 0, moderate: 0, high: 0, critical: 0 };
  for (const v of Object.values(vulnerabilities)) counts[v.severity] = (counts[v.severity] ?? 0) + 1;
  return { auditReportVersion: 2, vulnerabilities, metadata: { vulnerabilities: counts } };
}

describe('auditVerdict', () => {
  it('passes a report without high or critical advisories, and counts what it has', () => {
    const verdict = auditVerdict(report({ tmp: { severity: 'low' }, jszip: { severity: 'moderate' } }));
    expect(verdict).toEqual({
      consulted: true,
      failing: [],
      counts: { info: 0, low: 1, moderate: 1, high: 0, critical: 0 },
    });
  });

  it('names every package with a high or critical advisory', () => {
    const verdict = auditVerdict(
      report({ unzipper: { severity: 'critical' }, fstream: { severity: 'high' }, tmp: { severity: 'low' } }),
    );
    expect(verdict.consulted).toBe(true);
    expect(verdict.failing).toEqual(['fstream: high', 'unzipper: critical']);
  });

  it('says the database was not consulted when the endpoint refused (as this workplace’s registry does)', () => {
    const refused = {
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
      error: { summary: '', detail: '' },
    };
    expect(auditVerdict(refused)).toEqual({
      consulted: false,
      failing: [],
      counts: {},
      unavailable: refused.message,
    });
    expect(auditVerdict(undefined).unavailable).toBe('no audit report in the answer');
  });
});
