import pino, { type DestinationStream, type Logger } from 'pino';
import { secretScrubber } from './log-scrub';

export type { Logger };

export interface LoggerOptions {
  /** Values that must never appear in a line (tokens, passwords from the configuration). */
  secrets?: readonly string[];
  /** Where lines go; standard output when not given. */
  destination?: DestinationStream;
}

/** JSON logs; personal data and secrets never reach them. */
export function createLogger(
  level: string,
  base: Record<string, unknown> = {},
  options: LoggerOptions = {},
): Logger {
  const scrub = secretScrubber(options.secrets ?? []);
  return pino(
    {
      level,
      base: { service: 'hallo', ...base },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.remoteAddress',
          'req.remotePort',
          'res.headers["set-cookie"]',
          'res.headers.location',
          'email',
          'name',
          'password',
          'token',
          'secret',
          '*.email',
          '*.name',
          '*.password',
          '*.token',
          '*.secret',
        ],
        remove: true,
      },
      hooks: { streamWrite: scrub },
    },
    options.destination,
  );
}
