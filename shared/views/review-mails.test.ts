import { describe, expect, it } from 'vitest';
import { validFiling } from '../../test/support/fixtures.ts';
import { assessFiling } from '../domain/eligibility.ts';
import {
  applicantFacts,
  BATCH_COLUMNS,
  beijingTime,
  daysUntil,
  EMAIL_KINDS,
  type EmailContent,
  type EmailKind,
} from '../domain/email-templates.ts';
import { type Filing, parseFiling } from '../domain/filing.ts';
import { maskIdNumber, redactText } from '../domain/masking.ts';
import { anhuiStdDirector } from '../domain/programs/anhui-std-director.ts';
import { liaoningCso as program } from '../domain/programs/liaoning-cso.ts';
import {
  applicantChangesRequested,
  applicantCityApproved,
  applicantDeclined,
  applicantExpired,
  applicantIncluded,
  applicantReceived,
  applicantRegistered,
  applicantRejected,
  failureAlert,
  provinceBatch,
  reviewEscalation,
  reviewReminder,
  reviewRequest,
} from './review-mails.ts';

const filing = parseFiling(validFiling({ n: 7 }));
const second = parseFiling(validFiling({ n: 8, role: 'specialist' }));
const applicant = applicantFacts('F7', filing);
// As the rules write them (eligibility.ts): the message names its field.
const warnings = [
  {
    path: 'person.education',
    message: { zh: '学历：标准化专员一般应具备大专以上学历或中级以上职称', en: 'education: x' },
  },
];
const REVIEW = 'https://api.example.cn/review/tok_abc?stage=city';
const STATUS = 'https://site.example.cn/status/F7?receipt=r1';
const BATCH = 'https://api.example.cn/batches/B20250301';
const OPS = 'https://console.example.cn/executions/exec-1';

/** Every kind, built from a full filing, with the link it must carry. */
function every(a = applicant, rows: { filingId: string; filing: Filing; remark?: string }[] = []) {
  const batchRows = rows.length
    ? rows
    : [
        { filingId: 'F7', filing, remark: '学历提示已核实' },
        { filingId: 'F8', filing: second },
      ];
  const cases: [EmailKind, EmailContent, string][] = [
    [
      'review_request',
      reviewRequest(program, { applicant: a, warnings, deadline: '2025-03-15T10:00:00Z', reviewUrl: REVIEW }),
      REVIEW,
    ],
    [
      'review_reminder',
      reviewReminder(program, {
        applicant: a,
        warnings,
        deadline: '2025-03-15T10:00:00Z',
        reviewUrl: REVIEW,
        daysLeft: 3,
      }),
      REVIEW,
    ],
    [
      'review_escalation',
      reviewEscalation(program, {
        applicant: a,
        warnings,
        cityDeadline: '2025-03-15T10:00:00Z',
        reviewUrl: REVIEW,
        deadline: '2025-04-05T10:00:00Z',
      }),
      REVIEW,
    ],
    [
      'applicant_changes_requested',
      applicantChangesRequested(program, { applicant: a, statusUrl: STATUS, reason: '请补充聘任文件编号' }),
      STATUS,
    ],
    [
      'applicant_rejected',
      applicantRejected(program, { applicant: a, statusUrl: STATUS, reason: '培训证书无法核实' }),
      STATUS,
    ],
    [
      'applicant_received',
      applicantReceived(program, { applicant: a, statusUrl: STATUS, cityDeadline: '2025-03-15T10:00:00Z' }),
      STATUS,
    ],
    ['applicant_city_approved', applicantCityApproved(program, { applicant: a, statusUrl: STATUS }), STATUS],
    ['applicant_included', applicantIncluded(program, { applicant: a, statusUrl: STATUS }), STATUS],
    ['applicant_registered', applicantRegistered(program, { applicant: a, statusUrl: STATUS }), STATUS],
    [
      'applicant_declined',
      applicantDeclined(program, { applicant: a, statusUrl: STATUS, reason: '本年度名额已满' }),
      STATUS,
    ],
    [
      'applicant_expired',
      applicantExpired(program, { applicant: a, statusUrl: STATUS, reason: '逾期未按要求修改' }),
      STATUS,
    ],
    [
      'province_batch',
      provinceBatch(program, { batchId: 'B20250301', unit: '210100', filings: batchRows, batchUrl: BATCH }),
      BATCH,
    ],
    [
      'failure_alert',
      failureAlert(program, {
        filingId: 'F7',
        state: 'city_review',
        errorName: 'ConditionalCheckFailedException',
        where: 'RecordCityDecision',
        at: '2025-03-02T01:30:00Z',
        url: OPS,
      }),
      OPS,
    ],
  ];
  return cases;
}

