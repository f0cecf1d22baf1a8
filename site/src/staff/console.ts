// The staff console's frame: sign-in (OpenID Connect authorization code with PKCE through
// oauth4webapi, against the issuer in the site's config.json: the stage's Cognito user pool,
// or the local runtime's provider), the session (sessionStorage only: gone with the tab,
// never in localStorage or a URL), the API with the bearer token (a 401 sends the user back to
// sign-in and then to the page they were on), downloads, and the header with navigation,
// language switch and sign-out.
import * as oauth from 'oauth4webapi';
import { h, live, liveAttr } from '../dom.ts';
import { beijingDateTime, lang, onLangChange, setLang, type Text, tr } from '../i18n.ts';
import { S, type StaffKey, st } from './strings.ts';

export interface ConsoleConfig {
  apiBase: string;
  oidc?: {
    issuer: string;
    clientId: string;
    metadataBase?: string;
    logoutUrl?: string;
    redirectUri?: string;
  };
}

export type Role = 'city' | 'province' | 'auditor';
export interface Scope {
  role: Role;
  programId: string;
  unit?: string;
}

export interface Session {
  accessToken: string;
  expiresAt: number;
  subject: string;
  scopes: Scope[];
}

const SESSION_KEY = 'sso.staff.session';
const PENDING_KEY = 'sso.staff.pending';
const RETURN_KEY = 'sso.staff.return';
const PROGRAM_KEY = 'sso.staff.program';

let configOnce: Promise<ConsoleConfig> | undefined;
export function config(): Promise<ConsoleConfig> {
  configOnce ??= fetch(new URL('../config.json', location.href), { cache: 'no-cache' })
    .then((res): Promise<Partial<ConsoleConfig>> | Partial<ConsoleConfig> => (res.ok ? res.json() : {}))
    .then((c) => ({
      apiBase: typeof c.apiBase === 'string' ? c.apiBase.replace(/\/+$/, '') : '',
      ...(c.oidc ? { oidc: c.oidc } : {}),
    }));
  return configOnce;
}

/** The group names of shared/domain/staff.ts: `city-<programme>-<unit>`, `province-<programme>`, `auditor-<programme>`. */
const GROUP = /^(city|province|auditor)-([a-z0-9-]+?)(?:-([0-9A-Z]{2,6}(?:-[0-9A-Z]{2,4})?))?$/;

export function scopesOf(groups: unknown): Scope[] {
  const list = Array.isArray(groups) ? groups : typeof groups === 'string' ? groups.split(' ') : [];
  return list.flatMap((g) => {
    const m = typeof g === 'string' ? GROUP.exec(g) : null;
    if (!m) return [];
    const [, role, programId, unit] = m as unknown as [string, Role, string, string | undefined];
    if ((role === 'city') !== (unit !== undefined)) return [];
    return [{ role, programId, ...(unit ? { unit } : {}) }];
  });
}

/** The claims of a JWT, read for display and navigation only (the API verifies the token). */
function claimsOf(jwt: string): Record<string, unknown> {
  try {
    const part = jwt.split('.')[1] ?? '';
    const bytes = Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function readSession(): Session | undefined {
  try {
    const session = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as Session | null;
    if (!session || typeof session.accessToken !== 'string' || session.expiresAt <= Date.now())
      return undefined;
    return session;
  } catch {
    return undefined;
  }
}

const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
let redirectUri: string | undefined;
/**
 * The console's callback as registered with the provider: config.json's `oidc.redirectUri`, or
 * the site's origin and /staff/ (where a host serves no folder index, the stage names
 * /staff/index.html instead).
 */
const callbackUrl = () => redirectUri ?? `${location.origin}/staff/`;

async function authorizationServer(c: ConsoleConfig): Promise<oauth.AuthorizationServer> {
  if (!c.oidc) throw new Error('no oidc in config.json');
  const base = new URL(c.oidc.metadataBase ?? c.oidc.issuer, location.origin);
  const response = await oauth.discoveryRequest(base, {
    algorithm: 'oidc',
    [oauth.allowInsecureRequests]: isLoopback(base),
  });
  return oauth.processDiscoveryResponse(new URL(c.oidc.issuer), response);
}

/** Leaves for the provider's sign-in; the page to come back to is kept for after. */
export async function signIn(returnTo = location.pathname + location.search + location.hash): Promise<void> {
  const c = await config();
  const as = await authorizationServer(c);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, nonce }));
  sessionStorage.setItem(RETURN_KEY, returnTo);
  const target = new URL(as.authorization_endpoint ?? '');
  target.searchParams.set('client_id', c.oidc?.clientId ?? '');
  target.searchParams.set('redirect_uri', callbackUrl());
  target.searchParams.set('response_type', 'code');
  target.searchParams.set('scope', 'openid');
  target.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  target.searchParams.set('code_challenge_method', 'S256');
  target.searchParams.set('state', state);
  target.searchParams.set('nonce', nonce);
  location.assign(target.href);
}

