import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs; personal data and secrets never reach them. */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { service: 'hallo', ...base },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.remoteAddress',
        'req.remotePort',
        'email',
        'name',
        '*.email',
        '*.name',
      ],
      remove: true,
    },
  });
}
