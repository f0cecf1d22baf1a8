// Staff sign-in on one machine: a local key set (an ES256 key pair created on first use under
// .local/, never committed) issues tokens shaped like Cognito's (`sub`, `cognito:groups`,
// `token_use`), and the local server verifies them on staff routes the way API Gateway's JWT
// authorizer does (signature, issuer, audience, expiry; `exp` and `sub` must be there) before
// the handler runs, handing the claims over in `requestContext.authorizer.jwt.claims` with the
// groups flattened to one string, as API Gateway does.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { groupOf, type StaffScope } from '#shared/domain/staff.ts';

export const LOCAL_ISSUER = 'https://standards-officer.local/staff';
export const LOCAL_AUDIENCE = 'standards-officer-local';
export const ALG = 'ES256';

/** Where the local key set is kept: LOCAL_STAFF_KEYS, or beside the runtime's data. */
export function staffKeyFile(localDir: string): string {
  return process.env.LOCAL_STAFF_KEYS ?? `${localDir}/staff-keys.json`;
}

export interface KeyFile {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/** The local key set (created on first use); the local OIDC provider signs and publishes with it. */
export async function loadOrCreate(file: string): Promise<KeyFile> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const keys: KeyFile = {
    kid: randomUUID(),
    privateJwk: await exportJWK(privateKey),
    publicJwk: await exportJWK(publicKey),
  };
  mkdirSync(dirname(file), { recursive: true });
  // Created once; a concurrent creator may have won: keep whichever is on disk.
  try {
    writeFileSync(file, JSON.stringify(keys), { flag: 'wx', mode: 0o600 });
  } catch {
    return JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  }
  return keys;
}

export async function issueStaffToken(
  file: string,
  input: { scopes: StaffScope[]; subject?: string; expiresIn?: string },
): Promise<string> {
  const keys = await loadOrCreate(file);
  const key = await importJWK(keys.privateJwk, ALG);
  return new SignJWT({ 'cognito:groups': input.scopes.map(groupOf), token_use: 'access' })
    .setProtectedHeader({ alg: ALG, kid: keys.kid })
    .setSubject(input.subject ?? `local-${randomUUID().slice(0, 8)}`)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(input.expiresIn ?? '8h')
    .sign(key);
}

/** API Gateway's view of the claims: array claims become one bracketed string. */
function asApiGatewayClaims(payload: JWTPayload): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (Array.isArray(value)) out[name] = `[${value.join(' ')}]`;
    else if (typeof value === 'string' || typeof value === 'number') out[name] = value;
  }
  return out;
}

/** The claims of a valid `Authorization: Bearer` token, or undefined (→ 401). */
export async function verifyStaffToken(
  file: string,
  authorization: string | undefined,
): Promise<Record<string, string | number> | undefined> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return undefined;
  const keys = await loadOrCreate(file);
  try {
    const { payload } = await jwtVerify(token, await importJWK(keys.publicJwk, ALG), {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: [ALG],
      // API Gateway refuses a token without `exp` (jose checks it only when it is there); every
      // staff action is audited under `sub`.
      requiredClaims: ['exp', 'sub'],
    });
    return asApiGatewayClaims(payload);
  } catch {
    return undefined;
  }
}
