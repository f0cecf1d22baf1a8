// The filing form checks the code fields with the server's own validators: the site's check.ts
// imports them from shared/domain/validation (bundled by esbuild, not copied), so the form refuses
// exactly what the API refuses, with the API's words. Before a programme is chosen it still lists
// every required field at once; a birth month is taken as typed (1980-05, 198005, 1980年5月).
// The pages' bundles hold the shared validators and nothing server-only.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/domain/errors.ts';
import { type FilingInput, filingJsonSchema, parseFiling } from '#shared/domain/filing.ts';
import { idNumberFor, usccFor, validFiling } from '../support/fixtures.ts';

type Text = { zh: string; en: string };
type FieldMessage = { path: string; message: Text };
interface Ctx {
  choices: ReadonlySet<string>;
  badNumbers: ReadonlySet<string>;
}

// The site's modules set the page's language when they load: a bare document is enough here.
// They are typed by the site's own project (DOM types), so this one loads them by a computed path.
(globalThis as { document?: unknown }).document ??= { documentElement: {} };
const site = (name: string) => import(`../../site/src/${name}.ts`);
const check = (await site('check')) as {
  makeValidator: (schema: Record<string, unknown>) => unknown;
  checkBody: (v: unknown, s: Record<string, unknown>, body: unknown, ctx: Ctx) => FieldMessage[];
  checkRequired: (body: Record<string, unknown>, ctx: Ctx) => FieldMessage[];
  normalizeYearMonth: (raw: string) => string;
  REQUIRED_PATHS: readonly string[];
};

const schema = filingJsonSchema();
const validator = check.makeValidator(schema);
const ctx: Ctx = { choices: new Set(), badNumbers: new Set() };

/** What the form says about one field of the body, or undefined. */
function siteMessage(body: FilingInput, path: string): Text | undefined {
  return check.checkBody(validator, schema, body, ctx).find((m) => m.path === path)?.message;
}

/** What the API says about one field of the body, or undefined. */
function serverMessage(body: FilingInput, path: string): Text | undefined {
  try {
    parseFiling(body);
    return undefined;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return error.issues.find((i) => i.path === path)?.message;
  }
}

const id = idNumberFor(42).idNumber;
const uscc = usccFor(42);
const flip = (s: string, i: number) => `${s.slice(0, i)}${s[i] === '0' ? '1' : '0'}${s.slice(i + 1)}`;

/** The cases: a field of a valid filing set to a value as typed. */
const CASES: [string, string, string][] = [
  ['a valid ID number', 'person.idNumber', id],
  ['a wrong ID check digit', 'person.idNumber', flip(id, 17)],
  ['an ID number with a lower-case x', 'person.idNumber', '11010519491231002x'],
  ['an ID number of 17 characters', 'person.idNumber', id.slice(0, 17)],
  ['an ID number born on 1980-02-30', 'person.idNumber', '210102198002300017'],
  ['an ID number with a bad region', 'person.idNumber', `99${id.slice(2)}`],
  ['a valid credit code', 'enterprise.uscc', uscc],
  ['a wrong credit-code check digit', 'enterprise.uscc', flip(uscc, 12)],
  ['a credit code with the letter I', 'enterprise.uscc', `${uscc.slice(0, 10)}I${uscc.slice(11)}`],
  ['a pre-2016 Fujian code (a warning only)', 'enterprise.uscc', '91350203M0001QKT19'],
  ['a mobile with +86 and blanks', 'person.mobile', '+86 138 0013 8000'],
  ['a mobile starting with 12', 'person.mobile', '12345678901'],
  ['a bad office phone', 'person.officePhone', '23456789'],
  ['an office phone with an extension', 'person.officePhone', '0411-8765432-123'],
  ['a contact phone that is neither', 'enterprise.contact.phone', '12345'],
  ['a contact landline in brackets', 'enterprise.contact.phone', '(024)23456789'],
];

function withValue(path: string, value: string): FilingInput {
  const filing = validFiling({ n: 42 });
  const keys = path.split('.');
  let node = filing as unknown as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1) ?? ''] = value;
  return filing;
}

