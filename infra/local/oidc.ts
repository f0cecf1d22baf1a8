// A small OpenID Connect provider for `npm start`, on the runtime's own loopback port under
// /_oidc/, so that the staff console signs in locally the way it does against the stage's
// Cognito user pool: discovery, an authorize page that lists the local test users (one per
// role and unit, no passwords: the local runtime is one person's machine), a token endpoint
// for the authorization code with PKCE (S256 only), and the JWKS. Tokens are signed with the
// local key set and carry the issuer and audience the local JWT check accepts (the same as
// `npm run token`), so the staff routes take them unchanged. Codes live in memory, once each,
// for a minute.
import { createHash, randomBytes } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import { getProgram } from '#shared/domain/programs/index.ts';
import { groupOf, type StaffScope, scopeOfGroup } from '#shared/domain/staff.ts';
import { escapeHtml, page } from '#shared/http/html.ts';
import { ALG, issueStaffToken, LOCAL_ISSUER, loadOrCreate } from './staff-auth.ts';

/** Where the provider answers on the local runtime's port. */
export const OIDC_PATH = '/_oidc';
/** The staff console's client id locally (in the cloud: the Cognito app client's id). */
export const LOCAL_CONSOLE_CLIENT = 'staff-console-local';
/** Where the console takes the answer: the site's origin and /staff/, as on a Cognito stage. */
export const CONSOLE_CALLBACK_PATH = '/staff/';

const CODE_SECONDS = 60;
const TOKEN_SECONDS = 3600;

export interface TestUser {
  id: string;
  scope: StaffScope;
}

/** The local test users: province, two cities and an auditor of Liaoning; the same for Anhui. */
export const TEST_USERS: readonly TestUser[] = [
  'province-liaoning-cso',
  'city-liaoning-cso-210100',
  'city-liaoning-cso-210200',
  'auditor-liaoning-cso',
  'province-anhui-std-director',
  'city-anhui-std-director-340100',
  'auditor-anhui-std-director',
].map((group) => {
  const scope = scopeOfGroup(group);
  if (!scope) throw new Error(`no such staff group: ${group}`);
  return { id: group, scope };
});

const ROLE_NAMES = { province: '省级工作人员', city: '市级工作人员', auditor: '审计（只读）' } as const;
const ROLE_NAMES_EN = {
  province: 'province staff',
  city: 'city staff',
  auditor: 'auditor (read-only)',
} as const;

function userLabel(user: TestUser): string {
  const program = getProgram(user.scope.programId);
  const unit = program.reportingUnits.find((u) => u.code === user.scope.unit);
  const zh = `${program.title.zh} · ${ROLE_NAMES[user.scope.role]}${unit ? ` · ${unit.name.zh}（${unit.code}）` : ''}`;
  const en = `${ROLE_NAMES_EN[user.scope.role]}${unit ? `, ${unit.name.en} (${unit.code})` : ''}`;
  return `${zh} / ${en}`;
}

export interface OidcRequest {
  method: string;
  url: URL;
  /** The origin the browser used (http://127.0.0.1:<port>), for the endpoints and the callback. */
  origin: string;
  /** A form body (application/x-www-form-urlencoded), for the POSTs. */
  body?: string;
}

export interface OidcAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce?: string;
  user: TestUser;
  expiresAt: number;
}

const PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const json = (status: number, body: unknown): OidcAnswer => ({
  status,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  },
  body: JSON.stringify(body),
});
/** An OAuth error answer (RFC 6749 §5.2). */
const oauthError = (status: number, error: string, description: string) =>
  json(status, { error, error_description: description });
