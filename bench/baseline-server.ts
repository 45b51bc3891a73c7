// The benchmark baseline: a bare Express handler that only checks a LINE signature over the raw body.
// `node bench/baseline-server.ts <port> <channelSecret>`
import { createHmac, timingSafeEqual } from 'node:crypto';
import express from 'express';

const [port, secret] = process.argv.slice(2);
const app = express();
// The load generator's own ceiling: a route that reads the body and answers without parsing or checking it.
app.post('/discard', (req, res) => {
  req.resume();
  req.on('end', () => res.status(200).json({}));
});
app.use(express.json({ limit: '1mb', verify: (req, _res, buf) => ((req as unknown as { rawBody: Buffer }).rawBody = buf) }));
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
app.post('/line/webhook/:key', (req, res) => {
  const raw = (req as unknown as { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
  const expected = createHmac('sha256', secret).update(raw).digest();
  const given = Buffer.from(req.get('x-line-signature') ?? '', 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    res.status(401).end();
    return;
  }
  res.status(200).json({});
});
app.listen(Number(port), '127.0.0.1');
