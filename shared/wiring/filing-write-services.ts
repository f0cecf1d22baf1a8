// Services that write ID numbers (submit, amend): the same wiring plus the field cipher
// (AWS Encryption SDK with a KMS keyring in the cloud, the local raw AES key locally).
import { fieldProtectionFromEnv } from '../data/field-crypto.ts';
import { createFilingServices, type FilingServices } from './filing-services.ts';

let services: FilingServices | undefined;

export function filingWriteServices(): FilingServices {
  services ??= createFilingServices(fieldProtectionFromEnv().cipher);
  return services;
}
