// Wiring of the after-inclusion use cases (departures, removals): the filing services, the
// attachment store and the queued mail that tells the city, built once per process on first use.

import { attachmentStore } from '../adapters/attachment-store.ts';
import { mailDepartureNotifier } from '../adapters/mail/departure-notifier.ts';
import { queuedMailer } from '../adapters/mail/queued-mailer.ts';
import type { DepartureDeps } from '../use-cases/pool-departure.ts';
import { filingServices } from './filing-services.ts';

let services: DepartureDeps | undefined;

export function departureServices(): DepartureDeps {
  services ??= {
    ...filingServices(),
    attachments: attachmentStore(),
    notifier: mailDepartureNotifier(queuedMailer()),
  };
  return services;
}
