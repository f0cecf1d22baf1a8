// Error messages name the field the way the applicant (or staff member) reads it: the Chinese
// message by the field's Chinese label, the English one by its English label, while `path`
// stays the machine path the form maps back to its control. Every field any request body can
// have has both labels, so no message falls back to a path like 「person：必填」.

import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { DepartureRequestSchema, RemovalRequestSchema } from '../use-cases/pool-departure.ts';
import { UploadRequestSchema } from './attachments.ts';
import { ValidationError } from './errors.ts';
import { FIELD_LABELS, fieldLabel } from './field-issues.ts';
import { FilingInputSchema, parseFiling } from './filing.ts';
import { PlanRequestSchema } from './plans.ts';
import { SelectionRequestSchema } from './selection.ts';
import { ResumeRequestSchema, RevealRequestSchema } from './staff.ts';
import { TrainingBatchRequestSchema } from './training.ts';

function issuesOf(input: unknown) {
  try {
    parseFiling(input);
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

/** Every property path of a JSON Schema (array items under their array's path). */
function paths(schema: Record<string, unknown>, prefix = ''): string[] {
  const node = schema as {
    properties?: Record<string, Record<string, unknown>>;
    items?: Record<string, unknown>;
    anyOf?: Record<string, unknown>[];
  };
  const out: string[] = [];
  for (const branch of node.anyOf ?? []) out.push(...paths(branch, prefix));
  if (node.items) out.push(...paths(node.items, prefix));
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    out.push(path, ...paths(child, path));
  }
  return out;
}

const REQUEST_SCHEMAS: Record<string, z.ZodMiniType> = {
  filing: FilingInputSchema,
  upload: UploadRequestSchema,
  departure: DepartureRequestSchema,
  removal: RemovalRequestSchema,
  reveal: RevealRequestSchema,
  resume: ResumeRequestSchema,
  plan: PlanRequestSchema,
  selection: SelectionRequestSchema,
  trainingBatch: TrainingBatchRequestSchema,
};

describe('field labels in error messages', () => {
  it('names each missing block of an empty filing in Chinese and in English, path unchanged', () => {
    expect(issuesOf({})).toEqual([
      { path: 'role', code: 'required', message: { zh: '岗位：必填', en: 'role: is required' } },
      { path: 'person', code: 'required', message: { zh: '人员信息：必填', en: 'person: is required' } },
      {
        path: 'enterprise',
        code: 'required',
        message: { zh: '企业信息：必填', en: 'enterprise: is required' },
      },
      {
        path: 'consent',
        code: 'required',
        message: { zh: '个人信息处理同意：必填', en: 'consent: is required' },
      },
    ]);
  });

  it('names every missing field of empty blocks by its label, never by its path', () => {
    const issues = issuesOf({ person: { appointment: {} }, enterprise: { contact: {} }, consent: {} });
    expect(issues.length).toBeGreaterThan(20);
    for (const issue of issues) {
      const label = fieldLabel(issue.path);
      expect(label.zh, issue.path).toMatch(/\p{Script=Han}/u);
      expect(issue.message.zh.startsWith(`${label.zh}：`), issue.message.zh).toBe(true);
      expect(issue.message.en.startsWith(`${label.en}: `), issue.message.en).toBe(true);
      expect(issue.message.zh, issue.path).not.toContain(issue.path.split('.').at(-1));
    }
    expect(issues.find((i) => i.path === 'enterprise.contact.phone')?.message).toEqual({
      zh: '联系人电话：必填',
      en: 'contact phone: is required',
    });
  });

  it('names the body as a whole when it is not an object, with the type in Chinese', () => {
    expect(issuesOf(null)).toEqual([
      {
        path: '',
        code: 'invalid_type',
        message: { zh: '请求内容：类型错误，应为对象', en: 'the body: must be an object' },
      },
    ]);
    const wrongType = issuesOf({ role: 5 }).find((i) => i.path === 'role');
    expect(wrongType?.message.zh).toBe('岗位：类型错误，应为文本');
  });

  it.each(Object.entries(REQUEST_SCHEMAS))(
    'labels every field of the %s request in both languages',
    (_, schema) => {
      const jsonSchema = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
        string,
        unknown
      >;
      for (const path of paths(jsonSchema)) {
        expect(FIELD_LABELS[path], path).toBeDefined();
        expect(fieldLabel(path).zh, path).toMatch(/\p{Script=Han}/u);
        expect(fieldLabel(path).en, path).not.toBe(path.includes('.') ? path : '');
      }
    },
  );
});