const outputs = (c: EmailContent) => [c.subject, c.text, c.html];

describe('every kind of message', () => {
  it('builds every kind the list names', () => {
    expect(
      every()
        .map(([kind]) => kind)
        .sort(),
    ).toEqual(EMAIL_KINDS.filter((k) => k !== 'pool_departure').sort());
  });

  it.each(every())(
    '%s: Chinese subject under the program title, link in both parts',
    (kind, content, link) => {
      expect(content.kind).toBe(kind);
      expect(content.subject.startsWith('【辽宁省首席标准官制度】')).toBe(true);
      expect(content.subject).toMatch(/[\p{Script=Han}]{4}/u);
      expect(content.links).toEqual([link]);
      expect(content.text).toContain(link);
      expect(content.html).toContain(`href="${link.replaceAll('&', '&amp;')}"`);
      expect(content.html).toContain('<meta name="viewport"');
      expect(content.text).toContain('辽宁省市场监督管理局');
    },
  );

  it.each(every())('%s: no clear ID number, phone or email address anywhere', (_kind, content) => {
    const p = filing.person;
    for (const out of outputs(content)) {
      for (const secret of [
        p.idNumber,
        p.mobile,
        p.officePhone ?? '',
        p.email,
        filing.enterprise.contact.phone,
      ]) {
        expect(out).not.toContain(secret);
      }
      expect(out).not.toContain(second.person.idNumber);
      expect(out).not.toContain(second.person.mobile);
      // Nothing the log redaction would recognize as personal data either.
      expect(redactText(out)).toBe(out);
      // The full name never appears, only 张*.
      expect(out).not.toContain(p.name);
    }
  });

  it.each(every())('%s: subject holds no personal data but the masked name', (kind, content) => {
    expect(content.subject).not.toContain(filing.enterprise.name);
    expect(content.subject).not.toContain(filing.enterprise.uscc);
    expect(content.subject).not.toContain(maskIdNumber(filing.person.idNumber));
    if (kind !== 'failure_alert' && kind !== 'province_batch') expect(content.subject).toContain('张*');
  });

  it('html escapes whatever it is given', () => {
    const evil = '<script>alert(1)</script>';
    const a = { ...applicant, enterprise: `示例${evil}公司` };
    const row = {
      filingId: 'F7',
      filing: { ...filing, enterprise: { ...filing.enterprise, name: evil } },
      remark: evil,
    };
    for (const [, content] of every(a, [row])) {
      expect(content.html).not.toContain('<script>');
    }
    const rejected = applicantRejected(program, { applicant, statusUrl: STATUS, reason: `原因${evil}` });
    expect(rejected.html).toContain('原因&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(rejected.text).toContain(`原因${evil}`);
  });

  it('accepts only http(s) links', () => {
    expect(() => applicantIncluded(program, { applicant, statusUrl: 'javascript:alert(1)' })).toThrow(/http/);
    expect(() => applicantIncluded(program, { applicant, statusUrl: '/status/F7' })).toThrow(/URL/);
  });
});

describe('review messages', () => {
  it('the request shows the masked summary, the warnings, the deadline and that the link only opens a page', () => {
    const mail = reviewRequest(program, {
      applicant,
      warnings,
      deadline: '2025-03-15T10:00:00Z',
      reviewUrl: REVIEW,
    });
    expect(mail.subject).toBe('【辽宁省首席标准官制度】请审核备案：张*（首席标准官，沈阳市）');
    for (const out of [mail.text, mail.html]) {
      expect(out).toContain('沈阳市市场监督管理局');
      expect(out).toContain(filing.enterprise.name);
      expect(out).toContain(filing.enterprise.uscc);
      expect(out).toContain(maskIdNumber(filing.person.idNumber));
      expect(out).toContain(`${filing.person.mobile.slice(0, 3)}****${filing.person.mobile.slice(-4)}`);
      expect(out).toContain('学历：标准化专员一般应具备大专以上学历或中级以上职称');
      expect(out).toContain('2025-03-15 18:00（北京时间）');
      expect(out).toContain('确认页面');
      expect(out).toContain('点击相应按钮后，审核结果才会被记录');
    }
  });

  it('without warnings it says nothing was found', () => {
    const mail = reviewRequest(program, {
      applicant,
      warnings: [],
      deadline: '2025-03-15',
      reviewUrl: REVIEW,
    });
    expect(mail.text).toContain('系统未发现需要提示的问题');
    expect(mail.text).toContain('请于2025-03-15前完成审核');
  });

  it('a stored filing (masked ID only) reads the same', () => {
    const { idNumber, ...person } = filing.person;
    const stored = { ...filing, person: { ...person, idNumberMasked: maskIdNumber(idNumber) } };
    const mail = reviewRequest(program, {
      applicant: applicantFacts('F7', stored),
      warnings,
      deadline: '2025-03-15T10:00:00Z',
      reviewUrl: REVIEW,
    });
    expect(mail.text).toBe(
      reviewRequest(program, { applicant, warnings, deadline: '2025-03-15T10:00:00Z', reviewUrl: REVIEW })
        .text,
    );
  });

  it('a warning reads with its field label once, as the rule wrote it', () => {
    // A real soft finding: a specialist with too few years (the rule's message names the field).
    const junior = parseFiling(validFiling({ n: 11, role: 'specialist' }));
    const weak = {
      ...junior,
      person: { ...junior.person, education: 'secondary' as const, titleLevel: 'none' as const },
    };
    const found = assessFiling(program, weak, { today: '2025-03-01' }).warnings;
    expect(found.length).toBeGreaterThan(0);
    const base = { applicant, warnings: found, deadline: '2025-03-15T10:00:00Z', reviewUrl: REVIEW };
    for (const mail of [
      reviewRequest(program, base),
      reviewReminder(program, { ...base, daysLeft: 3 }),
      reviewEscalation(program, { ...base, cityDeadline: '2025-03-15T10:00:00Z' }),
    ]) {
      for (const w of found) {
        const [label] = w.message.zh.split('：');
        expect(mail.text).toContain(`- ${w.message.zh}`);
        expect(mail.text).not.toContain(`${label}：${label}：`);
        expect(mail.html).not.toContain(`${label}：${label}：`);
      }
    }
  });

  it('the request states the city’s own deadline and its days, and the link’s validity apart', () => {
    // Sent at 2025-03-01 10:00Z: the city has 14 days; the link lives on through the escalation.
    const mail = reviewRequest(program, {
      applicant,
      warnings,
      deadline: '2025-03-15T10:00:00Z',
      reviewUrl: REVIEW,
      linkExpiresAt: '2025-04-05T10:00:00Z',
    });
    expect(mail.text).toContain('请于2025-03-15 18:00（北京时间）前完成审核（14天内）');
    expect(mail.text).toContain('审核链接有效期至2025-04-05 18:00（北京时间）');
    expect(mail.text).not.toContain('35天');
  });

  it('the reminder on day 3 of a 14-day city stage says 11 days are left, counted against the city’s deadline', () => {
    const sent = '2025-03-01T10:00:00Z';
    const cityDeadline = '2025-03-15T10:00:00Z';
    const linkExpiresAt = '2025-04-05T10:00:00Z';
    const day3 = '2025-03-04T10:00:00Z';
    expect(daysUntil(cityDeadline, sent)).toBe(14);
    expect(daysUntil(cityDeadline, day3)).toBe(11);
    expect(daysUntil(cityDeadline, new Date('2025-03-04T11:00:00Z'))).toBe(11);
    expect(daysUntil(cityDeadline, '2025-03-15T10:00:00Z')).toBe(0);
    const mail = reviewReminder(program, {
      applicant,
      warnings,
      deadline: cityDeadline,
      linkExpiresAt,
      reviewUrl: REVIEW,
      daysLeft: daysUntil(cityDeadline, day3),
    });
    expect(mail.subject).toContain('还剩11天');
    expect(mail.text).toContain('审核截止时间为2025-03-15 18:00（北京时间）（还剩11天）');
    expect(mail.text).not.toContain('还剩32天');
  });

  it('the reminder counts the days left, and says so on the last day', () => {
    const base = { applicant, warnings, deadline: '2025-03-15T10:00:00Z', reviewUrl: REVIEW };
    expect(reviewReminder(program, { ...base, daysLeft: 3 }).subject).toContain('提醒（还剩3天）');
    const last = reviewReminder(program, { ...base, daysLeft: 0 });
    expect(last.subject).toContain('今天截止');
    expect(last.text).toContain('逾期未审核的，将转由辽宁省市场监督管理局处理');
  });

  it('the escalation names the city that did not answer and its time limit', () => {
    const mail = reviewEscalation(program, {
      applicant,
      warnings,
      cityDeadline: '2025-03-15T10:00:00Z',
      reviewUrl: REVIEW,
    });
    expect(mail.subject).toContain('市局逾期未审核');
    expect(mail.text).toContain('沈阳市市场监督管理局未在规定期限（14天）内审核');
    expect(mail.text).toContain('辽宁省市场监督管理局：');
  });
});

describe('applicant notices', () => {
  it('carry the reviewer’s words, with personal data taken out', () => {
    const mail = applicantChangesRequested(program, {
      applicant,
      statusUrl: STATUS,
      reason: '请补充聘任文件编号，或致电 13912345678 咨询',
    });
    expect(mail.subject).toBe('【辽宁省首席标准官制度】备案需修改：张*（首席标准官）');
    expect(mail.text).toContain('请补充聘任文件编号，或致电 [phone] 咨询');
    expect(mail.text).not.toContain('13912345678');
  });

  it('say who decided', () => {
    expect(applicantRejected(program, { applicant, statusUrl: STATUS, reason: 'x' }).text).toContain(
      '经沈阳市市场监督管理局审核，未予通过',
    );
    expect(applicantIncluded(program, { applicant, statusUrl: STATUS }).text).toContain(
      '由辽宁省市场监督管理局纳入人才库',
    );
    expect(applicantDeclined(program, { applicant, statusUrl: STATUS, reason: 'x' }).text).toContain(
      '经辽宁省市场监督管理局审核，未予纳入人才库',
    );
  });

  it('tell an Anhui director the city’s approval completed the registration, with no pool', () => {
    const director = applicantFacts(
      'F9',
      parseFiling(validFiling({ n: 9, role: 'director', unit: '340100', region: '340100' })),
    );
    const mail = applicantRegistered(anhuiStdDirector, { applicant: director, statusUrl: STATUS });
    expect(mail.kind).toBe('applicant_registered');
    expect(mail.subject).toBe('【安徽省企业标准总监制度】备案完成：张*（企业标准总监）');
    expect(mail.text).toContain('经合肥市市场监督管理局审核通过，备案完成');
    expect(mail.html).toContain('备案完成');
    expect(mail.links).toEqual([STATUS]);
    for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toContain('人才库');
  });
});

describe('the applicant’s received and city-approved notices', () => {
  it('received: the status link, the city’s time limit from the programme, Chinese first then English', () => {
    const mail = applicantReceived(program, {
      applicant,
      statusUrl: STATUS,
      cityDeadline: '2025-03-15T10:00:00Z',
    });
    expect(mail.kind).toBe('applicant_received');
    expect(mail.subject).toBe('【辽宁省首席标准官制度】备案已受理：张*（首席标准官）');
    expect(mail.text).toContain(
      '已转沈阳市市场监督管理局审核，审核期限为14天（至2025-03-15 18:00（北京时间））',
    );
    expect(mail.text.indexOf('备案已收到')).toBeLessThan(mail.text.indexOf('has been received'));
    expect(mail.links).toEqual([STATUS]);
  });

  it('city approved: says the province decides next, in both languages', () => {
    const mail = applicantCityApproved(program, { applicant, statusUrl: STATUS });
    expect(mail.kind).toBe('applicant_city_approved');
    expect(mail.subject).toBe('【辽宁省首席标准官制度】市局审核通过：张*（首席标准官）');
    expect(mail.text).toContain('已经沈阳市市场监督管理局审核通过，将随本市汇总报送辽宁省市场监督管理局');
    expect(mail.text).toContain('the province decides on inclusion in the talent pool');
    expect(mail.html).toContain('lang="zh-CN"');
  });

  it('carry no more about the person than the other applicant mails: the masked name and the filing', () => {
    for (const mail of [
      applicantReceived(program, { applicant, statusUrl: STATUS }),
      applicantCityApproved(program, { applicant, statusUrl: STATUS }),
    ]) {
      for (const out of [mail.text, mail.html]) {
        expect(out).not.toContain(filing.enterprise.uscc);
        expect(out).not.toContain(maskIdNumber(filing.person.idNumber));
        expect(out).not.toContain(filing.person.email);
      }
    }
  });
});

describe('province batch', () => {
  const mail = provinceBatch(program, {
    batchId: 'B20250301',
    unit: '210100',
    filings: [
      { filingId: 'F7', filing, remark: '学历提示已核实' },
      { filingId: 'F8', filing: second },
    ],
    batchUrl: BATCH,
  });

  it('states the unit and the count', () => {
    expect(mail.subject).toBe('【辽宁省首席标准官制度】沈阳市报送人员汇总（2人，批次B20250301）');
    expect(mail.text).toContain('沈阳市市场监督管理局已审核通过以下2名人员');
  });

  it('is a 附件2 table: its columns in order, one row per person, phones masked, no ID numbers', () => {
    const head = [...mail.html.matchAll(/<th style="[^"]*;background:#f0f2f5">([^<]*)<\/th>/g)].map(
      (m) => m[1],
    );
    expect(head).toEqual([...BATCH_COLUMNS]);
    const rows = [...mail.html.matchAll(/<tbody>(.*?)<\/tbody>/gs)][0]?.[1]?.match(/<tr>/g) ?? [];
    expect(rows).toHaveLength(2);
    for (const out of [mail.text, mail.html]) {
      expect(out).toContain(`${filing.person.mobile.slice(0, 3)}****${filing.person.mobile.slice(-4)}`);
      expect(out).toContain(filing.person.training?.certificateNumber);
      expect(out).toContain('C 制造业');
      expect(out).toContain('高级工程师（副高级）');
      expect(out).toContain('标准化专员');
      expect(out).toContain('学历提示已核实');
      for (const p of [filing.person, second.person]) expect(out).not.toContain(maskIdNumber(p.idNumber));
      // Not even a masked ID number: no 证件号码 column, nothing shaped like 210102********0018.
      expect(out).not.toMatch(/\d{6}\*+[\dX]{4}/);
      expect(out).not.toContain('证件号码：');
    }
    expect(mail.text).toContain('1. 所在市：沈阳市；企业名称：');
    expect(mail.text).toContain('2. 所在市：沈阳市；');
  });

  it('names the summary by its official title, and a programme without annexes by its own', () => {
    expect(mail.html).toContain('沈阳市报送《首席标准官、标准总监和标准化专员信息汇总表》（附件2）');
    const other = provinceBatch(anhuiStdDirector, {
      batchId: 'B20250301',
      unit: '341882',
      filings: [
        {
          filingId: 'F9',
          filing: { ...filing, enterprise: { ...filing.enterprise, reportingUnit: '341882' } },
        },
      ],
      batchUrl: BATCH,
    });
    expect(other.html).toContain('广德市报送《企业标准总监信息汇总表》');
    expect(other.html).not.toContain('附件');
    expect(other.text).toContain('1. 所在市、省直管县（市）：广德市；');
  });
});

describe('failure alert', () => {
  it('carries ids, the state and the error name only', () => {
    const mail = failureAlert(program, {
      filingId: 'F7',
      state: 'city_review',
      errorName: 'ConditionalCheckFailedException',
      at: '2025-03-02T01:30:00Z',
      url: OPS,
    });
    expect(mail.subject).toBe('【辽宁省首席标准官制度】处理失败：备案F7');
    expect(mail.text).toContain('当前状态：市局审核中（city_review）');
    expect(mail.text).toContain('错误类型：ConditionalCheckFailedException');
    expect(mail.text).toContain('时间：2025-03-02 09:30（北京时间）');
  });

  it('an error name with data in it is redacted; an unknown state is shown as given', () => {
    const mail = failureAlert(program, {
      filingId: 'F7',
      state: 'paused',
      errorName: 'Error for officer7@example.com',
      at: '2025-03-02T01:30:00Z',
      url: OPS,
    });
    expect(mail.text).toContain('错误类型：Error for [email]');
    expect(mail.text).toContain('当前状态：paused');
  });
});

describe('beijingTime', () => {
  it('shows an instant in UTC+8, keeps a date, passes anything else through', () => {
    expect(beijingTime('2025-12-31T16:30:00Z')).toBe('2026-01-01 00:30（北京时间）');
    expect(beijingTime('2025-03-15T18:00:00+08:00')).toBe('2025-03-15 18:00（北京时间）');
    expect(beijingTime('2025-03-15')).toBe('2025-03-15');
    expect(beijingTime('soon')).toBe('soon');
  });
});
