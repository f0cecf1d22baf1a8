import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idNumberFor } from '../../test/support/fixtures.ts';
import { ValidationError } from './errors.ts';
import {
  maskEmail,
  maskIdNumber,
  maskMobile,
  maskName,
  maskOfficePhone,
  maskPhone,
  redact,
  redactText,
} from './masking.ts';

describe('the documented examples (docs/domain.md §8)', () => {
  it('masks an ID number', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });

  it('masks a mobile', () => {
    expect(maskMobile('13812341234')).toBe('138****1234');
  });

  it('masks a name for public lists', () => {
    expect(maskName('张三丰')).toBe('张**');
  });

  it('masks an email', () => {
    expect(maskEmail('zhang@example.com')).toBe('z***@example.com');
  });
});

describe('maskIdNumber', () => {
  it('keeps the region and the last four, whatever the ID', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), (n) => {
        const { idNumber } = idNumberFor(n);
        const masked = maskIdNumber(idNumber);
        expect(masked).toHaveLength(18);
        expect(masked.slice(0, 6)).toBe(idNumber.slice(0, 6));
        expect(masked.slice(6, 14)).toBe('********');
        expect(masked.slice(14)).toBe(idNumber.slice(14));
      }),
    );
  });

  it('hides a short value entirely', () => {
    expect(maskIdNumber('123456789')).toBe('*********');
    expect(maskIdNumber('')).toBe('');
  });
});

describe('maskMobile', () => {
  it('hides a short value entirely', () => {
    expect(maskMobile('123456')).toBe('******');
  });
});

describe('maskOfficePhone and maskPhone', () => {
  it('keeps the area code and the last four digits', () => {
    expect(maskOfficePhone('024-23456789')).toBe('024-****6789');
    expect(maskOfficePhone('0411-8765432')).toBe('0411-***5432');
    expect(maskOfficePhone('010-12345678')).toBe('010-****5678');
  });

  it('drops an extension', () => {
    expect(maskOfficePhone('0411-8765432-123')).toBe('0411-***5432');
  });

  it('falls back to mobile masking for anything else', () => {
    expect(maskOfficePhone('13812341234')).toBe('138****1234');
  });

  it('chooses by the leading zero', () => {
    expect(maskPhone('024-23456789')).toBe('024-****6789');
    expect(maskPhone('13812341234')).toBe('138****1234');
  });
});

describe('maskEmail', () => {
  it('keeps only the first character and the domain', () => {
    expect(maskEmail('officer1@example.com')).toBe('o***@example.com');
    expect(maskEmail('a@b.cn')).toBe('a***@b.cn');
  });

  it('hides something that is not an address', () => {
    expect(maskEmail('nobody')).toBe('***');
    expect(maskEmail('@example.com')).toBe('***');
  });
});

describe('maskName', () => {
  it('keeps the family name only', () => {
    expect(maskName('张伟')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('买买提·艾力')).toBe('买*****');
  });

  it('counts characters outside the BMP as one', () => {
    expect(maskName('𠀋伟')).toBe('𠀋*');
  });

  it('never shows a one-character name whole', () => {
    expect(maskName('张')).toBe('张*');
    expect(maskName('')).toBe('*');
  });
});

describe('redactText', () => {
  it('removes an ID number, a mobile, an office phone and an email from Chinese text', () => {
    const text =
      '申请人张伟，邮箱 zhang@example.com，身份证号11010519491231002X，手机13812341234，办公电话024-23456789，请核实。';
    const out = redactText(text);
    expect(out).toBe('申请人张伟，邮箱 [email]，身份证号[id]，手机[phone]，办公电话[phone]，请核实。');
    expect(out).not.toContain('11010519491231002X');
    expect(out).not.toContain('13812341234');
    expect(out).not.toContain('23456789');
    expect(out).not.toContain('zhang@example.com');
    expect(out).not.toContain('example.com');
    expect(out).toContain('[id]');
    expect(out).toContain('[phone]');
    expect(out).toContain('[email]');
    expect(out).toContain('申请人张伟');
    expect(out).toContain('请核实。');
  });

  it('removes mobiles written with +86 and separators', () => {
    for (const mobile of [
      '+86 13812341234',
      '+8613812341234',
      '+86-138-1234-1234',
      '138 1234 1234',
      '86 13812341234',
    ]) {
      const out = redactText(`联系：${mobile}。`);
      expect(out).toBe('联系：[phone]。');
    }
  });

  it('removes a lower-case x ID, a legacy 15-digit ID and an office phone without hyphen', () => {
    expect(redactText('证件 11010519491231002x 已核验')).toBe('证件 [id] 已核验');
    expect(redactText('旧号码110105491231002')).toBe('旧号码[id]');
    expect(redactText('电话02423456789')).toBe('电话[phone]');
  });

  // The local part of EMAIL_PATTERN accepts any non-blank character, so it swallows all the
  // Chinese text before the address (Chinese has no spaces): the log line loses its context.
  it('keeps the Chinese text right before an email', () => {
    expect(redactText('联系人张伟，邮箱zhang@example.com，请回复')).toBe('联系人张伟，邮箱[email]，请回复');
    expect(redactText('已通知zhang@example.com')).toBe('已通知[email]');
  });

  it('keeps what lies between an email and a later domain name', () => {
    expect(redactText('邮箱 zhang@example.com，备案编号LN-2025-001，详见www.gov.cn')).toBe(
      '邮箱 [email]，备案编号LN-2025-001，详见www.gov.cn',
    );
  });

  // ID_PATTERN's look-behind refuses any Latin letter before the number, so an ID glued to a
  // label such as "ID" or "No." survives redaction and reaches the logs.
  it('removes an ID number written straight after a Latin label', () => {
    expect(redactText('ID11010519491231002X')).not.toContain('19491231');
    expect(redactText('证件No11010519491231002X')).not.toContain('19491231');
  });

  // OFFICE_PATTERN only knows `0AA-NNNNNNNN`; the other common ways of writing a landline
  // (space after the area code, area code in brackets) survive redaction.
  it('removes office phones written with a space or brackets', () => {
    expect(redactText('电话 024 23456789')).not.toContain('23456789');
    expect(redactText('电话(024)23456789')).not.toContain('23456789');
  });

  it('removes an email surrounded by Chinese punctuation', () => {
    expect(redactText('请发邮件至 Officer.1@Example.COM，谢谢')).toBe('请发邮件至 [email]，谢谢');
  });

  it('leaves text without personal data alone', () => {
    const text = '企业标准化工作第一管理人，2025年目标800名，代码91350200776049653A。';
    expect(redactText(text)).toBe(text);
  });

  it('removes any fixture ID number and mobile', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.string({ maxLength: 5 }), (n, noise) => {
        const { idNumber } = idNumberFor(n);
        const mobile = `139${String(n).padStart(8, '0')}`;
        const out = redactText(`身份证${idNumber}${noise.replace(/[0-9A-Za-z@]/g, '')}，手机${mobile}`);
        expect(out).not.toContain(idNumber);
        expect(out).not.toContain(mobile);
      }),
    );
  });
});

