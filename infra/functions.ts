// What each Lambda function may touch: the CDK app turns these needs into environment
// variables and least-privilege grants (through HouseFunction), one entry per route of the
// route table, per workflow function and per scheduled job (a test keeps the three in step).
import { DOCS_ASSETS } from '#shared/http/docs-page.ts';
import { ROUTES } from '#shared/http/routes.ts';
import { MAILER_FUNCTION, OUTBOX_FUNCTION } from '#shared/use-cases/outbox/function.ts';
import { SCHEDULES, WORKFLOW_FUNCTIONS } from '#workflows/functions.ts';

export type StateMachineId = 'FilingWorkflow' | 'AnnualReturn' | 'UnitReturn';

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
  /** dynamodb:Scan on the table itself (a scheduled sweep, never a request path). */
  scansTable?: boolean;
  /** Writes reports under `reports/` in the report bucket. */
  reports?: boolean;
  /** State machines (ids of workflows/functions.ts STATE_MACHINES) it starts executions of. */
  starts?: readonly StateMachineId[];
  /** State machines whose waits it answers (SendTaskSuccess/Failure). */
  answers?: readonly StateMachineId[];
  /**
   * Queues mail (review links, notices, alerts: Mail items in the table, sent by the mailer
   * function): it writes the table, and needs nothing else of its own.
   */
  mail?: boolean;
  /** Needs the site's public URL (the status-page links in the applicants' mail). */
  siteUrl?: boolean;
  /** Mails the operators (ALERT_EMAIL): workflow-failure alerts and the annual return's notices. */
  alerts?: boolean;
  /** The mailer function: the stage's relay (SES identity or SMTP secret) and its MAIL_* settings. */
  sendsMail?: boolean;
  /** Needs the API's public URL (review pages link back to it). */
  apiUrl?: boolean;
  /** Reads or writes XLSX workbooks (exceljs): imports, templates, exports. */
  spreadsheets?: boolean;
  /** Draws the target report's charts (vega-lite compiled to vega, rendered to SVG). */
  charts?: boolean;
  /**
   * Files of installed packages (`package/file`) the function reads at run time, copied into its
   * bundle under node_modules/ as they are (the API reference's renderer, served as a static asset).
   */
  packageFiles?: readonly string[];
  memorySize?: number;
  timeoutSeconds?: number;
}

/**
 * The libraries that decide a function's size and cold start, beside the AWS SDK clients. A
 * function bundles one only where its job uses it (heavyLibrariesOf): test/infra/
 * bundle-libraries.test.ts fails on any other in a function's bundle, and bench/bundle.bench.ts
 * builds each function's floor from the SDK clients it uses and these. `packages` are the ones
 * the code imports: a bundle holding any of them holds the library.
 */
export const HEAVY_LIBRARIES = {
  encryptionSdk: {
    packages: [
      '@aws-crypto/decrypt-node',
      '@aws-crypto/encrypt-node',
      '@aws-crypto/kms-keyring-node',
      '@aws-crypto/material-management-node',
      '@aws-crypto/raw-aes-keyring-node',
    ],
  },
  exceljs: { packages: ['exceljs'] },
  charts: { packages: ['vega', 'vega-lite'] },
  nodemailer: { packages: ['nodemailer'] },
} as const satisfies Record<string, { packages: readonly string[] }>;

export type HeavyLibrary = keyof typeof HEAVY_LIBRARIES;

/**
 * The heavy libraries a function may bundle, from its needs: the Encryption SDK where it
 * encrypts or decrypts ID numbers, exceljs where it reads or writes workbooks, the chart library
 * where it draws charts, nodemailer only in the mailer function (every other function queues
 * its mail in the table).
 */
export function heavyLibrariesOf(needs: FunctionNeeds): HeavyLibrary[] {
  return [
    ...(needs.encrypt || needs.decrypt ? (['encryptionSdk'] as const) : []),
    ...(needs.spreadsheets ? (['exceljs'] as const) : []),
    ...(needs.charts ? (['charts'] as const) : []),
    ...(needs.sendsMail ? (['nodemailer'] as const) : []),
  ];
}

/** The renderer files the docs asset route serves from swagger-ui-dist. */
function docsPackageFiles(): string[] {
  return Object.values(DOCS_ASSETS).flatMap((a) => (a.file ? [a.file] : []));
}

const UPLOADS = 'uploads/*';
const FILINGS = 'filings/*';

