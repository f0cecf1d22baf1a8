import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { validFiling } from '../../test/support/fixtures.ts';
import { ValidationError } from '../domain/errors.ts';
import { parseFiling } from '../domain/filing.ts';
import { createLogger, logger, RedactingLogFormatter } from './logger.ts';

// Powertools prints with a `node:console` Console built on process.stdout / process.stderr, or with
// the global console when POWERTOOLS_DEV is on. Both paths are captured, so whichever it takes,
// every byte it prints is searched.
function capture(): { text: () => string; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const collect = (...args: unknown[]) => {
    chunks.push(args.map(String).join(' '));
  };
  const write = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(write);
  vi.spyOn(process.stderr, 'write').mockImplementation(write);
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    vi.spyOn(console, method).mockImplementation(collect);
  }
  return {
    text: () => chunks.join('\n'),
    lines: () =>
      chunks
        .join('\n')
        .split(/\n(?=\{)/)
        .map((s) => s.trim())
        .filter((s) => s.startsWith('{'))
        .map((s) => JSON.parse(s) as Record<string, unknown>),
  };
}

const filing = parseFiling(validFiling({ n: 42 }));
const { idNumber, mobile, email } = filing.person;
const officePhone = filing.person.officePhone ?? '024-23456789';
const contactPhone = filing.enterprise.contact.phone;

/** Every form in which the personal data could appear in a log. */
const SECRETS = [
  idNumber,
  idNumber.slice(6, 14), // the birth date inside the ID number
  mobile,
  `+86 ${mobile}`,
  `+86${mobile}`,
  `${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`,
  officePhone,
  officePhone.replace('-', ''),
  officePhone.split('-')[1] ?? officePhone,
  contactPhone,
  email,
  email.split('@')[0] ?? email,
];

function expectNoPersonalData(output: string): void {
  for (const secret of SECRETS) expect(output, `log output contains ${secret}`).not.toContain(secret);
}

function logEverything(): void {
  const log = createLogger('test');
  const error = new Error(
    `duplicate person ${idNumber}: call +86 ${mobile} (+86 ${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}) or ${officePhone}, mail ${email}`,
  );
  log.info('filing received', { filing });
  log.error('filing failed', error);
  log.warn(`could not notify ${email} at +86${mobile}`, { detail: { note: `office ${officePhone}` } });
  log.error('validation failed', {
    error: new ValidationError([
      {
        path: 'person.idNumber',
        code: 'duplicate',
        message: { zh: `重复：${idNumber}`, en: `duplicate ${idNumber}` },
      },
    ]),
    body: validFiling({ n: 42 }),
  });
}

describe('the logger', () => {
  beforeEach(() => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('writes JSON lines to stdout/stderr without ID numbers, phones or emails', () => {
    vi.stubEnv('POWERTOOLS_DEV', 'false');
    const out = capture();
    logEverything();
    const text = out.text();

    expect(text).toContain('filing received');
    expect(text).toContain('filing failed');
    expect(text).toContain('could not notify');
    expectNoPersonalData(text);

    const lines = out.lines();
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['INFO', 'filing received'],
      ['ERROR', 'filing failed'],
      ['WARN', 'could not notify [email] at [phone]'],
      ['ERROR', 'validation failed'],
    ]);
    for (const line of lines) expect(line.service).toBe('test');
  });

  it('keeps the non-personal parts of the filing and of the error', () => {
    vi.stubEnv('POWERTOOLS_DEV', 'false');
    const out = capture();
    logEverything();
    const [received, failed] = out.lines();
    expect(received?.filing).toMatchObject({
      role: 'cso',
      person: {
        idNumber: '[redacted]',
        mobile: '[redacted]',
        email: '[redacted]',
        officePhone: '[redacted]',
      },
      enterprise: { uscc: filing.enterprise.uscc, reportingUnit: '210100', contact: { phone: '[redacted]' } },
    });
    expect(failed?.error).toMatchObject({ name: 'Error' });
    const failedError = (failed?.error ?? {}) as { message?: unknown };
    expect(String(failedError.message)).toMatch(/^duplicate person \[id\]: call \[phone\]/);
  });

  it('redacts the same way in dev mode (global console, pretty printed)', () => {
    vi.stubEnv('POWERTOOLS_DEV', 'true');
    const out = capture();
    logEverything();
    const text = out.text();
    expect(text).toContain('filing received');
    expect(text).toContain('validation failed');
    expectNoPersonalData(text);
  });

  it('redacts personal data in the message itself', () => {
    vi.stubEnv('POWERTOOLS_DEV', 'false');
    const out = capture();
    createLogger('test').info(`person ${idNumber} mobile ${mobile} email ${email}`);
    expect(out.text()).toContain('person [id] mobile [phone] email [email]');
    expectNoPersonalData(out.text());
  });

  it('redacts through the shared instance too', () => {
    const out = capture();
    logger.info('shared instance', { filing, note: `call ${mobile}` });
    expect(out.text()).toContain('shared instance');
    expectNoPersonalData(out.text());
  });

  it('has a formatter that redacts base and extra attributes', () => {
    const formatter = new RedactingLogFormatter();
    const item = formatter.formatAttributes(
      {
        logLevel: 'INFO',
        message: `id ${idNumber}`,
        timestamp: new Date('2025-01-01T00:00:00Z'),
        serviceName: 'svc',
        environment: '',
        sampleRateValue: 0,
        awsRegion: 'cn-north-1',
      },
      { email, nested: [{ note: `call ${mobile}` }] },
    );
    expect(item.getAttributes()).toMatchObject({
      level: 'INFO',
      message: 'id [id]',
      service: 'svc',
      email: '[redacted]',
      nested: [{ note: 'call [phone]' }],
    });
    expect(item.getAttributes().timestamp).toBe('2025-01-01T00:00:00.000Z');
  });
});
