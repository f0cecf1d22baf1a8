// The console's home (and the sign-in callback): filings of the user's unit(s), filtered.
import { consolePage } from './console.ts';
import { filingList } from './list.ts';

void consolePage('filings', 'filingsTitle', ['city', 'province', 'auditor'], (ctx) =>
  filingList(ctx, { path: 'filings', statuses: true, title: 'filingsTitle' }),
);
