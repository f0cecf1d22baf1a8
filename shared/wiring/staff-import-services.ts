// Staff services that import pool members: the staff wiring plus the field cipher (imported
// ID numbers are encrypted like submitted ones) and the keyed hash (person keys, filing ids).
import { fieldProtectionFromEnv } from '../data/field-crypto.ts';
import type { KeyedHasher } from '../ports/crypto.ts';
import type { StaffDeps } from '../use-cases/staff/staff-filings.ts';
import { createStaffServices } from './staff-services.ts';

let services: (StaffDeps & { hasher: KeyedHasher }) | undefined;

export function staffImportServices(): StaffDeps & { hasher: KeyedHasher } {
  if (!services) {
    const { cipher, hasher } = fieldProtectionFromEnv();
    services = { ...createStaffServices(cipher), hasher };
  }
  return services;
}