/** The provider sent the browser back with a code: exchange it, keep the session, and go back. */
async function completeSignIn(c: ConsoleConfig): Promise<void> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as {
    verifier: string;
    state: string;
    nonce: string;
  } | null;
  sessionStorage.removeItem(PENDING_KEY);
  const current = new URL(location.href);
  // The code leaves the address bar (and the history) before anything else happens.
  history.replaceState(null, '', current.pathname);
  if (!pending) throw new Error('no sign-in under way');
  const as = await authorizationServer(c);
  const client: oauth.Client = { client_id: c.oidc?.clientId ?? '' };
  const params = oauth.validateAuthResponse(as, client, current, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    callbackUrl(),
    pending.verifier,
    { [oauth.allowInsecureRequests]: isLoopback(new URL(as.token_endpoint ?? location.href)) },
  );
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
    expectedNonce: pending.nonce,
    requireIdToken: true,
  });
  const claims = claimsOf(result.access_token);
  const session: Session = {
    accessToken: result.access_token,
    expiresAt: Date.now() + (result.expires_in ?? 3600) * 1000,
    subject: String(claims.sub ?? oauth.getValidatedIdTokenClaims(result)?.sub ?? ''),
    scopes: scopesOf(claims['cognito:groups'] ?? claims.groups),
  };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function signOutLocally(): void {
  sessionStorage.removeItem(SESSION_KEY);
  sessionStorage.removeItem(PROGRAM_KEY);
}

/** Signs out: the session is dropped here, and at the provider where it has a logout address. */
export async function signOut(): Promise<void> {
  signOutLocally();
  sessionStorage.removeItem(RETURN_KEY);
  const c = await config();
  if (c.oidc?.logoutUrl) {
    const target = new URL(c.oidc.logoutUrl);
    target.searchParams.set('client_id', c.oidc.clientId);
    target.searchParams.set('logout_uri', callbackUrl());
    location.assign(target.href);
    return;
  }
  location.assign(`${callbackUrl()}?signed-out`);
}

/** An answer other than 2xx, with the API's messages. */
export class ApiError extends Error {
  readonly status: number;
  readonly messages: Text[];
  constructor(status: number, messages: Text[]) {
    super(`HTTP ${status}`);
    this.status = status;
    this.messages = messages;
  }
}

/** Input the console refuses before sending anything: its message is shown as it is. */
export class InputError extends Error {}

/** The session ended (expired or refused): back to sign-in, then to this page. */
class SessionEnded extends Error {}

function endSession(): never {
  signOutLocally();
  sessionStorage.setItem(RETURN_KEY, location.pathname + location.search + location.hash);
  showSignIn('expired');
  throw new SessionEnded('session ended');
}

