// test/support/free-port.ts: a port a server can then listen on, outside the range the kernel hands out by
// itself (where that range can be read), so that no other server of the suite can be given it meanwhile.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from './free-port.ts';

function ephemeralLow(): number | undefined {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return undefined;
  }
}

describe('free ports for test servers', () => {
  it('answers ports a server can listen on, below the ephemeral range where there is one', async () => {
    const ports = await Promise.all(Array.from({ length: 5 }, () => freePort()));
    const low = ephemeralLow();
    if (low !== undefined) for (const port of ports) expect(port).toBeLessThan(low);
    for (const port of ports) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
      expect((server.address() as { port: number }).port).toBe(port);
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
