// Test helper (not part of the emulator): a tiny webhook receiver on loopback that checks each
// delivery's x-line-signature with the official SDK, like a real backend would.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateSignature } from '@line/bot-sdk';
import express from 'express';

export interface ReceivedWebhook {
  path: string;
  raw: string;
  body: { destination: string; events: Array<Record<string, any>> };
  signatureValid: boolean;
  headers: Record<string, string | string[] | undefined>;
}

export async function startWebhookReceiver(channelSecret: () => string, answer: () => number = () => 200) {
  const received: ReceivedWebhook[] = [];
  const app = express();
  app.post('/{*path}', express.raw({ type: () => true }), (req, res) => {
    const raw = (req.body as Buffer).toString('utf8');
    const signature = String(req.headers['x-line-signature'] ?? '');
    received.push({ path: req.path, raw, body: JSON.parse(raw), signatureValid: validateSignature(raw, channelSecret(), signature), headers: req.headers });
    const status = answer();
    res.status(status).send(status === 200 ? 'OK' : 'nope');
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/line/webhook/test-key`;
  return {
    url,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
