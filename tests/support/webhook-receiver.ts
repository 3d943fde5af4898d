import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '../../src/notifications/webhook-signature';

export interface Delivery {
  event: string;
  deliveryId: string;
  body: any;
  signatureValid: boolean;
}

/**
 * A local webhook receiver that checks each delivery's signature as a real one would. `failFirst`
 * answers 500 to that many requests first, to make hallo retry.
 */
export async function startWebhookReceiver(secret: string, failFirst = 0) {
  const deliveries: Delivery[] = [];
  let requests = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      requests += 1;
      if (requests <= failFirst) {
        res.statusCode = 500;
        return res.end('not now');
      }
      const timestamp = Number(req.headers['x-hallo-timestamp']);
      const signature = String(req.headers['x-hallo-signature'] ?? '');
      deliveries.push({
        event: String(req.headers['x-hallo-event']),
        deliveryId: String(req.headers['x-hallo-delivery']),
        body: JSON.parse(raw),
        signatureValid: verifyWebhook(secret, timestamp, raw, signature),
      });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    deliveries,
    requests: () => requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
