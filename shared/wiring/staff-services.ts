// Wiring of the staff use cases, once per process: the filing repository (with the field
// cipher only where ID numbers are unmasked), the unit index and the access log.

import { createFilingRepository } from '../data/filing-repository.ts';
import { createStaffQueries } from '../data/staff-queries.ts';
import { UnauthenticatedError } from '../domain/errors.ts';
import { principalFromClaims, type StaffPrincipal } from '../domain/staff.ts';
import type { FieldCipher } from '../ports/crypto.ts';
import type { StaffDeps } from '../use-cases/staff/staff-filings.ts';
import { filingTableAccess } from './filing-table-access.ts';

export function createStaffServices(cipher?: FieldCipher): StaffDeps {
  const { doc, tableName, hasher, repo } = filingTableAccess();
  return {
    repo: cipher ? createFilingRepository({ doc, tableName, hasher, cipher }) : repo,
    queries: createStaffQueries(doc, tableName),
    now: () => new Date(),
  };
}

let services: StaffDeps | undefined;

export function staffServices(): StaffDeps {
  services ??= createStaffServices();
  return services;
}

/** The caller, from the claims API Gateway's JWT authorizer verified (401 without). */
export function staffPrincipal(claims: Record<string, unknown>): StaffPrincipal {
  const principal = principalFromClaims(claims);
  if (!principal) throw new UnauthenticatedError('no verified staff identity');
  return principal;
}
