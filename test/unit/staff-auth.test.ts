// The local stand-in for API Gateway's JWT authorizer: a token signed by the local key set is
// accepted only with the right issuer, audience and algorithm, an `exp` not passed and a `sub`;
// one without `exp` (it would never expire) or without `sub` (no one to audit) is refused, as
// API Gateway refuses it. `npm run token` issues tokens that carry both.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt, importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueStaffToken, LOCAL_AUDIENCE, LOCAL_ISSUER, verifyStaffToken } from '#infra/local/staff-auth.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
let keyFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'staff-auth-'));
  keyFile = join(dir, 'staff-keys.json');
  await issueStaffToken(keyFile, { scopes: [] }); // creates the key set
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A token signed with the local key, with exactly the claims given (iat always). */
async function signed(claims: { sub?: string; exp?: number; iss?: string; aud?: string }): Promise<string> {
  const keys = JSON.parse(readFileSync(keyFile, 'utf8')) as { kid: string; privateJwk: JWK };
  const jwt = new SignJWT({ 'cognito:groups': ['province-liaoning-cso'], token_use: 'access' })
    .setProtectedHeader({ alg: 'ES256', kid: keys.kid })
    .setIssuedAt()
    .setIssuer(claims.iss ?? LOCAL_ISSUER)
    .setAudience(claims.aud ?? LOCAL_AUDIENCE);
  if (claims.sub !== undefined) jwt.setSubject(claims.sub);
  if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
  return jwt.sign(await importJWK(keys.privateJwk, 'ES256'));
}

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
const bearer = (token: string) => `Bearer ${token}`;

describe('verifyStaffToken', () => {
  it('accepts a token with `sub` and a future `exp`, handing the groups over as API Gateway does', async () => {
    const claims = await verifyStaffToken(keyFile, bearer(await signed({ sub: 'staff-1', exp: inAnHour() })));
    expect(claims).toMatchObject({ sub: 'staff-1', 'cognito:groups': '[province-liaoning-cso]' });
  });

  it('refuses a token without `exp`', async () => {
    expect(await verifyStaffToken(keyFile, bearer(await signed({ sub: 'staff-1' })))).toBeUndefined();
  });

  it('refuses a token without `sub`', async () => {
    expect(await verifyStaffToken(keyFile, bearer(await signed({ exp: inAnHour() })))).toBeUndefined();
  });

  it('refuses an expired token, another issuer or audience, and no bearer token', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    for (const token of [
      await signed({ sub: 's', exp: past }),
      await signed({ sub: 's', exp: inAnHour(), iss: 'https://elsewhere.example' }),
      await signed({ sub: 's', exp: inAnHour(), aud: 'another-app' }),
    ]) {
      expect(await verifyStaffToken(keyFile, bearer(token))).toBeUndefined();
    }
    expect(await verifyStaffToken(keyFile, undefined)).toBeUndefined();
    expect(await verifyStaffToken(keyFile, await signed({ sub: 's', exp: inAnHour() }))).toBeUndefined();
  });
});

describe('issued tokens', () => {
  it('carry `sub` and `exp`, from issueStaffToken and from `npm run token`', async () => {
    const issued = await issueStaffToken(keyFile, {
      scopes: [{ role: 'city', programId: 'liaoning-cso', unit: '210100' }],
    });
    const printed = execFileSync(
      process.execPath,
      ['infra/local/token.ts', '--role', 'auditor', '--program', 'liaoning-cso', '--expires', '2h'],
      { cwd: root, env: { ...process.env, LOCAL_STAFF_KEYS: keyFile }, encoding: 'utf8' },
    ).trim();
    for (const token of [issued, printed]) {
      const { sub, exp } = decodeJwt(token);
      expect(sub).toMatch(/^local-[0-9a-f]{8}$/);
      expect(exp).toBeGreaterThan(Date.now() / 1000);
      expect(await verifyStaffToken(keyFile, bearer(token))).toMatchObject({ sub });
    }
    const { iat, exp } = decodeJwt(printed);
    expect((exp ?? 0) - (iat ?? 0)).toBe(2 * 3600); // --expires 2h
  });
});
