// Wiring of the review restart (province staff): the filing repository and the Step Functions
// adapter that starts the filing workflow, once per process.
import type { ResumeDeps } from '../use-cases/staff/resume-review.ts';
import { filingServices } from './filing-services.ts';

let services: ResumeDeps | undefined;

export function staffResumeServices(): ResumeDeps {
  if (!services) {
    const { repo, workflow } = filingServices();
    services = { repo, workflow, now: () => new Date() };
  }
  return services;
}