describe('the form’s check of the code fields', () => {
  it('passes a valid filing', () => {
    expect(check.checkBody(validator, schema, validFiling({ n: 42 }), ctx)).toEqual([]);
  });

  it.each(CASES)(
    '%s: refused by the form exactly when the API refuses it, in its words',
    (_, path, value) => {
      const filing = withValue(path, value);
      const server = serverMessage(filing, path);
      const form = siteMessage(filing, path);
      expect(form === undefined, `${path}: form ${form?.zh}, API ${server?.zh}`).toBe(server === undefined);
      if (server && form) {
        expect(form.zh).toBe(server.zh);
        // the English labels differ only in capitals (the form's label starts a sentence)
        expect(form.en.toLowerCase()).toBe(server.en.toLowerCase());
      }
    },
  );

  it('refuses a wrong check digit with the validator’s message', () => {
    const filing = validFiling({ n: 42 });
    filing.person.idNumber = flip(id, 17);
    filing.enterprise.uscc = flip(uscc, 12);
    expect(siteMessage(filing, 'person.idNumber')?.zh).toBe(
      '证件号码：身份证号码校验位不正确，请核对是否输错。',
    );
    expect(siteMessage(filing, 'enterprise.uscc')?.en).toBe(
      'Unified social credit code: The check character of the unified social credit code is wrong; please check for a typing error.',
    );
  });
});

describe('the check before a programme is chosen', () => {
  it('lists every required field, the filled code fields and the consent at once', () => {
    const body = {
      person: { appointment: {}, idNumber: flip(id, 17), achievements: '' },
      enterprise: { contact: {}, categories: [] },
      consent: { accepted: false, noticeVersion: '' },
    };
    const messages = check.checkRequired(body, {
      choices: new Set(['role', 'person.sex']),
      badNumbers: new Set(),
    });
    const paths = messages.map((m) => m.path);
    // (in the form, the summary lists them in the order of the page)
    expect(paths.toSorted()).toEqual([...check.REQUIRED_PATHS, 'consent.accepted'].toSorted());
    expect(paths).toContain('person.mobile');
    expect(paths).toContain('enterprise.contactEmail');
    expect(paths).not.toContain('person.officePhone');
    expect(paths).not.toContain('person.training.course');
    const byPath = Object.fromEntries(messages.map((m) => [m.path, m.message]));
    expect(byPath.role).toEqual({ zh: '岗位：请选择', en: 'Role: please choose one' });
    expect(byPath['person.name']).toEqual({ zh: '姓名：必填', en: 'Name: is required' });
    expect(byPath['person.idNumber']?.zh).toBe('证件号码：身份证号码校验位不正确，请核对是否输错。');
  });
});

describe('the birth month as typed', () => {
  it.each([
    ['1980-05', '1980-05'],
    ['1980-5', '1980-05'],
    ['198005', '1980-05'],
    ['1980/05', '1980-05'],
    ['1980.5', '1980-05'],
    ['1980年5月', '1980-05'],
    ['１９８０－０５', '1980-05'],
    [' 1980-12 ', '1980-12'],
    ['1980', '1980'],
    ['80-05', '80-05'],
    ['1980-123', '1980-123'],
  ])('%j is sent as %j', (typed, sent) => {
    expect(check.normalizeYearMonth(typed)).toBe(sent);
  });
});

describe('the site’s bundles', () => {
  it('hold the shared validators and nothing that only the server may load', async () => {
    const src = fileURLToPath(new URL('../../site/src/', import.meta.url));
    const result = await build({
      entryPoints: ['form.page.ts', 'status.page.ts', 'receipt.page.ts'].map((f) => `${src}${f}`),
      bundle: true,
      write: false,
      outdir: 'out',
      format: 'esm',
      platform: 'browser',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    for (const shared of ['id-number', 'uscc', 'phone', 'normalize']) {
      expect(inputs).toContain(`shared/domain/validation/${shared}.ts`);
    }
    const outside = inputs.filter((i) => !i.startsWith('site/src/'));
    for (const input of outside) {
      expect(input, input).toMatch(/^(shared\/domain\/|(.*\/)?node_modules\/@cfworker\/json-schema\/)/);
      expect(input, input).not.toMatch(/^shared\/domain\/(filing|programs|field-issues)\b/);
    }
  });
});
