// One filing for staff: masked facts, warnings, history with the reviewers' comments, the
// documents behind short-lived links, unmasking with a reason (then the audit log, for the
// roles that read it), restarting a failed review and removal from the pool (province).
import { STATE_LABELS } from '#shared/domain/state-labels.ts';
import { ACTION_LABELS, ACTOR_LABELS } from '../i18n.ts';
import { type AuditLine, auditTable } from './audit-table.ts';
import {
  apiGet,
  apiPost,
  consolePage,
  dateTime,
  h,
  heading,
  InputError,
  live,
  type PageContext,
  st,
  table,
  tr,
} from './console.ts';
import { reasonForm } from './forms.ts';
import type { Row } from './list.ts';
import type { StaffKey } from './strings.ts';

type Text = { zh: string; en: string };

interface Detail extends Omit<Row, 'enterprise'> {
  person: { name: string; idNumber: string; mobile: string; email: string; position?: string };
  enterprise: { name: string; uscc: string; address?: string; contact?: { name?: string; phone?: string } };
  warningsDetail: { path: string; code: string; message: Text }[];
  history: { at: string; action: string; from: string | null; to: string; by: string; reason?: string }[];
  workflowFailures: { at: string; stage: string; error: string; cause: string }[];
  attachments: { kind: string; filename: string; url?: string; expiresAt?: string }[];
}

const MEMBER_STATES = new Set(['in_pool', 'registered']);

function facts(pairs: [StaffKey, Node | string][]): HTMLElement {
  const dl = h('dl', { class: 'facts' });
  for (const [label, value] of pairs)
    dl.append(
      h(
        'dt',
        {},
        live(() => st(label)),
      ),
      h('dd', {}, value),
    );
  return dl;
}

