// 备案进度查询: reads the filing id and receipt token from the URL fragment (or from a small
// form), asks the API with `Authorization: Receipt <token>` and shows the status, the masked
// summary with the bureau that reviews the filing, the history (Beijing time, YYYY-MM-DD HH:mm
// in both languages), the reviewers' comments and the warnings. Staff appear as their bureau
// (沈阳市市场监督管理局), named by the API for the filing's unit and province.
import {
  ApiError,
  type FilingStatus,
  filingStatus,
  fragmentFor,
  type ReceiptRef,
  readFragment,
} from './api.ts';
import { departureSection } from './departure.ts';
import { h, live, liveAttr } from './dom.ts';
import {
  ACTION_LABELS,
  ACTOR_LABELS,
  beijingDateTime,
  colon,
  STATE_LABELS,
  type Text,
  t,
  tr,
  type UiKey,
} from './i18n.ts';
import { pageFrame } from './layout.ts';

const main = pageFrame('statusTitle');

const labelled = (map: Record<string, Text>, key: string | null): Text =>
  key === null ? { zh: '—', en: '—' } : (map[key] ?? { zh: key, en: key });

function time(iso: string): HTMLElement {
  return h('time', { datetime: iso }, beijingDateTime(iso));
}

const result = h('div', { id: 'status-result', 'aria-live': 'polite' });

const filingInput = h('input', {
  type: 'text',
  id: 'q-filing',
  name: 'filing',
  class: 'code',
  autocomplete: 'off',
  autocapitalize: 'characters',
  spellcheck: 'false',
  'aria-describedby': 'lookup-error',
});
const tokenInput = h('input', {
  type: 'text',
  id: 'q-token',
  name: 'token',
  class: 'code',
  autocomplete: 'off',
  autocapitalize: 'none',
  spellcheck: 'false',
  'aria-describedby': 'lookup-error',
});
const lookupError = h('p', { class: 'error-message', id: 'lookup-error' });
const lookupForm = h(
  'form',
  { id: 'lookup-form', class: 'section', novalidate: true, 'aria-labelledby': 'lookup-title' },
  h(
    'h2',
    { id: 'lookup-title' },
    live(() => t('lookupOther')),
  ),
  h(
    'p',
    { class: 'hint' },
    live(() => t('lookupIntro')),
  ),
  lookupError,
  h(
    'div',
    { class: 'grid' },
    h(
      'div',
      { class: 'field' },
      h(
        'label',
        { for: 'q-filing', class: 'label' },
        live(() => t('filingNumber')),
      ),
      filingInput,
    ),
    h(
      'div',
      { class: 'field' },
      h(
        'label',
        { for: 'q-token', class: 'label' },
        live(() => t('receiptToken')),
      ),
      tokenInput,
    ),
  ),
  h(
    'div',
    { class: 'actions' },
    h(
      'button',
      { type: 'submit', class: 'button primary' },
      live(() => t('lookup')),
    ),
  ),
);

main.append(
  h(
    'h1',
    {},
    live(() => t('statusTitle')),
  ),
  result,
  lookupForm,
);

function dl(rows: [UiKey, Node | string][]): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    ...rows.flatMap(([key, value]) => [
      h(
        'dt',
        {},
        live(() => t(key)),
      ),
      h('dd', {}, value),
    ]),
  );
}

function list(items: Node[], empty: UiKey): HTMLElement {
  return items.length > 0
    ? h('ul', {}, ...items.map((i) => h('li', {}, i)))
    : h(
        'p',
        {},
        live(() => t(empty)),
      );
}

function section(id: string, title: UiKey, ...content: Node[]): HTMLElement {
  return h(
    'section',
    { class: 'section', id, 'aria-labelledby': `${id}-title` },
    h(
      'h2',
      { id: `${id}-title` },
      live(() => t(title)),
    ),
    ...content,
  );
}

function cell(label: UiKey, ...content: (Node | string)[]): HTMLTableCellElement {
  const td = h('td', {}, ...content);
  // shown before the value when the table is stacked on narrow screens
  liveAttr(td, 'data-label', () => t(label));
  return td;
}

