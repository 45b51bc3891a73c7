// The emulators' time: real time plus an offset that tests move forward (token expiry, reply-token
// windows, rate-limit windows) without waiting. Each emulator owns one.
export interface Clock {
  now(): number;
  advance(ms: number): void;
}

export function createClock(): Clock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += ms;
    },
  };
}
