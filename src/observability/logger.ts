import pino, { DestinationStream, Logger } from 'pino';

import type { AppConfig } from '../config/app-config';
import { currentRequestId } from './request-context';

/** Keys whose values never reach a log line, at any of the first three levels of an object. */
export const SECRET_KEYS = [
  'authorization',
  'cookie',
  'password',
  'new_password',
  'current_password',
  'refresh_token',
  'access_token',
  'token',
  'card_token',
  'secret',
];

const redactPaths = (): string[] => [
  ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  'headers["set-cookie"]',
  '*.headers["set-cookie"]',
  '*.headers["x-api-key"]',
];

/** Whether pino-pretty can be loaded (a development dependency: absent from a release). */
function prettyAvailable(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/**
 * The one pino logger of the process. Every line is one JSON object with `level` as a word,
 * `time` as ISO 8601, `context` (the Nest logger's name) and, inside a request, `request_id`
 * (from the request context, so service lines carry it too); secrets are redacted.
 * `pretty` (development) writes through pino-pretty when it is installed, else JSON with a warning.
 */
export function createRootLogger(
  log: AppConfig['log'],
  destination?: DestinationStream | null,
): Logger {
  const pretty = log.format === 'pretty' && !destination && prettyAvailable();
  const options: pino.LoggerOptions = {
    level: log.level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: redactPaths(), censor: '[redacted]' },
    // the request id of the running request; a field the line sets itself wins
    mixin: () => {
      const id = currentRequestId();
      return id ? { request_id: id } : {};
    },
  };
  if (pretty) {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid', singleLine: true },
      },
    });
  }
  const logger = pino(options, destination ?? pino.destination({ dest: 1, sync: true }));
  if (log.format === 'pretty' && !destination) {
    logger.warn('LOG_FORMAT=pretty but pino-pretty is not installed: logging JSON');
  }
  return logger;
}
