// The form's documents (附件): one file input per kind the programme takes. Choosing a file
// checks its type and size here, asks the API for a presigned POST and uploads the file
// straight to the bucket with fetch + FormData; the filing then refers to the uploaded key.
// The server checks every document again at submit (size and first bytes). The native input
// is visually hidden (it would say "Choose File" in the browser's language); a second label in
// the page's language, styled as a button, opens it, and keyboard focus on the input shows there.
import { stripUnsafe } from '#shared/domain/validation/safe-text.ts';
import {
  ApiError,
  type AttachmentRef,
  type FieldError,
  type ProgramFacts,
  presignUpload,
  uploadFile,
} from './api.ts';
import { h, live } from './dom.ts';
import { fillText, lang, type Text, t, tr, UI } from './i18n.ts';

type Facts = NonNullable<ProgramFacts['attachments']>;

interface Slot {
  kind: string;
  name: Text;
  required: boolean;
  input: HTMLInputElement;
  /** The visible label that opens the chooser, in the page's language. */
  button: HTMLElement;
  status: HTMLElement;
  error: HTMLElement;
  row: HTMLElement;
  /** The upload in flight, or what the filing refers to once it is done. */
  state: { uploading: Promise<void> } | { ref: AttachmentRef } | undefined;
  /** Counts the files chosen, so that a late answer for an earlier one is ignored. */
  generation: number;
}

export interface AttachmentTarget {
  path: string;
  focus: HTMLElement;
  error: HTMLElement;
  invalid: HTMLElement[];
  container: HTMLElement;
}

const EXTENSION_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

/** The file's type as the browser says, else by its extension. */
function typeOf(file: File): string {
  if (file.type) return file.type;
  return EXTENSION_TYPES[file.name.split('.').pop()?.toLowerCase() ?? ''] ?? '';
}

