// Composes the emulator's Express app (one base URL for api.line.me, api-data.line.me and
// access.line.me paths) and runs it on loopback.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { requireChannel } from './auth.ts';
import { botRoutes } from './bot-routes.ts';
import { contentRoutes } from './content-routes.ts';
import type { EventFactory } from './events.ts';
import { parseBody, sendLineError } from './http.ts';
import type { LoginState } from './login-state.ts';
import { liffRoutes } from './liff-routes.ts';
import { loginRoutes } from './login-routes.ts';
import { messagingRoutes, rejectUnsupportedRetryKey } from './messaging-routes.ts';
import type { LineState } from './state.ts';
import { tokenRoutes } from './token-routes.ts';
import type { WebhookSender } from './webhook-sender.ts';

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

export interface AppDeps {
  state: LineState;
  login: LoginState;
  events: EventFactory;
  webhooks: WebhookSender;
  recorder: Middleware;
  faults: Middleware;
  /** The /_emulator control routes, filled in once the emulator is composed (they drive the whole emulator). */
  control: express.Router;
}

export function createLineApp(d: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Before the recorder: control calls are not LINE traffic and stay out of the spec-checked log.
  app.use('/_emulator', d.control);
  app.use(d.recorder);
  app.use(express.raw({ type: () => true, limit: '2mb' }));
  app.use(parseBody);
  app.use(d.faults);
  app.use(tokenRoutes(d.state));
  app.use(loginRoutes(d.state, d.login, d.events, d.webhooks));
  app.use(liffRoutes(d.state));
  app.use('/v2/bot', requireChannel(d.state), rejectUnsupportedRetryKey);
  app.use(messagingRoutes(d.state));
  app.use(botRoutes(d.state, d.webhooks));
  app.use(contentRoutes(d.state));
  app.use((_req: Request, res: Response) => sendLineError(res, 404, 'Not found'));
  app.use((err: { status?: number; type?: string; message?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (err.type === 'entity.too.large') return sendLineError(res, 413, 'Request Entity Too Large');
    sendLineError(res, err.status && err.status < 500 ? err.status : 500, err.message ?? 'Internal server error');
  });
  return app;
}

export async function listen(app: express.Express, host: string, port: number): Promise<{ server: Server; baseUrl: string; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    baseUrl: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hung (fault-injected) and keep-alive connections would keep close() waiting forever.
        server.closeAllConnections();
      }),
  };
}
