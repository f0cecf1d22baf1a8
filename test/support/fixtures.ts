// Valid filings for tests and benchmarks: unique, checksum-correct ID numbers and credit
// codes derived from a sequence number, so thousands can be generated without collisions.
import type { FilingInput } from '#shared/domain/filing.ts';
import type { Action, Actor } from '#shared/domain/lifecycle.ts';
import { getProgram, PROGRAMS } from '#shared/domain/programs/index.ts';
import type { Program } from '#shared/domain/programs/program.ts';
import { idCheckChar } from '#shared/domain/validation/id-number.ts';
import { orgCodeCheckChar, USCC_ALPHABET, usccCheckChar } from '#shared/domain/validation/uscc.ts';

/** A valid resident ID number for person `n` (born 1980-01-01 + n days, sex from n's parity). */
export function idNumberFor(
  n: number,
  region = '210102',
): { idNumber: string; sex: 'male' | 'female'; birth: string } {
  const birth = new Date(Date.UTC(1975, 0, 1) + (n % 9000) * 86_400_000).toISOString().slice(0, 10);
  const seq = String((Math.floor(n / 9000) * 2 + (n % 2)) % 1000).padStart(3, '0');
  const first17 = `${region}${birth.replaceAll('-', '')}${seq}`;
  const sex = Number(seq[2]) % 2 === 1 ? 'male' : 'female';
  return { idNumber: `${first17}${idCheckChar(first17)}`, sex, birth };
}

/** A valid enterprise credit code (91…) for enterprise `n` in a region. */
export function usccFor(n: number, region = '210100'): string {
  const org8 = `MA${String(n).padStart(6, '0')}`;
  const first17 = `91${region}${org8}${orgCodeCheckChar(org8)}`;
  if ([...first17].some((c) => !USCC_ALPHABET.includes(c))) return usccFor(n + 1, region);
  return `${first17}${usccCheckChar(first17)}`;
}

export interface FilingOptions {
  n?: number;
  role?: string;
  unit?: string;
  region?: string;
}

/**
 * The programme a filing of this unit and role belongs to: the registered one that has both,
 * else Liaoning (a unit or role of no programme is a test of the refusal, filed to Liaoning).
 */
export function programOf(unit: string, role: string): Program {
  return (
    PROGRAMS.find(
      (p) => p.reportingUnits.some((u) => u.code === unit) && p.roles.some((r) => r.id === role),
    ) ?? getProgram('liaoning-cso')
  );
}

/** A complete, valid filing: a Liaoning CSO's, or another programme's by its unit and role (override fields per test). */
export function validFiling(options: FilingOptions = {}): FilingInput {
  const n = options.n ?? 1;
  const unit = options.unit ?? '210100';
  const role = options.role ?? 'cso';
  const person = idNumberFor(n);
  return {
    role,
    person: {
      name: '张伟',
      sex: person.sex,
      birthYearMonth: person.birth.slice(0, 7),
      idType: 'resident_id',
      idNumber: person.idNumber,
      education: 'bachelor',
      major: '机械工程',
      titleName: '高级工程师',
      titleLevel: 'associate_senior',
      position: '副总经理',
      employment: 'part_time',
      standardsWorkYears: 6,
      appointment: { date: '2024-03-01', documentNumber: `企聘〔2024〕${n}号` },
      training: {
        course: '辽宁省首席标准官培训班',
        date: '2023-11-20',
        organizer: '辽宁省市场监督管理局',
        certificateNumber: `LNCSO-2023-${String(n).padStart(5, '0')}`,
      },
      mobile: `1380000${String(n % 10000).padStart(4, '0')}`,
      officePhone: '024-22886655', // not the example the format message quotes (024-23456789)
      email: `officer${n}@example.com`,
      achievements: '主持制定企业标准体系，参与两项行业标准起草。',
    },
    enterprise: {
      name: `沈阳示例机械制造有限公司${n}`,
      // Registered where it files (a unit without an official code: Shenyang), unless a test says otherwise.
      uscc: usccFor(n, options.region ?? (/^\d{6}$/.test(unit) ? unit : '210100')),
      reportingUnit: unit,
      industry: 'C',
      size: 'medium',
      categories: ['good_behavior', 'above_scale'],
      contact: { name: '李娜', phone: '024-23456780' },
      contactEmail: `contact${n}@example.com`,
    },
    consent: {
      accepted: true,
      // The notice the site shows now for the filing's programme: the server refuses consent to any other version.
      noticeVersion: programOf(unit, role).privacyNotice.version,
      acceptedAt: '2025-03-01T10:00:00+08:00',
    },
  };
}

/** A role allowed to take each lifecycle action (for tests that drive filings through states). */
export const ACTOR_FOR: Record<Action, Actor> = {
  submit: 'applicant',
  start_city_review: 'system',
  approve: 'city',
  reject: 'city',
  request_changes: 'city',
  resubmit: 'applicant',
  include: 'province',
  register: 'city',
  decline: 'province',
  assess: 'province',
  remove: 'city',
  withdraw: 'applicant',
  expire: 'system',
  supersede: 'system',
  escalate: 'system',
};
