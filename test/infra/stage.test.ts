// Stage settings are checked before anything is built: a wrong one stops synth with its path.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { retentionDays } from '#infra/log-retention.ts';
import { loadStage, parseStage } from '#infra/stage.ts';

const dev = () => structuredClone(loadStage('dev')) as Record<string, unknown>;

function problems(input: unknown): string {
  try {
    parseStage(input, 'test stage');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the stage to be refused');
}

describe('stage files', () => {
  it('loads the stages in infra/stages with their defaults', () => {
    const stage = loadStage('dev');
    expect(stage).toMatchObject({
      name: 'dev',
      reviewerContacts: 'program-config',
      staffSignIn: { provider: 'cognito' },
    });
    expect(stage.throttle).toEqual({ rateLimit: 50, burstLimit: 100 });
    expect(loadStage('liaoning')).toMatchObject({ region: 'cn-north-1', mail: { transport: 'smtp' } });
  });

  it('refuses SES and Cognito in the China regions, naming the setting', () => {
    const stage = { ...dev(), region: 'cn-northwest-1' };
    const message = problems(stage);
    expect(message).toContain('mail.transport: China regions have no SES');
    expect(message).toContain('staffSignIn.provider: China regions have no Cognito user pools');
  });

  it('lists every wrong setting by its path at once', () => {
    const message = problems({
      ...dev(),
      name: 'Dev!',
      account: '12345',
      allowedOrigins: ['http://plain.example.cn', 'https://ok.example.cn/path'],
      alertEmail: 'not-an-address',
      logRetentionDays: 30,
    });
    for (const path of [
      'name',
      'account',
      'allowedOrigins.0',
      'allowedOrigins.1',
      'alertEmail',
      'logRetentionDays',
    ]) {
      expect(message).toContain(`  ${path}: `);
    }
  });

  it('refuses a file whose name and stage disagree, and a missing stage', () => {
    const dir = `${mkdtempSync(join(tmpdir(), 'sso-stages-'))}/`;
    writeFileSync(join(dir, 'prod.json'), JSON.stringify({ ...dev(), name: 'dev' }));
    expect(() => loadStage('prod', dir)).toThrow('names stage dev, not prod');
    expect(() => loadStage('nowhere', dir)).toThrow('no stage nowhere');
    expect(() => loadStage('../etc', dir)).toThrow('not a stage name');
  });
});

describe('log retention', () => {
  it('rounds the stage’s days up to a period CloudWatch offers', () => {
    expect(retentionDays(180)).toBe(180);
    expect(retentionDays(200)).toBe(365);
    expect(retentionDays(366)).toBe(400);
  });
});