async function send(path: string, init: RequestInit = {}): Promise<Response> {
  const session = readSession();
  if (!session) endSession();
  const c = await config();
  const res = await fetch(`${c.apiBase}${path}`, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${session.accessToken}` },
    mode: 'cors',
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
    cache: 'no-store',
  });
  if (res.status === 401) endSession();
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { errors?: { message?: Text }[] };
    const messages = (body.errors ?? []).flatMap((e) => (e.message ? [e.message] : []));
    throw new ApiError(res.status, messages);
  }
  return res;
}

export async function apiGet<T>(path: string): Promise<T> {
  return (await send(path)).json() as Promise<T>;
}

export async function apiPost<T>(path: string, body: unknown): Promise<T> {
  const res = await send(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.json() as Promise<T>;
}

export async function apiPut<T>(path: string, body: unknown): Promise<T> {
  const res = await send(path, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.json() as Promise<T>;
}

export async function apiUpload<T>(path: string, file: Blob, contentType: string): Promise<T> {
  const res = await send(path, { method: 'POST', headers: { 'content-type': contentType }, body: file });
  return res.json() as Promise<T>;
}

/** Downloads a file the API answers with (the token cannot go in a link): saved under its own name. */
export async function download(path: string, fallbackName: string): Promise<string> {
  const res = await send(path);
  const disposition = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  const name = star ? decodeURIComponent(star) : (plain ?? fallbackName);
  const url = URL.createObjectURL(await res.blob());
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

/** What went wrong, in the current language, for a status line. */
export function problem(error: unknown): string {
  if (error instanceof InputError) return error.message;
  if (error instanceof ApiError) {
    if (error.messages.length > 0) return error.messages.map((m) => tr(m)).join('；');
    if (error.status === 403) return st('forbidden');
    if (error.status === 404) return st('notFound');
    return `${st('failed')} (HTTP ${error.status})`;
  }
  return st('unreachable');
}

/** Whether the error is the session ending (the sign-in screen is already shown). */
export const isSessionEnd = (error: unknown) => error instanceof SessionEnded;

// —— the frame ——

export interface PageContext {
  session: Session;
  main: HTMLElement;
  programId: string;
  /** The scope this user acts with in the chosen programme. */
  scope: Scope;
  facts: ProgramFacts;
}

export interface ProgramFacts {
  id: string;
  title: Text;
  roles: { id: string; name: Text }[];
  reportingUnits: { code: string; name: Text }[];
}

type PageId =
  | 'home'
  | 'filings'
  | 'pool'
  | 'returns'
  | 'training'
  | 'plans'
  | 'import'
  | 'dashboard'
  | 'audit'
  | 'filing';

const NAV: { id: PageId; href: string; label: StaffKey; roles: Role[] }[] = [
  { id: 'home', href: 'home.html', label: 'navHome', roles: ['city', 'province', 'auditor'] },
  { id: 'filings', href: 'index.html', label: 'navFilings', roles: ['city', 'province', 'auditor'] },
  { id: 'pool', href: 'pool.html', label: 'navPool', roles: ['city', 'province', 'auditor'] },
  { id: 'returns', href: 'returns.html', label: 'navReturns', roles: ['city', 'province', 'auditor'] },
  { id: 'training', href: 'training.html', label: 'navTraining', roles: ['city', 'province', 'auditor'] },
  { id: 'plans', href: 'plans.html', label: 'navPlans', roles: ['province', 'auditor'] },
  { id: 'import', href: 'import.html', label: 'navImport', roles: ['province'] },
  { id: 'dashboard', href: 'dashboard.html', label: 'navDashboard', roles: ['province', 'auditor'] },
  { id: 'audit', href: 'audit.html', label: 'navAudit', roles: ['province', 'auditor'] },
];

function header(
  session: Session | undefined,
  scope: Scope | undefined,
  active: PageId | undefined,
): HTMLElement {
  const toggle = h(
    'button',
    { type: 'button', class: 'lang-toggle' },
    live(() => tr(S.switchLang)),
  );
  liveAttr(toggle, 'lang', () => (lang() === 'zh' ? 'en' : 'zh-CN'));
  liveAttr(toggle, 'aria-label', () => tr(S.switchLangLabel));
  toggle.addEventListener('click', () => setLang(lang() === 'zh' ? 'en' : 'zh'));
  const bar = h(
    'div',
    { class: 'site-header-inner' },
    h(
      'p',
      { class: 'site-name' },
      live(() => st('consoleName')),
    ),
    h('div', { class: 'header-tools' }, toggle),
  );
  const out = h(
    'header',
    { class: 'site-header' },
    h(
      'a',
      { class: 'skip-link', href: '#main' },
      live(() => st('skip')),
    ),
    bar,
  );
  if (session && scope) {
    const signOutButton = h(
      'button',
      { type: 'button', class: 'lang-toggle' },
      live(() => st('signOut')),
    );
    signOutButton.addEventListener('click', () => void signOut());
    bar.lastElementChild?.prepend(
      h(
        'span',
        { class: 'who' },
        live(() => scopeLabel(scope)),
      ),
      signOutButton,
    );
    const nav = h('nav', { class: 'console-nav' });
    liveAttr(nav, 'aria-label', () => st('navLabel'));
    const list = h('ul');
    for (const item of NAV.filter((n) => n.roles.includes(scope.role))) {
      const link = h(
        'a',
        { href: item.href },
        live(() => st(item.label)),
      );
      if (item.id === active) link.setAttribute('aria-current', 'page');
      list.append(h('li', {}, link));
    }
    nav.append(list);
    out.append(nav);
  }
  return out;
}

export function scopeLabel(scope: Scope): string {
  const role = st(
    scope.role === 'city' ? 'roleCity' : scope.role === 'province' ? 'roleProvince' : 'roleAuditor',
  );
  return scope.unit ? `${role} · ${scope.unit}` : role;
}

function frame(
  session: Session | undefined,
  scope: Scope | undefined,
  active: PageId | undefined,
  title: StaffKey,
) {
  document.querySelector('body > header')?.remove();
  const main = document.getElementById('main') ?? h('main', { id: 'main' });
  main.setAttribute('tabindex', '-1');
  main.replaceChildren();
  document.body.prepend(header(session, scope, active));
  if (!main.isConnected) document.body.append(main);
  const setTitle = () => {
    document.title = `${st(title)} – ${st('consoleName')}`;
  };
  setTitle();
  onLangChange(setTitle);
  return main;
}

/** The sign-in screen: why it shows, and the one button. */
export function showSignIn(reason: 'needed' | 'expired' | 'signedOut' | 'failed'): void {
  const main = frame(undefined, undefined, undefined, 'signInTitle');
  const button = h(
    'button',
    { type: 'button', class: 'primary' },
    live(() => st('signInButton')),
  );
  const status = h('p', { role: 'status', class: 'hint' });
  button.addEventListener('click', () => {
    button.disabled = true;
    signIn(sessionStorage.getItem(RETURN_KEY) ?? undefined).catch(() => {
      button.disabled = false;
      status.textContent = st('unreachable');
    });
  });
  const why: StaffKey =
    reason === 'expired'
      ? 'sessionExpired'
      : reason === 'signedOut'
        ? 'signedOut'
        : reason === 'failed'
          ? 'signInFailed'
          : 'signInNeeded';
  main.append(
    h(
      'h1',
      {},
      live(() => st('signInTitle')),
    ),
    h(
      'div',
      { class: reason === 'failed' ? 'notice error' : 'notice', role: 'status' },
      live(() => st(why)),
    ),
    h(
      'p',
      {},
      live(() => st('signInHelp')),
    ),
    button,
    status,
  );
}

async function programFacts(programId: string): Promise<ProgramFacts> {
  const c = await config();
  const res = await fetch(`${c.apiBase}/programs/${encodeURIComponent(programId)}`, { mode: 'cors' });
  if (!res.ok) throw new ApiError(res.status, []);
  return res.json() as Promise<ProgramFacts>;
}

/**
 * Runs a console page: completes a sign-in coming back from the provider, asks for one when
 * there is no live session, and otherwise draws the frame and hands over to `render`.
 */
export async function consolePage(
  active: PageId,
  title: StaffKey,
  roles: Role[],
  render: (ctx: PageContext) => Promise<void>,
): Promise<void> {
  const c = await config().catch(() => ({ apiBase: '' }) as ConsoleConfig);
  redirectUri = c.oidc?.redirectUri;
  const here = new URL(location.href);
  if (here.searchParams.has('code') || here.searchParams.has('error')) {
    try {
      if (here.searchParams.has('error')) throw new Error('refused by the provider');
      await completeSignIn(c);
    } catch {
      history.replaceState(null, '', here.pathname);
      showSignIn('failed');
      return;
    }
    const back = sessionStorage.getItem(RETURN_KEY);
    sessionStorage.removeItem(RETURN_KEY);
    location.replace(back?.startsWith('/') && !back.startsWith('//') ? back : callbackUrl());
    return;
  }
  const session = readSession();
  if (!session) {
    const wasSignedIn = sessionStorage.getItem(SESSION_KEY) !== null;
    signOutLocally();
    if (here.searchParams.has('signed-out')) {
      history.replaceState(null, '', here.pathname);
      showSignIn('signedOut');
      return;
    }
    sessionStorage.setItem(RETURN_KEY, here.pathname + here.search + here.hash);
    showSignIn(wasSignedIn ? 'expired' : 'needed');
    return;
  }
  const programs = [...new Set(session.scopes.map((s) => s.programId))];
  const chosen = sessionStorage.getItem(PROGRAM_KEY);
  const programId = programs.includes(chosen ?? '') ? (chosen as string) : (programs[0] ?? '');
  const scope = session.scopes.find((s) => s.programId === programId);
  const main = frame(session, scope, active, title);
  if (!scope) {
    main.append(
      h(
        'h1',
        {},
        live(() => st(title)),
      ),
      h(
        'p',
        { class: 'notice error' },
        live(() => st('noScope')),
      ),
    );
    return;
  }
  if (!roles.includes(scope.role)) {
    main.append(
      h(
        'h1',
        {},
        live(() => st(title)),
      ),
      h(
        'p',
        { class: 'notice error' },
        live(() => st('forbidden')),
      ),
    );
    return;
  }
  let facts: ProgramFacts;
  try {
    facts = await programFacts(programId);
  } catch {
    main.append(
      h(
        'p',
        { class: 'notice error', role: 'alert' },
        live(() => st('unreachable')),
      ),
    );
    return;
  }
  if (programs.length > 1) main.append(programChooser(programs, programId));
  try {
    await render({ session, main, programId, scope, facts });
  } catch (error) {
    if (isSessionEnd(error)) return;
    main.append(h('p', { class: 'notice error', role: 'alert' }, problem(error)));
  }
}

function programChooser(programs: string[], current: string): HTMLElement {
  const select = h('select', { id: 'program-choice' });
  for (const p of programs) select.append(h('option', { value: p, selected: p === current }, p));
  select.addEventListener('change', () => {
    sessionStorage.setItem(PROGRAM_KEY, select.value);
    location.reload();
  });
  return h(
    'p',
    { class: 'program-choice' },
    h(
      'label',
      { for: 'program-choice' },
      live(() => st('program')),
    ),
    ' ',
    select,
  );
}

// —— small shared pieces ——

export const unitName = (facts: ProgramFacts, code: string) =>
  facts.reportingUnits.find((u) => u.code === code)?.name;

/** Beijing time as `2026-12-07 23:01` in both languages, as the filing site writes it. */
export function dateTime(iso: string | undefined): string {
  if (!iso) return '';
  if (Number.isNaN(new Date(iso).getTime())) return iso;
  return beijingDateTime(iso);
}

/** A labelled form control. */
export function field(
  id: string,
  label: StaffKey | (() => string),
  control: HTMLElement,
  hint?: StaffKey,
): HTMLElement {
  control.id = id;
  const text = typeof label === 'function' ? label : () => st(label);
  const wrap = h('div', { class: 'field' }, h('label', { for: id }, live(text)), control);
  if (hint) {
    const hintEl = h(
      'p',
      { class: 'hint', id: `${id}-hint` },
      live(() => st(hint)),
    );
    control.setAttribute('aria-describedby', hintEl.id);
    wrap.append(hintEl);
  }
  return wrap;
}

export function option(value: string, label: () => string, selected = false): HTMLOptionElement {
  return h('option', { value, selected }, live(label));
}

/**
 * A table that reads as a table on a desktop and as one card per row on a phone (each cell
 * labelled by its column through `data-label`).
 */
export function table<T>(
  caption: StaffKey,
  columns: { label: StaffKey; cell: (row: T) => Node | string }[],
  rows: T[],
): HTMLElement {
  const head = h('tr');
  for (const c of columns)
    head.append(
      h(
        'th',
        { scope: 'col' },
        live(() => st(c.label)),
      ),
    );
  const body = h('tbody');
  for (const row of rows) {
    const tr = h('tr');
    for (const c of columns) {
      const td = h('td', {}, c.cell(row));
      liveAttr(td, 'data-label', () => st(c.label));
      tr.append(td);
    }
    body.append(tr);
  }
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'rows' },
      h(
        'caption',
        { class: 'visually-hidden' },
        live(() => st(caption)),
      ),
      h('thead', {}, head),
      body,
    ),
  );
}

/** A panel form of one filter with its show and CSV buttons and a status line read out as it changes. */
export function filterForm(id: string, label: StaffKey, control: HTMLElement) {
  const show = h(
    'button',
    { type: 'submit', class: 'primary' },
    live(() => st('show')),
  );
  const csv = h(
    'button',
    { type: 'button', class: 'secondary' },
    live(() => st('downloadCsv')),
  );
  const status = h('p', { role: 'status' });
  const form = h('form', { class: 'panel', novalidate: true }, field(id, label, control), show, csv, status);
  return { form, csv, status };
}

export function heading(key: StaffKey, level: 1 | 2 = 1): HTMLElement {
  return h(
    level === 1 ? 'h1' : 'h2',
    {},
    live(() => st(key)),
  );
}

export { h, lang, live, liveAttr, S, st, tr };
