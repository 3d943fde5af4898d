import type { Server, ServerResponse } from 'node:http';

/**
 * Shutting down an HTTP server without stranding its keep-alive clients. `server.close()` stops
 * new connections, but a connection that was busy at that moment stays open and keeps being
 * served: a proxy holding it would go on sending new uploads until the grace period cuts them.
 * Once draining, every answer (also those still being worked on) closes its connection, and
 * /readyz says so, so balancers move on.
 */
export class Drain {
  private draining = false;
  private readonly unanswered = new Set<ServerResponse>();

  get active(): boolean {
    return this.draining;
  }

  attach(server: Server): void {
    // First in line, before the app answers anything.
    server.prependListener('request', (_req, res: ServerResponse) => {
      if (this.draining) return closeAfter(res);
      this.unanswered.add(res);
      res.once('close', () => this.unanswered.delete(res));
    });
  }

  start(): void {
    this.draining = true;
    for (const res of this.unanswered) closeAfter(res);
    this.unanswered.clear();
  }
}

function closeAfter(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
}