function renderStatus(s: FilingStatus, ref: ReceiptRef): void {
  const { summary } = s;
  const roleName = summary.role.name;
  const unitName = summary.reportingUnit.name;
  const authority = summary.reportingUnit.authority;
  /** Who did it: the filing's own bureau for a staff role, else the generic word for the role. */
  const actor = (role: string): Text =>
    s.authorities?.[role as keyof NonNullable<FilingStatus['authorities']>] ?? labelled(ACTOR_LABELS, role);
  const action = (e: { action: string; actionLabel?: Text }): Text =>
    e.actionLabel ?? labelled(ACTION_LABELS, e.action);
  const history = h(
    'table',
    { class: 'history', id: 'history' },
    h(
      'caption',
      { class: 'visually-hidden' },
      live(() => t('historyTitle')),
    ),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...(['historyTime', 'historyAction', 'historyBy', 'historyResult', 'historyReason'] as const).map(
          (k) =>
            h(
              'th',
              { scope: 'col' },
              live(() => t(k)),
            ),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...s.history.map((e) =>
        h(
          'tr',
          {},
          cell('historyTime', time(e.at)),
          cell(
            'historyAction',
            live(() => tr(action(e))),
          ),
          cell(
            'historyBy',
            live(() => tr(actor(e.by))),
          ),
          cell(
            'historyResult',
            live(() => tr(labelled(STATE_LABELS, e.to))),
          ),
          cell('historyReason', e.reason ?? ''),
        ),
      ),
    ),
  );
  result.replaceChildren(
    h(
      'section',
      { class: 'section receipt-card', 'aria-labelledby': 'status-title' },
      h(
        'p',
        { class: 'label', id: 'status-title' },
        live(() => t('status')),
      ),
      h(
        'p',
        { class: 'status-label', id: 'status-label', tabindex: -1 },
        live(() => tr(s.statusLabel)),
      ),
      dl([
        ['filingNumber', h('span', { class: 'code' }, s.filingId)],
        ['submittedAt', time(s.submittedAt)],
      ]),
    ),
    section(
      'summary',
      'summaryTitle',
      dl([
        ['summaryName', summary.name],
        ['summaryRole', roleName ? live(() => tr(roleName)) : summary.role.id],
        ['summaryUnit', unitName ? live(() => tr(unitName)) : summary.reportingUnit.code],
        ...(authority
          ? [
              [
                'summaryAuthority',
                h(
                  'span',
                  { id: 'summary-authority' },
                  live(() => tr(authority)),
                ),
              ] as [UiKey, Node],
            ]
          : []),
        ['summaryEnterprise', summary.enterprise],
        ['summaryUscc', h('span', { class: 'code' }, summary.uscc)],
        ['summaryIdNumber', h('span', { class: 'code' }, summary.idNumber)],
        ['summaryMobile', h('span', { class: 'code' }, summary.mobile)],
        ['summaryEmail', summary.email],
      ]),
    ),
    section('history-section', 'historyTitle', history),
    section(
      'comments',
      'commentsTitle',
      list(
        s.comments.map((c) =>
          h(
            'p',
            {},
            time(c.at),
            ' ',
            h(
              'strong',
              {},
              live(() => `${tr(actor(c.by))} · ${tr(action(c))}`),
            ),
            live(colon),
            c.text,
          ),
        ),
        'noComments',
      ),
    ),
    section(
      'warnings',
      'warningsTitle',
      list(
        s.warnings.map((w) =>
          h(
            'span',
            {},
            live(() => tr(w.message)),
          ),
        ),
        'noWarnings',
      ),
    ),
  );
  const departure = departureSection(s, ref, (next) => {
    renderStatus(next, ref);
    document.getElementById('status-label')?.focus();
  });
  if (departure) result.append(departure);
}

function showMessage(key: UiKey, alert: boolean): void {
  result.replaceChildren(
    h(
      'p',
      { class: alert ? 'error-summary' : 'hint', role: alert ? 'alert' : null },
      live(() => t(key)),
    ),
  );
}

let loading = 0;

async function load(ref: ReceiptRef): Promise<void> {
  const ticket = ++loading;
  filingInput.value = ref.filingId;
  tokenInput.value = ref.receiptToken;
  showMessage('loading', false);
  try {
    const status = await filingStatus(ref.filingId, ref.receiptToken);
    if (ticket === loading) renderStatus(status, ref);
  } catch (error) {
    if (ticket !== loading) return;
    showMessage(error instanceof ApiError && error.status === 404 ? 'notFound' : 'loadFailed', true);
  }
}

function fromHash(): void {
  const ref = readFragment();
  if (ref) void load(ref);
  else
    result.replaceChildren(
      h(
        'p',
        { class: 'lead' },
        live(() => t('lookupIntro')),
      ),
    );
}

lookupForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const ref = { filingId: filingInput.value.trim().toUpperCase(), receiptToken: tokenInput.value.trim() };
  filingInput.setAttribute('aria-invalid', ref.filingId ? 'false' : 'true');
  tokenInput.setAttribute('aria-invalid', ref.receiptToken ? 'false' : 'true');
  if (!ref.filingId || !ref.receiptToken) {
    lookupError.textContent = t('lookupMissing');
    (ref.filingId ? tokenInput : filingInput).focus();
    return;
  }
  lookupError.textContent = '';
  const hash = fragmentFor(ref);
  if (location.hash === hash) void load(ref);
  else location.hash = hash;
});

window.addEventListener('hashchange', fromHash);
fromHash();
