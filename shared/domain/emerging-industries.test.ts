import { describe, expect, it } from 'vitest';
import { validFiling } from '../../test/support/fixtures.ts';
import { ValidationError } from './errors.ts';
import { fieldLabel } from './field-issues.ts';
import { EMERGING_INDUSTRIES, filingJsonSchema, parseFiling } from './filing.ts';

const withIndustries = (value: unknown) => {
  const input = validFiling() as unknown as { enterprise: Record<string, unknown> };
  input.enterprise.emergingIndustries = value;
  return input;
};

describe('the enterprise’s strategic emerging industries (战略性新兴产业)', () => {
  it('are optional, and several of the nine are kept, each once', () => {
    expect(parseFiling(validFiling()).enterprise.emergingIndustries).toBeUndefined();
    expect(EMERGING_INDUSTRIES).toHaveLength(9);
    const parsed = parseFiling(withIndustries(['new_materials', 'biology', 'new_materials']));
    expect(parsed.enterprise.emergingIndustries).toEqual(['new_materials', 'biology']);
    expect(parseFiling(withIndustries([])).enterprise.emergingIndustries).toEqual([]);
  });

  it('refuses a category that is not one of the nine, naming the field in both languages', () => {
    const attempt = () => parseFiling(withIndustries(['biology', 'tourism']));
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (error) {
      const issue = (error as ValidationError).issues[0];
      expect(issue?.path).toBe('enterprise.emergingIndustries.1');
    }
    expect(() => parseFiling(withIndustries('biology'))).toThrow(ValidationError);
    expect(fieldLabel('enterprise.emergingIndustries.1')).toEqual({
      zh: '战略性新兴产业类别',
      en: 'strategic emerging industries',
    });
  });

  it('is in the JSON Schema the site reads, with the nine values', () => {
    const schema = filingJsonSchema() as {
      properties: { enterprise: { properties: Record<string, { items?: { enum?: string[] } }> } };
    };
    expect(schema.properties.enterprise.properties.emergingIndustries?.items?.enum).toEqual([
      ...EMERGING_INDUSTRIES,
    ]);
  });
});
