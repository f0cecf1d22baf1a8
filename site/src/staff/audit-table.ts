// Audit lines as a table: transitions and accesses to personal data, with who and why.
import { STATE_LABELS } from '#shared/domain/state-labels.ts';
import { ACTION_LABELS, ACTOR_LABELS, type Text } from '../i18n.ts';
import { dateTime, h, live, st, table, tr } from './console.ts';

export interface AuditLine {
  at: string;
  filingId: string;
  kind: 'transition' | 'access';
  what: string;
  from?: string | null;
  to?: string;
  by: string;
  actorId?: string;
  reason?: string;
}

const label = (labels: Record<string, Text>, key: string) => (labels[key] ? tr(labels[key]) : key);

export function auditTable(lines: AuditLine[], withFiling = false): HTMLElement {
  return table<AuditLine>(
    'audit',
    [
      { label: 'colTime', cell: (l) => dateTime(l.at) },
      ...(withFiling
        ? [
            {
              label: 'filingId' as const,
              cell: (l: AuditLine) =>
                l.filingId
                  ? h('a', { href: `filing.html?id=${encodeURIComponent(l.filingId)}` }, l.filingId)
                  : '',
            },
          ]
        : []),
      {
        label: 'colKind',
        cell: (l) => live(() => st(l.kind === 'access' ? 'kindAccess' : 'kindTransition')),
      },
      {
        label: 'colWhat',
        cell: (l) =>
          l.kind === 'transition'
            ? live(() => `${label(ACTION_LABELS, l.what)}${l.to ? ` → ${label(STATE_LABELS, l.to)}` : ''}`)
            : l.what,
      },
      { label: 'colBy', cell: (l) => live(() => label(ACTOR_LABELS, l.by)) },
      { label: 'colActor', cell: (l) => l.actorId ?? '' },
      { label: 'colReason', cell: (l) => l.reason ?? '' },
    ],
    lines,
  );
}
