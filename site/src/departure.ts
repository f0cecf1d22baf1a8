// 人员变动 on the status page: for a member of the pool, the enterprise reports that the person
// left the post (date and reason) or the person withdraws consent; for a filing under review,
// only the consent withdrawal (it withdraws the filing). Both take effect at once and cannot be
// undone, so the page says what happens and asks for a confirmation before it sends anything.
import { LEAVE_REASONS } from '#shared/domain/leave-reasons.ts';
import { ApiError, type FilingStatus, type ReceiptRef, reportDeparture } from './api.ts';
import { h, live } from './dom.ts';
import { type Text, tr } from './i18n.ts';

const TEXT = {
  title: { zh: '人员变动', en: 'Changes after filing' },
  intro: {
    zh: '人员已不在岗，或本人撤回个人信息处理同意时，请在此报告。报告后立即生效，不能撤销。',
    en: 'Report here when the person has left the post or withdraws consent. It takes effect at once and cannot be undone.',
  },
  kind: { zh: '报告事项', en: 'What to report' },
  leftPost: { zh: '人员已离岗（退出人才库）', en: 'The person left the post (leaves the pool)' },
  consent: { zh: '本人撤回个人信息处理同意', en: 'The person withdraws consent' },
  leftOn: { zh: '离岗日期', en: 'Date left' },
  reason: { zh: '离岗原因', en: 'Reason' },
  note: { zh: '补充说明（选填，200字以内）', en: 'Note (optional, up to 200 characters)' },
  consentUnderReview: {
    zh: '撤回同意后，本备案将被撤回，审核随即终止；个人信息和附件将在系统下一次数据清理时删除。',
    en: 'The filing is withdrawn and its review ends; the personal data and documents are deleted at the next clean-up.',
  },
  consentMember: {
    zh: '撤回同意后，该人员立即退出人才库；个人信息和附件将在系统下一次数据清理时删除或匿名化。',
    en: 'The person leaves the pool at once; the personal data and documents are deleted or anonymized at the next clean-up.',
  },
  confirm: { zh: '我已了解上述后果，确认提交', en: 'I understand the consequences and confirm' },
  confirmMissing: { zh: '请先勾选确认', en: 'Please tick the confirmation first' },
  submit: { zh: '提交报告', en: 'Submit' },
  sending: { zh: '正在提交……', en: 'Sending…' },
  failed: { zh: '提交失败，请稍后重试', en: 'Could not send; please try again later' },
  chooseKind: { zh: '请选择报告事项', en: 'Choose what to report' },
} as const satisfies Record<string, Text>;

