// `npm run demo` as a child process on free ports, for the tests that use it as a newcomer would: waits
// for its instructions (or its exit), then hands over its output and a way to stop it with Ctrl-C.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/free-port.ts';
import { eventually } from '../install/harness.ts';

const demoScript = fileURLToPath(new URL('./demo.ts', import.meta.url));

export interface DemoProcess {
  output(): string;
  exited: Promise<number | null>;
  interrupt(): void;
}

export async function runDemo(dataDir: string): Promise<DemoProcess> {
  const [backend, line, hubspot, page] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DEMO_DATA_DIR: dataDir,
    PORT: String(backend),
    LINE_EMULATOR_PORT: String(line),
    HUBSPOT_EMULATOR_PORT: String(hubspot),
    DEMO_PAGE_PORT: String(page),
  };
  const child = spawn(process.execPath, [demoScript], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  await eventually(async () => done || output.includes('Ctrl-C stops everything'), 'the demo to print its instructions', 60_000);
  return { output: () => output, exited, interrupt: () => child.kill('SIGINT') };
}
