// The one logger (Powertools, JSON to stdout). Its formatter redacts every attribute before
// it is printed, so no ID number, phone or e-mail reaches the logs even when a caller logs
// a whole filing or an error that quotes one.

import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { POWERTOOLS_SERVICE_NAME_ENV } from '../config/env.ts';
import { redact } from '../domain/masking.ts';

export class RedactingLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const base: LogAttributes = {
      level: attributes.logLevel,
      message: attributes.message,
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      xray_trace_id: attributes.xRayTraceId,
    };
    return new LogItem({ attributes: redact({ ...base, ...additional }) as LogAttributes });
  }
}

export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName, logFormatter: new RedactingLogFormatter() });
}

export const logger = createLogger(process.env[POWERTOOLS_SERVICE_NAME_ENV] ?? 'standards-officer');
