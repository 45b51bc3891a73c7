// The demo page relays signed hubspot.fetch calls and drives the emulators, so only a browser on this
// machine, on this page, may use it. Loopback alone is not enough: any web site the person visits runs in
// that same browser. A foreign Host header means DNS rebinding (evil.example resolving to 127.0.0.1), and a
// foreign Origin on a request that changes something means another site posting to us (browsers send
// Origin on every cross-origin POST); both get 403 like a non-loopback caller.
import type { NextFunction, Request, Response } from 'express';

export function localBrowserOnly(port: number) {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.get('origin');
    const foreignOrigin = origin !== undefined && !hosts.has(origin.replace(/^http:\/\//, ''));
    if (hosts.has(req.get('host') ?? '') && !(foreignOrigin && req.method !== 'GET' && req.method !== 'HEAD')) return next();
    res.status(403).json({ message: 'the demo page answers only a browser on this machine, on the page itself' });
  };
}
