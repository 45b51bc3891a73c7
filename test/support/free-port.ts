// A free TCP port on 127.0.0.1, for servers a test must know the address of before they start.
// On Linux it is taken below the kernel's ephemeral range (ip_local_port_range): ports the kernel never
// hands out by itself, so no server listening on port 0 and no outgoing connection of the tests running
// alongside can take it between this check and the server's own listen (a backend on PostgreSQL listens
// only after its migrations). A port the kernel chose was taken that way once, failing CI with EADDRINUSE.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Lowest port handed out here; below it are the well-known ones and the defaults of our own tools. */
const LOWEST = 10_000;

/** The ports below the kernel's ephemeral range, or undefined where that range cannot be read. */
function portsBelowEphemeral(): { low: number; high: number } | undefined {
  try {
    const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return ephemeralLow > LOWEST + 1_000 ? { low: LOWEST, high: ephemeralLow } : undefined;
  } catch {
    return undefined;
  }
}

/** Listens on `port` (0: any) and closes again; answers the port it got, or undefined when it was taken. */
function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(undefined) : reject(error)));
    server.listen(port, '127.0.0.1', () => {
      const { port: got } = server.address() as { port: number };
      server.close(() => resolve(got));
    });
  });
}

export async function freePort(): Promise<number> {
  const range = portsBelowEphemeral();
  for (let attempt = 0; range && attempt < 100; attempt++) {
    const port = await tryListen(range.low + Math.floor(Math.random() * (range.high - range.low)));
    if (port !== undefined) return port;
  }
  const port = await tryListen(0);
  if (port === undefined) throw new Error('no free port on 127.0.0.1');
  return port;
}