export function attachmentsSection(options: {
  programId: () => string;
  /** Called when a slot's target changes (rendered for a new programme). */
  onTargets: (targets: AttachmentTarget[]) => void;
  /** Shows one field's message (or clears it with undefined). */
  onProblem: (path: string, message: Text | undefined) => void;
}) {
  const slots: Slot[] = [];
  let facts: Facts | undefined;
  const help = h('p', { class: 'hint', id: 'attachments-hint' });
  const grid = h('div', { class: 'grid' });
  const section = h(
    'section',
    {
      class: 'section',
      id: 'section-attachments-block',
      'aria-labelledby': 'section-attachments',
      hidden: true,
    },
    h(
      'h2',
      { id: 'section-attachments' },
      live(() => t('sectionAttachments')),
    ),
    help,
    grid,
  );

  const mb = () => Math.round((facts?.maxBytes ?? 0) / 1024 / 1024);
  const pathOf = (slot: Slot) => `attachments.${slot.kind}`;

  function showStatus(slot: Slot): void {
    const state = slot.state;
    slot.status.replaceChildren(
      state === undefined
        ? live(() => t('noFileChosen'))
        : 'ref' in state
          ? live(() => t('attachmentUploaded', { name: state.ref.filename }))
          : live(() => t('attachmentUploading')),
    );
    slot.button.replaceChildren(live(() => t(state === undefined ? 'chooseFile' : 'chooseOtherFile')));
  }

  async function choose(slot: Slot): Promise<void> {
    const file = slot.input.files?.[0];
    slot.generation++;
    slot.state = undefined;
    showStatus(slot);
    options.onProblem(pathOf(slot), undefined);
    if (!file || !facts) return;
    const contentType = typeOf(file);
    if (!facts.contentTypes.includes(contentType)) {
      options.onProblem(pathOf(slot), fillText(UI.attachmentType, { label: slot.name }));
      return;
    }
    if (file.size === 0 || file.size > facts.maxBytes) {
      options.onProblem(pathOf(slot), fillText(UI.attachmentTooLarge, { label: slot.name, mb: mb() }));
      return;
    }
    const generation = ++slot.generation;
    const current = () => slot.generation === generation;
    const uploading = (async () => {
      try {
        const upload = await presignUpload(options.programId(), {
          kind: slot.kind,
          contentType,
          size: file.size,
        });
        await uploadFile(upload, file, file.name);
        // The server refuses a name with controls or invisible characters (a file saved from a
        // chat or a web page may carry a zero-width space): they are left out here instead.
        const filename =
          stripUnsafe(file.name).trim() || `${slot.kind}.${contentType.split('/')[1] ?? 'file'}`;
        if (current()) slot.state = { ref: { kind: slot.kind, key: upload.key, contentType, filename } };
      } catch (error) {
        if (!current()) return;
        slot.state = undefined;
        const served = error instanceof ApiError ? error.errors[0]?.message : undefined;
        options.onProblem(pathOf(slot), served ?? fillText(UI.attachmentFailed, { label: slot.name }));
      } finally {
        if (current()) showStatus(slot);
      }
    })();
    slot.state = { uploading };
    showStatus(slot);
    await uploading;
  }

  function render(next: Facts | undefined): void {
    facts = next;
    slots.length = 0;
    grid.replaceChildren();
    section.hidden = !next || next.kinds.length === 0;
    help.replaceChildren(...(next ? [live(() => t('attachmentsHelp', { mb: mb() }))] : []));
    const accept = [...(next?.contentTypes ?? []), '.pdf', '.jpg', '.jpeg', '.png'].join(',');
    for (const kind of next?.kinds ?? []) {
      const id = `f-attachments-${kind.id}`;
      const error = h('p', { class: 'error-message', id: `${id}-error` });
      const status = h('p', { class: 'hint upload-status', id: `${id}-status`, role: 'status' });
      const input = h('input', {
        type: 'file',
        id,
        name: `attachments.${kind.id}`,
        accept,
        class: 'file-input visually-hidden',
        'aria-required': kind.required ? 'true' : 'false',
        'aria-invalid': 'false',
        'aria-describedby': `attachments-hint ${status.id} ${error.id}`,
      });
      // Also a label of the input, so a click or tap on it opens the chooser (and it is read with the kind's name).
      const button = h('label', { for: id, class: 'button secondary small file-button', id: `${id}-button` });
      const label = h(
        'label',
        { for: id, class: 'label' },
        live(() => tr(kind.name)),
        kind.required
          ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')
          : h(
              'span',
              { class: 'optional' },
              live(() => (lang() === 'zh' ? `（${t('optional')}）` : ` (${t('optional')})`)),
            ),
      );
      const row = h('div', { class: 'field field-wide' }, label, error, input, button, status);
      const slot: Slot = {
        kind: kind.id,
        name: kind.name,
        required: kind.required,
        input,
        button,
        status,
        error,
        row,
        state: undefined,
        generation: 0,
      };
      input.addEventListener('change', () => void choose(slot));
      showStatus(slot);
      slots.push(slot);
      grid.append(row);
    }
    options.onTargets(
      slots.map((s) => ({
        path: pathOf(s),
        focus: s.input,
        error: s.error,
        invalid: [s.input],
        container: s.row,
      })),
    );
  }

  return {
    element: section,
    render,
    /** What the filing refers to: the finished uploads. */
    refs(): AttachmentRef[] {
      return slots.flatMap((s) => (s.state && 'ref' in s.state ? [s.state.ref] : []));
    },
    /** Problems the client can see before sending: a required document missing or still uploading. */
    check(): { path: string; message: Text }[] {
      return slots.flatMap((s) => {
        if (s.state && 'uploading' in s.state)
          return [{ path: pathOf(s), message: fillText(UI.attachmentPending, { label: s.name }) }];
        if (s.required && !s.state)
          return [{ path: pathOf(s), message: fillText(UI.attachmentRequired, { label: s.name }) }];
        return [];
      });
    },
    /** The server's `attachments.<i>…` errors, moved onto the kind's field of the body that was sent. */
    placeErrors(errors: FieldError[], sent: AttachmentRef[]): FieldError[] {
      return errors.map((e) => {
        const match = /^attachments\.(\d+)(\..*)?$/.exec(e.path);
        const kind = match ? sent[Number(match[1])]?.kind : undefined;
        if (kind) return { ...e, path: `attachments.${kind}` };
        if (e.path === 'attachments') {
          const missing = slots.find((s) => s.required && !sent.some((a) => a.kind === s.kind));
          if (missing) return { ...e, path: pathOf(missing) };
        }
        return e;
      });
    },
  };
}