const html = (status: number, title: string, body: string): OidcAnswer => ({
  status,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': PAGE_POLICY,
    'x-frame-options': 'DENY',
  },
  body: page(title, body),
});
const errorPage = (zh: string, en: string) =>
  html(
    400,
    '登录请求无效 / Invalid sign-in request',
    `<h1>登录请求无效</h1><p>${escapeHtml(zh)}</p><p lang="en">${escapeHtml(en)}</p>`,
  );

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
/** RFC 7636: 43–128 characters of the unreserved set. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export interface LocalOidc {
  handle(request: OidcRequest): Promise<OidcAnswer | undefined>;
}

export function localOidc(options: { keyFile: string; clientId?: string; now?: () => number }): LocalOidc {
  const clientId = options.clientId ?? LOCAL_CONSOLE_CLIENT;
  const now = options.now ?? Date.now;
  const codes = new Map<string, PendingCode>();

  const discovery = (origin: string) => ({
    issuer: LOCAL_ISSUER,
    authorization_endpoint: `${origin}${OIDC_PATH}/authorize`,
    token_endpoint: `${origin}${OIDC_PATH}/token`,
    jwks_uri: `${origin}${OIDC_PATH}/jwks`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [ALG],
    scopes_supported: ['openid'],
    authorization_response_iss_parameter_supported: true,
  });

  /** The authorization request's parameters, or why they are refused (never redirected: RFC 6749 §4.1.2.1). */
  function checkAuthorize(params: URLSearchParams, origin: string) {
    if (params.get('client_id') !== clientId) {
      return { refused: errorPage('未知的客户端。', 'Unknown client.') };
    }
    const redirectUri = params.get('redirect_uri') ?? '';
    if (redirectUri !== `${origin}${CONSOLE_CALLBACK_PATH}`) {
      return {
        refused: errorPage(
          '回调地址不是本站的工作人员控制台。',
          'The redirect URI is not this site’s staff console.',
        ),
      };
    }
    if (params.get('response_type') !== 'code') {
      return { refused: errorPage('只支持授权码方式。', 'Only the authorization code flow is supported.') };
    }
    const challenge = params.get('code_challenge') ?? '';
    if (params.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
      return { refused: errorPage('缺少 PKCE（S256）。', 'PKCE with S256 is required.') };
    }
    const state = params.get('state') ?? undefined;
    const nonce = params.get('nonce') ?? undefined;
    return { redirectUri, challenge, state, nonce };
  }

  function authorizePage(params: URLSearchParams): OidcAnswer {
    const hidden = [
      'client_id',
      'redirect_uri',
      'response_type',
      'scope',
      'state',
      'nonce',
      'code_challenge',
      'code_challenge_method',
    ]
      .filter((name) => params.has(name))
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name))}">`)
      .join('');
    const buttons = TEST_USERS.map(
      (user) =>
        `<li><button type="submit" name="user" value="${escapeHtml(user.id)}">${escapeHtml(userLabel(user))}</button></li>`,
    ).join('');
    return html(
      200,
      '本地登录 / Local sign-in',
      `<main><h1>本地登录 <span lang="en">Local sign-in</span></h1>
<p>本地运行环境的测试用户，无需密码。选择以哪个身份登录工作人员控制台：</p>
<p lang="en">Test users of the local runtime, no password. Choose whom to sign in to the staff console as:</p>
<form method="post" action="${OIDC_PATH}/authorize">${hidden}
<ul style="list-style:none;padding:0">${buttons}</ul>
</form>
<style>button{display:block;width:100%;min-height:44px;margin:.4rem 0;padding:.5rem;text-align:left;font:inherit;background:#fff;border:1px solid #6b7580;border-radius:6px;cursor:pointer}button:hover,button:focus{background:#eef4fb}</style>
</main>`,
    );
  }

  function issueCode(params: URLSearchParams, origin: string): OidcAnswer {
    const checked = checkAuthorize(params, origin);
    if ('refused' in checked) return checked.refused as OidcAnswer;
    const user = TEST_USERS.find((u) => u.id === params.get('user'));
    if (!user) return errorPage('未知的测试用户。', 'Unknown test user.');
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      clientId,
      redirectUri: checked.redirectUri,
      challenge: checked.challenge,
      ...(checked.nonce ? { nonce: checked.nonce } : {}),
      user,
      expiresAt: now() + CODE_SECONDS * 1000,
    });
    const target = new URL(checked.redirectUri);
    target.searchParams.set('code', code);
    if (checked.state) target.searchParams.set('state', checked.state);
    target.searchParams.set('iss', LOCAL_ISSUER);
    return { status: 303, headers: { location: target.href, 'cache-control': 'no-store' }, body: '' };
  }

  async function token(form: URLSearchParams): Promise<OidcAnswer> {
    if (form.get('client_id') !== clientId) return oauthError(401, 'invalid_client', 'unknown client');
    if (form.get('grant_type') !== 'authorization_code') {
      return oauthError(400, 'unsupported_grant_type', 'only authorization_code');
    }
    const code = form.get('code') ?? '';
    const pending = codes.get(code);
    // Once only: a code is spent by its first use, whether that use succeeds or not.
    codes.delete(code);
    if (!pending || pending.expiresAt < now())
      return oauthError(400, 'invalid_grant', 'unknown, used or expired code');
    if (pending.clientId !== form.get('client_id'))
      return oauthError(400, 'invalid_grant', 'code of another client');
    if (pending.redirectUri !== form.get('redirect_uri'))
      return oauthError(400, 'invalid_grant', 'redirect_uri differs');
    const verifier = form.get('code_verifier') ?? '';
    if (!VERIFIER.test(verifier) || s256(verifier) !== pending.challenge) {
      return oauthError(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
    }
    const subject = `local-${pending.user.id}`;
    const groups = [groupOf(pending.user.scope)];
    const keys = await loadOrCreate(options.keyFile);
    const accessToken = await issueStaffToken(options.keyFile, {
      scopes: [pending.user.scope],
      subject,
      expiresIn: `${TOKEN_SECONDS}s`,
    });
    const idToken = await new SignJWT({
      'cognito:groups': groups,
      token_use: 'id',
      name: userLabel(pending.user),
      ...(pending.nonce ? { nonce: pending.nonce } : {}),
    })
      .setProtectedHeader({ alg: ALG, kid: keys.kid })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(clientId)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime(`${TOKEN_SECONDS}s`)
      .sign(await importJWK(keys.privateJwk, ALG));
    return json(200, {
      access_token: accessToken,
      id_token: idToken,
      token_type: 'Bearer',
      expires_in: TOKEN_SECONDS,
    });
  }

  return {
    async handle({ method, url, origin, body }) {
      const path = url.pathname.slice(OIDC_PATH.length);
      if (method === 'GET' && path === '/.well-known/openid-configuration')
        return json(200, discovery(origin));
      if (method === 'GET' && path === '/jwks') {
        const { kid, publicJwk } = await loadOrCreate(options.keyFile);
        return json(200, { keys: [{ ...publicJwk, kid, alg: ALG, use: 'sig' }] });
      }
      if (path === '/authorize' && method === 'GET') {
        const checked = checkAuthorize(url.searchParams, origin);
        return 'refused' in checked ? (checked.refused as OidcAnswer) : authorizePage(url.searchParams);
      }
      if (path === '/authorize' && method === 'POST')
        return issueCode(new URLSearchParams(body ?? ''), origin);
      if (path === '/token' && method === 'POST') return token(new URLSearchParams(body ?? ''));
      return undefined;
    },
  };
}
