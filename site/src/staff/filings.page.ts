// The console's home (and the sign-in callback): filings of the user's unit(s), filtered, or
// found by the start of an enterprise's name or credit code.
import { consolePage } from './console.ts';
import { filingList } from './list.ts';

void consolePage('filings', 'filingsTitle', ['city', 'province', 'auditor'], (ctx) =>
  filingList(ctx, { path: 'filings', statuses: true, title: 'filingsTitle', search: true }),
);
