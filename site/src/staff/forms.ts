// A reason form (unmask, restart, removal): the reason checked here as the API checks it
// (one line, 4–200 characters) before anything is sent, the API's own refusal shown as it is.
import { field, h, isSessionEnd, live, problem, st } from './console.ts';
import type { StaffKey } from './strings.ts';

/** STAFF_REASON of shared/domain/staff.ts (not imported: it would bring every programme into the bundle). */
const STAFF_REASON = { min: 4, max: 200 } as const;

export function reasonOk(value: string): boolean {
  const text = value.trim();
  return !/[\r\n]/.test(text) && [...text].length >= STAFF_REASON.min && [...text].length <= STAFF_REASON.max;
}

export function reasonForm(options: {
  id: string;
  title: StaffKey;
  help: StaffKey;
  button: StaffKey;
  extra?: HTMLElement;
  /** Sends the request; what it returns is shown in the status line. */
  submit: (reason: string) => Promise<string>;
}): HTMLElement {
  const reason = h('input', {
    type: 'text',
    name: 'reason',
    maxlength: STAFF_REASON.max,
    autocomplete: 'off',
    required: true,
  });
  const status = h('p', { role: 'status', id: `${options.id}-status` });
  const button = h(
    'button',
    { type: 'submit', class: 'primary' },
    live(() => st(options.button)),
  );
  const form = h(
    'form',
    { class: 'panel', id: options.id, novalidate: true, 'aria-labelledby': `${options.id}-title` },
    h(
      'h2',
      { id: `${options.id}-title` },
      live(() => st(options.title)),
    ),
    h(
      'p',
      { class: 'hint' },
      live(() => st(options.help)),
    ),
    options.extra ?? null,
    field(`${options.id}-reason`, 'reason', reason, 'reasonHint'),
    button,
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!reasonOk(reason.value)) {
      reason.setAttribute('aria-invalid', 'true');
      status.className = 'notice error';
      status.textContent = st('reasonTooShort');
      reason.focus();
      return;
    }
    reason.removeAttribute('aria-invalid');
    button.disabled = true;
    status.className = '';
    status.textContent = st('loading');
    options
      .submit(reason.value.trim())
      .then((message) => {
        status.className = 'notice';
        status.textContent = message;
      })
      .catch((error: unknown) => {
        if (isSessionEnd(error)) return;
        status.className = 'notice error';
        status.textContent = problem(error);
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  return form;
}