const workflowNeeds: FunctionNeeds = {
  table: 'readWrite',
  hmac: true,
  answers: ['FilingWorkflow'],
  mail: true,
  apiUrl: true,
  siteUrl: true,
  alerts: true,
  timeoutSeconds: 60,
};

export const FUNCTION_NEEDS: Record<string, FunctionNeeds> = {
  listPrograms: {},
  getProgram: {},
  openapi: {},
  docs: {},
  docsAsset: { packageFiles: docsPackageFiles() },
  presignUpload: { attachments: { write: [UPLOADS] } },
  submitFiling: {
    table: 'readWrite',
    hmac: true,
    encrypt: true,
    // HeadObject of a missing key answers 404 only with ListBucket (403 otherwise).
    // The review workflow is started from the outbox (OutboxDeliver), not by this function.
    attachments: { read: [UPLOADS, FILINGS], write: [FILINGS], delete: [UPLOADS, FILINGS], list: true },
    memorySize: 1024,
  },
  getFiling: { table: 'read', hmac: true },
  amendFiling: {
    table: 'readWrite',
    hmac: true,
    encrypt: true,
    // The amendment wait is answered from the outbox (OutboxDeliver), not by this function.
    attachments: { read: [UPLOADS, FILINGS], write: [FILINGS], delete: [UPLOADS, FILINGS], list: true },
    memorySize: 1024,
  },
  withdrawFiling: {
    table: 'readWrite',
    hmac: true,
    attachments: { delete: [FILINGS], list: true },
    answers: ['FilingWorkflow'],
  },
  // Removes a member or withdraws a filing under review (its documents go, its wait is answered),
  // and tells the city by mail.
  reportDeparture: {
    table: 'readWrite',
    hmac: true,
    attachments: { delete: [FILINGS], list: true },
    answers: ['FilingWorkflow'],
    mail: true,
  },
  reviewPage: { table: 'read', hmac: true, attachments: { read: [FILINGS] }, apiUrl: true },
  reviewDecide: {
    table: 'readWrite',
    hmac: true,
    attachments: { read: [FILINGS] },
    answers: ['FilingWorkflow'],
    apiUrl: true,
  },
  // Behind the HTTP API (30 s): one unit's batch, a link and a mail per province reviewer.
  reviewSendBatch: { ...workflowNeeds, timeoutSeconds: 29 },
  staffListFilings: { table: 'read', hmac: true },
  staffPool: { table: 'read', hmac: true },
  // Writes the access log when it issues view links for the filing's documents.
  staffFiling: { table: 'readWrite', hmac: true, attachments: { read: [FILINGS] } },
  // Unmasking writes the access log first, then decrypts the ID number.
  staffReveal: { table: 'readWrite', hmac: true, decrypt: true, memorySize: 1024 },
  // Records the restart with its access-log line, then starts the filing workflow again.
  staffResumeReview: { table: 'readWrite', hmac: true, starts: ['FilingWorkflow'] },
  // The removal event is the audit line; the city is told by mail. The departure wiring it shares
  // with reportDeparture builds the attachment store (ATTACHMENTS_BUCKET) though a removal deletes
  // no document: the bucket's name, no object rights.
  staffRemoveMember: { table: 'readWrite', hmac: true, mail: true, attachments: {} },
  staffFilingAudit: { table: 'read', hmac: true },
  staffUnitAudit: { table: 'read', hmac: true },
  staffImportTemplate: { spreadsheets: true, memorySize: 1024 },
  // Writes filings as submit does (data keys for the ID numbers, person keys) and the access log.
  staffImport: {
    table: 'readWrite',
    hmac: true,
    encrypt: true,
    spreadsheets: true,
    memorySize: 1536,
    timeoutSeconds: 29,
  },
  // Training batches and pass lists: person keys (hmac) and the access log; no ID number is encrypted or kept.
  staffTrainingBatches: { table: 'read', hmac: true },
  staffRecordTrainingBatch: { table: 'readWrite', hmac: true },
  staffTrainingTemplate: { spreadsheets: true, memorySize: 1024 },
  staffTrainingPasses: {
    table: 'readWrite',
    hmac: true,
    spreadsheets: true,
    memorySize: 1536,
    timeoutSeconds: 29,
  },
  // Writes only the summary of the closed years, on the first report that needs it.
  staffReport: {
    table: 'readWrite',
    reports: true,
    mail: true,
    charts: true,
    memorySize: 1024,
    timeoutSeconds: 29,
  },
  // Reads counters, plans, the unit and batch indexes, filings' latest events and returns; writes nothing.
  staffDashboard: { table: 'read' },
  staffGetPlan: { table: 'read' },
  // The plan item and its access-log entries, in one transaction.
  staffSetPlan: { table: 'readWrite' },
  // Builds or reads the workbook in memory (exceljs), as the pool import does.
  staffPlanTemplate: { table: 'read', spreadsheets: true, memorySize: 1024 },
  staffPlanUpload: { table: 'readWrite', spreadsheets: true, memorySize: 1024, timeoutSeconds: 29 },
  // Writes the export to the access log; builds the workbook in memory.
  staffCitySummary: {
    table: 'readWrite',
    hmac: true,
    spreadsheets: true,
    memorySize: 1024,
    timeoutSeconds: 29,
  },
  WorkflowStep: workflowNeeds,
  WorkflowWait: workflowNeeds,
  WeeklyBatches: { ...workflowNeeds, timeoutSeconds: 300 },
  // Anonymizes ended filings: scans for candidates, rewrites bodies and audit free text, deletes their documents;
  // then lists filings/ and deletes the documents no stored filing names (BatchGetItem of the bodies).
  DailyRetention: {
    table: 'readWrite',
    scansTable: true,
    attachments: { delete: [FILINGS], list: true },
    timeoutSeconds: 900,
  },
  MonthlyTargetReport: {
    table: 'readWrite',
    reports: true,
    mail: true,
    charts: true,
    memorySize: 1024,
    timeoutSeconds: 120,
  },
  YearEndTargetReport: {
    table: 'readWrite',
    reports: true,
    mail: true,
    charts: true,
    memorySize: 1024,
    timeoutSeconds: 120,
  },
  // The annual return: the parent starts one UnitReturn per unit; the last unit to finish
  // answers the parent's wait; the last enterprise's return and the city's acknowledgement
  // answer their unit's wait. A step mails one bounded batch (300 s is far above its need).
  ReturnStep: {
    ...workflowNeeds,
    // The return's mail links to its own pages (the API's URL), not to the status page.
    siteUrl: false,
    starts: ['UnitReturn'],
    answers: ['AnnualReturn', 'UnitReturn'],
    timeoutSeconds: 300,
  },
  ReturnWait: { ...workflowNeeds, siteUrl: false, answers: ['AnnualReturn', 'UnitReturn'] },
  AnnualReturnStart: { table: 'readWrite', starts: ['AnnualReturn'] },
  returnPage: { table: 'read' },
  returnSubmit: { table: 'readWrite', answers: ['UnitReturn'] },
  staffStartReturns: { table: 'readWrite', starts: ['AnnualReturn'] },
  staffReturns: { table: 'read' },
  // The selection wiring reads filings through the keyed repository (its hasher needs the HMAC key).
  staffReturnNominees: { table: 'read', hmac: true },
  // The selection item and its access-log lines; the list reads the selected filings' names.
  staffSetSelection: { table: 'readWrite', hmac: true },
  // The publishable list is also served as XLSX.
  staffSelection: { table: 'readWrite', hmac: true, spreadsheets: true, memorySize: 1024 },
  // The outbox from the table stream: starts reviews, answers amendment waits (records the decision on the task).
  OutboxDeliver: {
    table: 'readWrite',
    hmac: true,
    starts: ['FilingWorkflow'],
    answers: ['FilingWorkflow'],
    timeoutSeconds: 60,
  },
  // Sends every queued message through the stage's relay, once (marks it sent in the table).
  Mailer: { table: 'readWrite', sendsMail: true, timeoutSeconds: 60 },
};

/** Every function the app deploys: its id, handler module and needs. */
export function allFunctions(): { id: string; handler: string; needs: FunctionNeeds }[] {
  const entries = [
    ...ROUTES.map((r) => ({ id: r.id, handler: r.handler })),
    ...WORKFLOW_FUNCTIONS.map((f) => ({ id: f.id, handler: f.handler })),
    ...SCHEDULES.map((s) => ({ id: s.id, handler: s.handler })),
    { id: OUTBOX_FUNCTION.id, handler: OUTBOX_FUNCTION.handler },
    { id: MAILER_FUNCTION.id, handler: MAILER_FUNCTION.handler },
  ];
  return entries.map((e) => {
    const needs = FUNCTION_NEEDS[e.id];
    if (!needs) throw new Error(`infra/functions.ts names no needs for function ${e.id}`);
    return { ...e, needs };
  });
}
