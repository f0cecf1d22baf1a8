// The local OpenID Connect provider of `npm start` (infra/local/oidc.ts), by its handler: the
// PKCE S256 check, a wrong verifier refused, a code used once only, an unknown client or
// callback refused, and its tokens accepted by the local JWT check as `npm run token`'s are.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_CONSOLE_CLIENT, localOidc, OIDC_PATH } from '#infra/local/oidc.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, verifyStaffToken } from '#infra/local/staff-auth.ts';

const dir = mkdtempSync(join(tmpdir(), 'oidc-test-'));
const keyFile = join(dir, 'staff-keys.json');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const origin = 'http://127.0.0.1:4321';
const callback = `${origin}/staff/`;
let clock = Date.parse('2026-12-07T10:00:00Z');
const provider = localOidc({ keyFile, now: () => clock });

const verifierPair = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

function authorizeParams(challenge: string, overrides: Record<string, string> = {}) {
  return new URLSearchParams({
    client_id: LOCAL_CONSOLE_CLIENT,
    redirect_uri: callback,
    response_type: 'code',
    scope: 'openid',
    state: 'state-1',
    nonce: 'nonce-1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  });
}

const call = (method: string, path: string, body?: URLSearchParams) =>
  provider.handle({
    method,
    url: new URL(`${origin}${OIDC_PATH}${path}`),
    origin,
    ...(body ? { body: body.toString() } : {}),
  });

/** Signs in as `user` on the authorize page; the code from the redirect back to the console. */
async function codeFor(challenge: string, user = 'city-liaoning-cso-210100'): Promise<string> {
  const params = authorizeParams(challenge);
  params.set('user', user);
  const answer = await call('POST', '/authorize', params);
  expect(answer?.status).toBe(303);
  const location = new URL(answer?.headers.location ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(callback);
  expect(location.searchParams.get('state')).toBe('state-1');
  expect(location.searchParams.get('iss')).toBe(LOCAL_ISSUER);
  return location.searchParams.get('code') ?? '';
}

const exchange = (code: string, verifier: string, overrides: Record<string, string> = {}) =>
  call(
    'POST',
    '/token',
    new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: LOCAL_CONSOLE_CLIENT,
      redirect_uri: callback,
      code,
      code_verifier: verifier,
      ...overrides,
    }),
  );

const errorOf = (answer: Awaited<ReturnType<typeof call>>) => JSON.parse(answer?.body ?? '{}').error;

describe('local OIDC provider', () => {
  it('publishes discovery with the local issuer and its endpoints on the loopback origin, and the JWKS', async () => {
    const discovery = JSON.parse((await call('GET', '/.well-known/openid-configuration'))?.body ?? '{}');
    expect(discovery).toMatchObject({
      issuer: LOCAL_ISSUER,
      authorization_endpoint: `${origin}${OIDC_PATH}/authorize`,
      token_endpoint: `${origin}${OIDC_PATH}/token`,
      code_challenge_methods_supported: ['S256'],
    });
    const jwks = JSON.parse((await call('GET', '/jwks'))?.body ?? '{}');
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0].d).toBeUndefined();
  });

  it('lists the test users by role and unit on the authorize page', async () => {
    const { challenge } = verifierPair();
    const page = await call('GET', `/authorize?${authorizeParams(challenge)}`);
    expect(page?.status).toBe(200);
    expect(page?.headers['content-security-policy']).toContain("form-action 'self'");
    for (const user of [
      'province-liaoning-cso',
      'city-liaoning-cso-210100',
      'city-liaoning-cso-210200',
      'auditor-liaoning-cso',
    ]) {
      expect(page?.body).toContain(`value="${user}"`);
    }
    expect(page?.body).toContain('沈阳市（210100）');
  });

  it('exchanges a code with the right verifier for tokens the local JWT check accepts', async () => {
    const { verifier, challenge } = verifierPair();
    const answer = await exchange(await codeFor(challenge), verifier);
    expect(answer?.status).toBe(200);
    const tokens = JSON.parse(answer?.body ?? '{}');
    expect(tokens.token_type).toBe('Bearer');
    const claims = await verifyStaffToken(keyFile, `Bearer ${tokens.access_token}`);
    expect(claims).toMatchObject({
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
      sub: 'local-city-liaoning-cso-210100',
      'cognito:groups': '[city-liaoning-cso-210100]',
    });
    const id = decodeJwt(tokens.id_token);
    expect(id).toMatchObject({ iss: LOCAL_ISSUER, aud: LOCAL_CONSOLE_CLIENT, nonce: 'nonce-1' });
  });

  it('refuses a wrong verifier, and the code is spent by that attempt', async () => {
    const { verifier, challenge } = verifierPair();
    const code = await codeFor(challenge);
    const wrong = await exchange(code, verifierPair().verifier);
    expect(wrong?.status).toBe(400);
    expect(errorOf(wrong)).toBe('invalid_grant');
    expect(errorOf(await exchange(code, verifier))).toBe('invalid_grant');
  });

  it('takes a code once only', async () => {
    const { verifier, challenge } = verifierPair();
    const code = await codeFor(challenge);
    expect((await exchange(code, verifier))?.status).toBe(200);
    const again = await exchange(code, verifier);
    expect(again?.status).toBe(400);
    expect(errorOf(again)).toBe('invalid_grant');
  });

  it('refuses an expired code, another callback, and a missing verifier', async () => {
    const pair = verifierPair();
    const code = await codeFor(pair.challenge);
    clock += 61_000;
    expect(errorOf(await exchange(code, pair.verifier))).toBe('invalid_grant');
    const other = verifierPair();
    expect(
      errorOf(await exchange(await codeFor(other.challenge), other.verifier, { redirect_uri: `${origin}/` })),
    ).toBe('invalid_grant');
    const third = verifierPair();
    expect(errorOf(await exchange(await codeFor(third.challenge), ''))).toBe('invalid_grant');
  });

  it('refuses an unknown client at the token endpoint and on the authorize page (no redirect)', async () => {
    const { verifier, challenge } = verifierPair();
    const code = await codeFor(challenge);
    const answer = await exchange(code, verifier, { client_id: 'someone-else' });
    expect(answer?.status).toBe(401);
    expect(errorOf(answer)).toBe('invalid_client');
    const page = await call('GET', `/authorize?${authorizeParams(challenge, { client_id: 'someone-else' })}`);
    expect(page?.status).toBe(400);
    expect(page?.headers.location).toBeUndefined();
    const posted = authorizeParams(challenge, { client_id: 'someone-else' });
    posted.set('user', 'province-liaoning-cso');
    expect((await call('POST', '/authorize', posted))?.status).toBe(400);
  });

  it('refuses an authorization request without PKCE S256 or with a foreign callback', async () => {
    const { challenge } = verifierPair();
    const refused: Record<string, string>[] = [
      { code_challenge_method: 'plain' },
      { code_challenge: '' },
      { redirect_uri: 'https://evil.example/staff/' },
      { response_type: 'token' },
    ];
    for (const overrides of refused) {
      const page = await call('GET', `/authorize?${authorizeParams(challenge, overrides)}`);
      expect(page?.status).toBe(400);
      expect(page?.headers.location).toBeUndefined();
    }
  });
});