/** Today in Beijing, as the API checks the date against it. */
function beijingToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function departureSection(
  status: FilingStatus,
  ref: ReceiptRef,
  done: (next: FilingStatus) => void,
): HTMLElement | undefined {
  const allowed = status.departures;
  if (!allowed || (!allowed.leftPost && !allowed.consentWithdrawal)) return undefined;
  const member = allowed.leftPost;

  const error = h('p', { class: 'error-message', id: 'departure-error', role: 'alert' });
  const radio = (value: string, label: Text) => {
    const input = h('input', { type: 'radio', name: 'departure-kind', id: `departure-${value}`, value });
    return {
      input,
      row: h(
        'div',
        { class: 'checkbox' },
        input,
        h(
          'label',
          { for: input.id },
          live(() => tr(label)),
        ),
      ),
    };
  };
  const left = member ? radio('left_post', TEXT.leftPost) : undefined;
  const consent = radio('consent_withdrawn', TEXT.consent);

  const dateError = h('p', { class: 'error-message', id: 'departure-date-error' });
  const date = h('input', {
    type: 'date',
    id: 'departure-date',
    name: 'leftOn',
    max: beijingToday(),
    'aria-describedby': dateError.id,
  });
  const reason = h(
    'select',
    { id: 'departure-reason', name: 'reason' },
    ...Object.entries(LEAVE_REASONS).map(([value, label]) => {
      const option = h('option', { value });
      option.append(live(() => tr(label)));
      return option;
    }),
  );
  const note = h('input', { type: 'text', id: 'departure-note', name: 'note', maxlength: 200 });
  const leftFields = h(
    'div',
    { id: 'departure-left-fields', hidden: true },
    h(
      'div',
      { class: 'field' },
      h(
        'label',
        { for: date.id, class: 'label' },
        live(() => tr(TEXT.leftOn)),
      ),
      dateError,
      date,
    ),
    h(
      'div',
      { class: 'field' },
      h(
        'label',
        { for: reason.id, class: 'label' },
        live(() => tr(TEXT.reason)),
      ),
      reason,
    ),
    h(
      'div',
      { class: 'field' },
      h(
        'label',
        { for: note.id, class: 'label' },
        live(() => tr(TEXT.note)),
      ),
      note,
    ),
  );
  const consentNote = h(
    'p',
    { class: 'hint', id: 'departure-consent-note', hidden: true },
    live(() => tr(member ? TEXT.consentMember : TEXT.consentUnderReview)),
  );
  const confirm = h('input', { type: 'checkbox', id: 'departure-confirm', name: 'confirm' });
  const button = h(
    'button',
    { type: 'submit', class: 'button' },
    live(() => tr(TEXT.submit)),
  );

  const form = h(
    'form',
    { class: 'section', id: 'departure', novalidate: true, 'aria-labelledby': 'departure-title' },
    h(
      'h2',
      { id: 'departure-title' },
      live(() => tr(TEXT.title)),
    ),
    h(
      'p',
      { class: 'hint' },
      live(() => tr(TEXT.intro)),
    ),
    error,
    h(
      'fieldset',
      { class: 'field group' },
      h(
        'legend',
        { class: 'label' },
        live(() => tr(TEXT.kind)),
      ),
      left?.row,
      consent.row,
    ),
    leftFields,
    consentNote,
    h(
      'div',
      { class: 'checkbox' },
      confirm,
      h(
        'label',
        { for: confirm.id },
        live(() => tr(TEXT.confirm)),
      ),
    ),
    h('div', { class: 'actions' }, button),
  );

  const kind = (): 'left_post' | 'consent_withdrawn' | undefined =>
    left?.input.checked ? 'left_post' : consent.input.checked ? 'consent_withdrawn' : undefined;
  const sync = () => {
    leftFields.hidden = kind() !== 'left_post';
    consentNote.hidden = kind() !== 'consent_withdrawn';
  };
  left?.input.addEventListener('change', sync);
  consent.input.addEventListener('change', sync);

  const show = (message: Text | string, field?: HTMLElement) => {
    error.replaceChildren(typeof message === 'string' ? message : live(() => tr(message)));
    field?.setAttribute('aria-invalid', 'true');
    (field ?? error).focus?.();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.replaceChildren();
    dateError.replaceChildren();
    date.setAttribute('aria-invalid', 'false');
    const chosen = kind();
    if (!chosen) return show(TEXT.chooseKind, consent.input);
    if (!confirm.checked) return show(TEXT.confirmMissing, confirm);
    const body: Parameters<typeof reportDeparture>[2] =
      chosen === 'left_post'
        ? {
            kind: chosen,
            leftOn: date.value,
            reason: reason.value,
            ...(note.value.trim() ? { note: note.value.trim() } : {}),
          }
        : { kind: chosen };
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      done(await reportDeparture(ref.filingId, ref.receiptToken, body));
    } catch (failure) {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      if (failure instanceof ApiError && failure.errors.length > 0) {
        const dateIssue = failure.errors.find((e) => e.path === 'leftOn');
        if (dateIssue) {
          dateError.replaceChildren(live(() => tr(dateIssue.message)));
          date.setAttribute('aria-invalid', 'true');
          date.focus();
          return;
        }
        const first = failure.errors[0];
        return show(first ? first.message : TEXT.failed);
      }
      show(TEXT.failed);
    }
  });
  return form;
}
