// 备案回执: the filing number (large, copyable), its status, the warnings the reviewer will see
// and the bookmarkable status link. The filing id and receipt token come from the URL fragment.
import { type FieldError, filingStatus, fragmentFor, readFragment, readReceiptNote } from './api.ts';
import { h, live } from './dom.ts';
import { colon, STATE_LABELS, type Text, t, tr } from './i18n.ts';
import { pageFrame } from './layout.ts';

const main = pageFrame('receiptTitle');

function copyButton(id: string, text: () => string, field: HTMLElement): HTMLElement {
  const feedback = h('span', { class: 'copy-feedback', role: 'status', id: `${id}-feedback` });
  const button = h(
    'button',
    { type: 'button', class: 'button secondary small', id },
    live(() => t('copy')),
  );
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text());
      feedback.textContent = t('copied');
    } catch {
      const selection = getSelection();
      const range = document.createRange();
      range.selectNodeContents(field);
      selection?.removeAllRanges();
      selection?.addRange(range);
      if (field instanceof HTMLInputElement) field.select();
      feedback.textContent = t('copyFailed');
    }
  });
  return h('span', { class: 'copy' }, button, feedback);
}

function warningList(warnings: FieldError[]): HTMLElement {
  return h(
    'section',
    { class: 'section warnings', id: 'warnings', 'aria-labelledby': 'warnings-title' },
    h(
      'h2',
      { id: 'warnings-title' },
      live(() => t('warningsTitle')),
    ),
    h(
      'p',
      {},
      live(() => t('warningsIntro')),
    ),
    h(
      'ul',
      {},
      ...warnings.map((w) =>
        h(
          'li',
          {},
          live(() => tr(w.message)),
        ),
      ),
    ),
  );
}

function render(): void {
  const ref = readFragment();
  main.append(
    h(
      'h1',
      {},
      live(() => t('receiptTitle')),
    ),
  );
  if (!ref) {
    main.append(
      h(
        'p',
        { class: 'error-summary', role: 'alert' },
        live(() => t('receiptMissing')),
      ),
      h(
        'p',
        {},
        h(
          'a',
          { href: 'status.html' },
          live(() => t('statusTitle')),
        ),
      ),
    );
    return;
  }
  const statusHref = `status.html${fragmentFor(ref)}`;
  const statusUrl = new URL(statusHref, location.href).href;
  const idEl = h('output', { class: 'filing-id', id: 'filing-id' }, ref.filingId);
  const statusEl = h('dd', { id: 'receipt-status' });
  const warningsSlot = h('div');
  const linkField = h('input', {
    type: 'text',
    id: 'status-url',
    readonly: true,
    value: statusUrl,
    class: 'code',
    'aria-describedby': 'status-link-advice',
  });
  const tokenEl = h('code', { id: 'receipt-token', class: 'token' }, ref.receiptToken);

  main.append(
    h(
      'p',
      { class: 'lead' },
      live(() => t('receiptIntro')),
    ),
    h(
      'section',
      { class: 'section receipt-card', 'aria-labelledby': 'filing-id-label' },
      h(
        'p',
        { class: 'label', id: 'filing-id-label' },
        live(() => t('filingNumber')),
      ),
      h(
        'div',
        { class: 'filing-id-row' },
        idEl,
        copyButton('copy-id', () => ref.filingId, idEl),
      ),
      h(
        'dl',
        { class: 'facts' },
        h(
          'dt',
          {},
          live(() => t('status')),
        ),
        statusEl,
      ),
    ),
    warningsSlot,
    h(
      'section',
      { class: 'section', 'aria-labelledby': 'status-link-title' },
      h(
        'h2',
        { id: 'status-link-title' },
        live(() => t('statusLinkTitle')),
      ),
      h(
        'p',
        { id: 'status-link-advice' },
        live(() => t('statusLinkAdvice')),
      ),
      h(
        'p',
        {},
        h(
          'a',
          { href: statusHref, id: 'status-link', class: 'button primary' },
          live(() => t('openStatus')),
        ),
      ),
      h(
        'label',
        { for: 'status-url', class: 'label' },
        live(() => t('statusLinkTitle')),
      ),
      h(
        'div',
        { class: 'copy-row' },
        linkField,
        copyButton('copy-link', () => statusUrl, linkField),
      ),
      h(
        'p',
        { class: 'hint' },
        live(() => `${t('receiptToken')}${colon()}`),
        tokenEl,
      ),
    ),
    h(
      'p',
      {},
      h(
        'a',
        { href: 'index.html' },
        live(() => t('newFiling')),
      ),
    ),
  );

  const showStatus = (label: Text, warnings: FieldError[]) => {
    statusEl.replaceChildren(live(() => tr(label)));
    warningsSlot.replaceChildren(...(warnings.length > 0 ? [warningList(warnings)] : []));
  };
  const note = readReceiptNote(ref.filingId);
  if (note) {
    showStatus(
      (STATE_LABELS as Record<string, Text>)[note.status] ?? { zh: note.status, en: note.status },
      note.warnings,
    );
  } else {
    // opened later (bookmark, another tab): ask the API
    filingStatus(ref.filingId, ref.receiptToken)
      .then((s) => showStatus(s.statusLabel, s.warnings))
      .catch(() => statusEl.replaceChildren('—'));
  }
}

render();