async function render(ctx: PageContext): Promise<void> {
  const { main, scope } = ctx;
  const id = new URLSearchParams(location.search).get('id') ?? '';
  main.append(
    h(
      'p',
      {},
      h(
        'a',
        { href: 'index.html' },
        live(() => st('back')),
      ),
    ),
  );
  const d = await apiGet<Detail>(`/staff/filings/${encodeURIComponent(id)}`);
  const idCell = h('span', { id: 'id-number' }, d.person.idNumber);
  const mobileCell = h('span', { id: 'mobile' }, d.person.mobile);
  main.append(
    h(
      'h1',
      {},
      live(() => `${st('filingTitle')}：${d.person.name}`),
    ),
    facts([
      ['filingId', d.filingId],
      ['colStatus', live(() => tr(STATE_LABELS[d.status] ?? { zh: d.status, en: d.status }))],
      ['colRole', live(() => (d.role.name ? tr(d.role.name) : d.role.id))],
      ['colUnit', live(() => (d.reportingUnit.name ? tr(d.reportingUnit.name) : d.reportingUnit.code))],
      ['colSubmitted', dateTime(d.submittedAt)],
    ]),
    heading('person', 2),
    facts([
      ['colName', d.person.name],
      ['idNumber', idCell],
      ['mobile', mobileCell],
      ['email', d.person.email],
    ]),
    heading('enterprise', 2),
    facts([
      ['colEnterprise', d.enterprise.name],
      ['colUscc', d.enterprise.uscc],
      ['contact', [d.enterprise.contact?.name, d.enterprise.contact?.phone].filter(Boolean).join(' ')],
    ]),
    heading('warnings', 2),
  );
  if (d.warningsDetail.length === 0)
    main.append(
      h(
        'p',
        {},
        live(() => st('noWarnings')),
      ),
    );
  else {
    const list = h('ul', { id: 'warnings' });
    for (const w of d.warningsDetail)
      list.append(
        h(
          'li',
          { class: 'notice warn' },
          live(() => tr(w.message)),
        ),
      );
    main.append(list);
  }
  main.append(
    heading('history', 2),
    table(
      'history',
      [
        { label: 'colTime', cell: (e: Detail['history'][number]) => dateTime(e.at) },
        {
          label: 'colAction',
          cell: (e) => live(() => (ACTION_LABELS[e.action] ? tr(ACTION_LABELS[e.action] as Text) : e.action)),
        },
        {
          label: 'colBy',
          cell: (e) => live(() => (ACTOR_LABELS[e.by] ? tr(ACTOR_LABELS[e.by] as Text) : e.by)),
        },
        { label: 'colReason', cell: (e) => e.reason ?? '' },
      ],
      d.history,
    ),
    heading('documents', 2),
  );
  if (d.attachments.length === 0)
    main.append(
      h(
        'p',
        {},
        live(() => st('noDocuments')),
      ),
    );
  else {
    const list = h('ul');
    for (const a of d.attachments) {
      list.append(
        h(
          'li',
          {},
          a.url && /^https?:\/\//.test(a.url)
            ? h('a', { href: a.url, target: '_blank', rel: 'noopener noreferrer' }, a.filename)
            : a.filename,
        ),
      );
    }
    main.append(
      list,
      h(
        'p',
        { class: 'hint' },
        live(() => st('documentsLinkHint')),
      ),
    );
  }
  if (d.workflowFailures.length > 0) {
    main.append(
      heading('failures', 2),
      table(
        'failures',
        [
          { label: 'colTime', cell: (f: Detail['workflowFailures'][number]) => dateTime(f.at) },
          { label: 'colWhat', cell: (f) => `${f.stage}: ${f.error}` },
          { label: 'colReason', cell: (f) => f.cause },
        ],
        d.workflowFailures,
      ),
    );
  }

  // The audit log: for the roles that read it, refreshed after every unmasking.
  const auditBox = h('section', { id: 'audit', 'aria-labelledby': 'audit-title' });
  const loadAudit = async () => {
    if (scope.role === 'city') return;
    const { lines } = await apiGet<{ lines: AuditLine[] }>(`/staff/filings/${encodeURIComponent(id)}/audit`);
    auditBox.replaceChildren(
      h(
        'h2',
        { id: 'audit-title' },
        live(() => st('audit')),
      ),
      lines.length
        ? auditTable(lines)
        : h(
            'p',
            {},
            live(() => st('noLines')),
          ),
    );
  };

  if (scope.role !== 'auditor' && !d.anonymizedAt) {
    const idBox = h('input', {
      type: 'checkbox',
      name: 'fields',
      value: 'idNumber',
      id: 'reveal-id',
      checked: true,
    });
    const mobileBox = h('input', { type: 'checkbox', name: 'fields', value: 'mobile', id: 'reveal-mobile' });
    const choices = h(
      'fieldset',
      { class: 'checks field' },
      h(
        'legend',
        {},
        live(() => st('revealFields')),
      ),
      h(
        'label',
        { for: 'reveal-id' },
        idBox,
        live(() => st('idNumber')),
      ),
      h(
        'label',
        { for: 'reveal-mobile' },
        mobileBox,
        live(() => st('mobile')),
      ),
    );
    main.append(
      reasonForm({
        id: 'reveal',
        title: 'reveal',
        help: 'revealHelp',
        button: 'revealButton',
        extra: choices,
        submit: async (reason) => {
          const fields = [idBox, mobileBox].filter((b) => b.checked).map((b) => b.value);
          if (fields.length === 0) throw new InputError(st('chooseField'));
          const shown = await apiPost<{ idNumber?: string; mobile?: string }>(
            `/staff/filings/${encodeURIComponent(id)}/reveal`,
            { fields, reason },
          );
          if (shown.idNumber) {
            idCell.textContent = shown.idNumber;
            idCell.className = 'revealed';
          }
          if (shown.mobile) {
            mobileCell.textContent = shown.mobile;
            mobileCell.className = 'revealed';
          }
          await loadAudit();
          return st('revealed');
        },
      }),
    );
  }
  if (scope.role === 'province' && d.workflowFailures.length > 0) {
    main.append(
      reasonForm({
        id: 'resume',
        title: 'resume',
        help: 'resumeHelp',
        button: 'resumeButton',
        submit: async (reason) => {
          await apiPost(`/staff/filings/${encodeURIComponent(id)}/resume`, { reason });
          return st('resumed');
        },
      }),
    );
  }
  if (scope.role === 'province' && MEMBER_STATES.has(d.status)) {
    main.append(
      reasonForm({
        id: 'remove',
        title: 'remove',
        help: 'removeHelp',
        button: 'removeButton',
        submit: async (reason) => {
          await apiPost(`/staff/filings/${encodeURIComponent(id)}/remove`, { reason });
          return st('removed');
        },
      }),
    );
  }
  if (scope.role === 'city')
    main.append(
      h(
        'p',
        { class: 'hint' },
        live(() => st('auditCityNote')),
      ),
    );
  main.append(auditBox);
  await loadAudit();
}

void consolePage('filing', 'filingTitle', ['city', 'province', 'auditor'], render);
