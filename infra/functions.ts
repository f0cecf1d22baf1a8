// What each Lambda function may touch: the CDK app turns these needs into environment
// variables and least-privilege grants (through HouseFunction), one entry per route of the
// route table, per workflow function and per scheduled job (a test keeps the three in step).
import { ROUTES } from '#shared/http/routes.ts';
import { SCHEDULES, WORKFLOW_FUNCTIONS } from '#workflows/functions.ts';

export interface FunctionNeeds {
  table?: 'read' | 'readWrite';
  /** The person/receipt HMAC key (every function that reads filings or checks receipts). */
  hmac?: boolean;
  /** Makes data keys to encrypt ID numbers (submit, amend). */
  encrypt?: boolean;
  /** Decrypts ID numbers (staff unmasking, with a reason). */
  decrypt?: boolean;
  /** Object rights on the attachments bucket, by key prefix. */
  attachments?: { read?: string[]; write?: string[]; delete?: string[]; list?: boolean };
  startsWorkflow?: boolean;
  answersTasks?: boolean;
  /** Sends mail (review links, notices, alerts) and needs the public URLs the links point to. */
  mail?: boolean;
  /** Needs the API's public URL (review pages link back to it). */
  apiUrl?: boolean;
  memorySize?: number;
  timeoutSeconds?: number;
}

const UPLOADS = 'uploads/*';
const FILINGS = 'filings/*';

const workflowNeeds: FunctionNeeds = {
  table: 'readWrite',
  hmac: true,
  answersTasks: true,
  mail: true,
  apiUrl: true,
  timeoutSeconds: 60,
};

export const FUNCTION_NEEDS: Record<string, FunctionNeeds> = {
  listPrograms: {},
  getProgram: {},
  openapi: {},
  docs: {},
  presignUpload: { attachments: { write: [UPLOADS] } },
  submitFiling: {
    table: 'readWrite',
    hmac: true,
    encrypt: true,
    // HeadObject of a missing key answers 404 only with ListBucket (403 otherwise).
    attachments: { read: [UPLOADS, FILINGS], write: [FILINGS], delete: [UPLOADS, FILINGS], list: true },
    startsWorkflow: true,
    memorySize: 1024,
  },
  getFiling: { table: 'read', hmac: true },
  amendFiling: {
    table: 'readWrite',
    hmac: true,
    encrypt: true,
    attachments: { read: [UPLOADS, FILINGS], write: [FILINGS], delete: [UPLOADS, FILINGS], list: true },
    answersTasks: true,
    memorySize: 1024,
  },
  withdrawFiling: {
    table: 'readWrite',
    hmac: true,
    attachments: { delete: [FILINGS], list: true },
    answersTasks: true,
  },
  reviewPage: { table: 'read', hmac: true, attachments: { read: [FILINGS] }, apiUrl: true },
  reviewDecide: {
    table: 'readWrite',
    hmac: true,
    attachments: { read: [FILINGS] },
    answersTasks: true,
    apiUrl: true,
  },
  reviewSendBatch: workflowNeeds,
  staffListFilings: { table: 'read', hmac: true },
  staffPool: { table: 'read', hmac: true },
  staffFiling: { table: 'read', hmac: true },
  // Unmasking writes the access log first, then decrypts the ID number.
  staffReveal: { table: 'readWrite', hmac: true, decrypt: true, memorySize: 1024 },
  staffFilingAudit: { table: 'read', hmac: true },
  staffUnitAudit: { table: 'read', hmac: true },
  WorkflowStep: workflowNeeds,
  WorkflowWait: workflowNeeds,
  WeeklyBatches: { ...workflowNeeds, timeoutSeconds: 300 },
};

/** Every function the app deploys: its id, handler module and needs. */
export function allFunctions(): { id: string; handler: string; needs: FunctionNeeds }[] {
  const entries = [
    ...ROUTES.map((r) => ({ id: r.id, handler: r.handler })),
    ...WORKFLOW_FUNCTIONS.map((f) => ({ id: f.id, handler: f.handler })),
    ...SCHEDULES.map((s) => ({ id: s.id, handler: s.handler })),
  ];
  return entries.map((e) => {
    const needs = FUNCTION_NEEDS[e.id];
    if (!needs) throw new Error(`infra/functions.ts names no needs for function ${e.id}`);
    return { ...e, needs };
  });
}
