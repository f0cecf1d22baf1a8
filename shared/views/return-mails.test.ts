// The annual return's messages: the enterprise's mail lists its own people masked with the
// link and the deadline; the city's summary carries counts only; the province's results list
// the nominees masked; the alert carries no personal data.
import { describe, expect, it } from 'vitest';
import { getProgram } from '../domain/programs/index.ts';
import type { EnterpriseReturn, UnitReturn } from '../ports/returns.ts';
import { unitResults } from '../use-cases/returns/answers.ts';
import {
  returnFailure,
  returnReminder,
  returnRequest,
  returnResults,
  returnSummary,
} from './return-mails.ts';

const liaoning = getProgram('liaoning-cso');
const anhui = getProgram('anhui-std-director');
const enterprise: EnterpriseReturn = {
  programId: liaoning.id,
  year: '2026',
  unit: '210100',
  seq: 1,
  uscc: '91210100MA0XYW122Q',
  name: '沈阳示例机械制造有限公司',
  recipients: ['officer@example.com'],
  fallback: true,
  members: [
    { filingId: 'F1', name: '张*', role: 'cso', position: '副总经理' },
    { filingId: 'F2', name: '李**', role: 'director', position: '质量部长' },
  ],
  notifiedAt: '2026-11-01T00:00:00.000Z',
  answeredAt: '2026-11-03T00:00:00.000Z',
  answers: {
    F1: { inPost: true, result: 'excellent', nomination: { reason: '主持制定企业标准体系' } },
    F2: { inPost: false },
  },
};
const input = {
  year: '2026',
  enterprise,
  deadline: '2026-11-22T00:00:00.000Z',
  url: 'https://api.example.cn/return/abc',
};

describe('the enterprise’s messages', () => {
  it('ask for the return of its people (masked) with the scale, the link and the deadline in Beijing time', () => {
    const mail = returnRequest(liaoning, input);
    expect(mail.kind).toBe('return_request');
    expect(mail.subject).toBe('【辽宁省首席标准官制度】2026 年度报告（激励考核）：沈阳示例机械制造有限公司');
    expect(mail.links).toEqual([input.url]);
    expect(mail.text).toContain('2026-11-22 08:00（北京时间）');
    expect(mail.text).toContain('优秀 / 合格 / 不合格');
    expect(mail.text).toContain('张* | 首席标准官 | 副总经理');
    // Sent to the officer's own address: the mail says so, so that it reaches the enterprise contact.
    expect(mail.text).toContain('未填写企业联系人邮箱');
    expect(mail.html).toContain('href="https://api.example.cn/return/abc"');
  });

  it('for Anhui ask only whether the director is still in post', () => {
    const mail = returnRequest(anhui, { ...input, enterprise: { ...enterprise, fallback: false } });
    expect(mail.text).toContain('是否仍在岗');
    expect(mail.text).not.toContain('不合格');
    expect(mail.text).not.toContain('未填写企业联系人邮箱');
  });

  it('remind with the same deadline', () => {
    const mail = returnReminder(liaoning, input);
    expect(mail.kind).toBe('return_reminder');
    expect(mail.text).toContain('尚未提交');
    expect(mail.links).toEqual([input.url]);
  });
});

describe('the bureaus’ messages', () => {
  const results = unitResults('210100', [
    enterprise,
    { ...enterprise, seq: 2, uscc: 'X', answers: undefined, answeredAt: undefined },
  ]);

  it('give the city counts and the link, no names', () => {
    const mail = returnSummary(liaoning, {
      year: '2026',
      unit: '210100',
      results,
      deadline: '2026-12-06T00:00:00.000Z',
      url: 'https://x/return/s',
    });
    expect(mail.kind).toBe('return_summary');
    expect(mail.text).toContain('企业：2 家，已报告 1 家，未报告 1 家');
    expect(mail.text).toContain('拟移出人才库：1 人');
    expect(mail.text).not.toContain('张*');
  });

  it('give the province the nominees masked, with the reasons', () => {
    const unit = {
      unit: '210100',
      status: 'done',
      enterprises: 2,
      answered: 1,
      members: 4,
      results,
      outcomes: { F2: 'removed' },
    } as unknown as UnitReturn;
    const mail = returnResults(liaoning, '2026', [unit]);
    expect(mail.kind).toBe('return_results');
    expect(mail.text).toContain('沈阳市 | 已完成 | 2 | 1 | 1 | 4 | 1 | 1');
    expect(mail.text).toContain(
      '张* | 首席标准官 | 沈阳市 | 沈阳示例机械制造有限公司 | 主持制定企业标准体系',
    );
  });

  it('alert the operators with ids only', () => {
    const mail = returnFailure(liaoning, {
      year: '2026',
      unit: '210100',
      error: 'AcknowledgementExpired',
      at: '2026-12-06T00:00:00.000Z',
      url: 'https://console',
    });
    expect(mail.kind).toBe('return_failure');
    expect(mail.text).toContain('AcknowledgementExpired');
    expect(mail.text).toContain('沈阳市（210100）');
  });
});
