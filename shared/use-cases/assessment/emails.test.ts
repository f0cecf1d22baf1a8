// The assessment's messages: the grading request names nobody and carries its link; the
// summary lists the outstanding officers masked; the alert carries no personal data.
import { describe, expect, it } from 'vitest';
import { getProgram } from '../../domain/programs/index.ts';
import {
  assessmentEscalation,
  assessmentFailure,
  assessmentReminder,
  assessmentRequest,
  assessmentSummary,
} from './emails.ts';
import { programSummary } from './results.ts';

const program = getProgram('liaoning-cso');
const input = {
  year: '2026',
  unit: '210100',
  members: 250,
  pages: 3,
  deadline: '2026-11-22T00:00:00.000Z',
  url: 'https://api.example.cn/assessment/abc',
};

describe('grading messages', () => {
  it('ask the city for the year’s grades with the link, the count and the deadline in Beijing time', () => {
    const mail = assessmentRequest(program, input);
    expect(mail.kind).toBe('assessment_request');
    expect(mail.subject).toBe('【辽宁省首席标准官制度】2026 年度考核：沈阳市人才库成员 250 人');
    expect(mail.links).toEqual([input.url]);
    expect(mail.text).toContain('2026-11-22 08:00（北京时间）');
    expect(mail.html).toContain('href="https://api.example.cn/assessment/abc"');
    expect(mail.text).toContain('确认淘汰');
  });

  it('remind the city and escalate to the province', () => {
    expect(assessmentReminder(program, input)).toMatchObject({
      kind: 'assessment_reminder',
      links: [input.url],
    });
    const escalation = assessmentEscalation(program, input);
    expect(escalation.kind).toBe('assessment_escalation');
    expect(escalation.text).toContain('21天');
    expect(escalation.text).toContain(program.authority.zh);
  });

  it('refuse a link that is not http(s)', () => {
    expect(() => assessmentRequest(program, { ...input, url: 'javascript:alert(1)' })).toThrow(/http/);
  });
});

describe('the summary', () => {
  it('lists units and the outstanding officers with masked names', () => {
    const summary = programSummary(
      ['210100', '210200'],
      [
        {
          programId: program.id,
          year: '2026',
          unit: '210100',
          status: 'done',
          members: 2,
          pageSize: 100,
          pageCount: 1,
          pagesDecided: 1,
          openedAt: 'x',
          results: {
            members: 2,
            graded: { excellent: 1, qualified: 0, basically_qualified: 0, unqualified: 1 },
            removed: 1,
            skipped: 0,
            // A full name handed in by mistake is masked anyway.
            outstanding: [
              { filingId: 'F1', name: '欧阳明远', role: 'cso', unit: '210100', enterprise: '甲公司' },
            ],
          },
        },
      ],
    );
    const mail = assessmentSummary(program, '2026', summary);
    expect(mail.text).toContain('优秀 1 人');
    expect(mail.text).toContain('移出人才库 1 人');
    expect(mail.text).toContain('欧***');
    expect(mail.text).not.toContain('欧阳明远');
    expect(mail.text).toContain('未开始');
    expect(mail.links).toEqual([]);
  });
});

describe('the failure alert', () => {
  it('names programme, year, unit and error only', () => {
    const mail = assessmentFailure(program, {
      year: '2026',
      unit: '210100',
      error: 'AssessmentExpired',
      at: '2026-12-13T00:00:00.000Z',
      url: 'http://127.0.0.1:3000/_local/executions',
    });
    expect(mail.kind).toBe('assessment_failure');
    expect(mail.text).toContain('AssessmentExpired');
    expect(mail.text).toContain('沈阳市');
  });
});