describe('redact', () => {
  it('deep-redacts nested objects and arrays', () => {
    const value = {
      filing: {
        person: { name: '张伟', achievements: '联系13812341234或 zhang@example.com' },
        notes: ['身份证11010519491231002X', { text: '电话024-23456789' }],
      },
      count: 3,
      ok: true,
      none: null,
      missing: undefined,
    };
    expect(redact(value)).toEqual({
      filing: {
        person: { name: '张伟', achievements: '联系[phone]或 [email]' },
        notes: ['身份证[id]', { text: '电话[phone]' }],
      },
      count: 3,
      ok: true,
      none: null,
      missing: undefined,
    });
  });

  it('redacts sensitive keys whatever their value looks like', () => {
    expect(
      redact({
        idNumber: 'abc',
        id_number: 'x',
        ID_NUMBER: 'y',
        mobile: '1',
        phone: 'ring',
        officePhone: 2,
        office_phone: 'z',
        email: 'nope',
        receiptToken: 'tok',
        token: 'secret',
        name: '张伟',
        nested: [{ Email: 'a' }],
      }),
    ).toEqual({
      idNumber: '[redacted]',
      id_number: '[redacted]',
      ID_NUMBER: '[redacted]',
      mobile: '[redacted]',
      phone: '[redacted]',
      officePhone: '[redacted]',
      office_phone: '[redacted]',
      email: '[redacted]',
      receiptToken: '[redacted]',
      token: '[redacted]',
      name: '张伟',
      nested: [{ Email: '[redacted]' }],
    });
  });

  it('keeps empty sensitive keys empty', () => {
    expect(redact({ officePhone: undefined, email: null })).toEqual({ officePhone: undefined, email: null });
  });

  it('turns errors into plain objects without personal data', () => {
    const error = new ValidationError([
      { path: 'person.idNumber', code: 'x', message: { zh: '11010519491231002X', en: '11010519491231002X' } },
    ]);
    const plain = new Error('duplicate 11010519491231002X, call 13812341234 or zhang@example.com');
    const out = redact({ error, plain, list: [plain] }) as Record<
      string,
      { name: string; message: string; stack?: string }
    >;
    expect(out.plain?.name).toBe('Error');
    expect(out.plain?.message).toBe('duplicate [id], call [phone] or [email]');
    expect(out.plain?.stack).toContain('duplicate [id]');
    expect(out.error?.name).toBe('ValidationError');
    expect(JSON.stringify(out)).not.toMatch(/11010519491231002X|13812341234|zhang@example\.com/);
  });

  it('redacts a bare string and passes other primitives through', () => {
    expect(redact('手机13812341234')).toBe('手机[phone]');
    expect(redact(42)).toBe(42);
    expect(redact(false)).toBe(false);
    expect(redact(null)).toBe(null);
    expect(redact(undefined)).toBe(undefined);
  });

  it('stops at depth 8', () => {
    let deep: unknown = '13812341234';
    for (let i = 0; i < 12; i += 1) deep = { d: deep };
    const text = JSON.stringify(redact(deep));
    expect(text).toContain('[truncated]');
    expect(text).not.toContain('13812341234');
  });

  it('does not change its input', () => {
    const input = { email: 'zhang@example.com', list: ['13812341234'] };
    redact(input);
    expect(input).toEqual({ email: 'zhang@example.com', list: ['13812341234'] });
  });
});
