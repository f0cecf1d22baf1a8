import { describe, expect, it } from 'vitest';
import { normalizePersonName, PERSON_NAME_PATTERN } from './person-name.ts';

const accepted = (raw: string) => PERSON_NAME_PATTERN.test(normalizePersonName(raw));

describe('person names', () => {
  it.each(['张三', '阿依古丽·买买提', 'Jean-Pierre Dupont', "Sean O'Brien", 'Ana María Ruíz', '欧阳 修'])(
    'accepts %s',
    (name) => {
      expect(accepted(name)).toBe(true);
    },
  );

  it('stores look-alike dots, apostrophes and dashes in one form', () => {
    expect(normalizePersonName(' 阿依古丽•买买提 ')).toBe('阿依古丽·买买提');
    expect(normalizePersonName('Sean O’Brien')).toBe("Sean O'Brien");
    expect(normalizePersonName('Jean–Pierre  Dupont')).toBe('Jean-Pierre Dupont');
  });

  it.each(['张3', '·张三', "张三'", 'Jean--', 'Smith, John', '张<b>三', '-'])('refuses %s', (name) => {
    expect(accepted(name)).toBe(false);
  });
});
