// pino logger with redaction: tokens, secrets and authorization headers never reach the logs.
import { pino, type Logger } from 'pino';

export type { Logger };

const secretKeys = [
  'accessToken', 'refreshToken', 'access_token', 'refresh_token', 'channelSecret', 'channelAccessToken',
  'clientSecret', 'client_secret', 'secret', 'token', 'password', 'idToken', 'id_token', 'code_verifier', 'authorization',
];

// Secret-named keys at the top level of a log object and one or two levels down.
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-line-signature"]',
  'req.headers["x-hubspot-signature"]',
  'req.headers["x-hubspot-signature-v3"]',
  ...secretKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
];

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'line-for-hubspot' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
