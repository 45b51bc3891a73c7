// The emulators' control routes change the world without credentials: only this machine may call them,
// even when an emulator listens on another interface. A browser on this machine is not a caller either:
// any web site it visits could post to 127.0.0.1 (it sends an Origin header) or reach us under its own
// name by DNS rebinding (a foreign Host header). curl, tests and the demo page's server send neither.
import type { NextFunction, Request, Response } from 'express';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/;

export function loopbackOnly(req: Request, res: Response, next: NextFunction): void {
  if (LOOPBACK.test(req.socket.remoteAddress ?? '')) return next();
  res.status(403).json({ message: 'emulator control routes answer only loopback callers' });
}

/** The control routes: loopback callers that are not a web page. */
export function controlCallersOnly(req: Request, res: Response, next: NextFunction): void {
  if (req.get('origin') === undefined && LOOPBACK_HOST.test(req.get('host') ?? '')) return loopbackOnly(req, res, next);
  res.status(403).json({ message: 'emulator control routes answer only programs on this machine, not web pages' });
}
