// The emulators' control routes change the world without credentials: only this machine may call them,
// even when an emulator listens on another interface.
import type { NextFunction, Request, Response } from 'express';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export function loopbackOnly(req: Request, res: Response, next: NextFunction): void {
  if (LOOPBACK.test(req.socket.remoteAddress ?? '')) return next();
  res.status(403).json({ message: 'emulator control routes answer only loopback callers' });
}
