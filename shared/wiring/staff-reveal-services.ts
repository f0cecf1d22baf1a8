// Staff services that unmask ID numbers: the same wiring plus the field cipher (decrypting
// needs the Encryption SDK, which the other staff functions leave out of their bundles).
import { fieldProtectionFromEnv } from '../data/field-crypto.ts';
import type { StaffDeps } from '../use-cases/staff/staff-filings.ts';
import { createStaffServices } from './staff-services.ts';

let services: StaffDeps | undefined;

export function staffRevealServices(): StaffDeps {
  services ??= createStaffServices(fieldProtectionFromEnv().cipher);
  return services;
}
