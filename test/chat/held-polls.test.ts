// Which chat update requests may wait: a few per portal, a cap per process, slots given back once.
import { describe, expect, it } from 'vitest';
import { HeldPolls } from '../../backend/src/chat/held-polls.ts';

describe('held update requests', () => {
  it('holds up to the per-portal limit, and up to the per-process limit over all portals', () => {
    const held = new HeldPolls({ perPortal: 2, perProcess: 3 });
    const a1 = held.tryHold(1);
    const a2 = held.tryHold(1);
    expect([a1, a2].every(Boolean)).toBe(true);
    expect(held.tryHold(1)).toBeUndefined();
    const b1 = held.tryHold(2);
    expect(b1).toBeDefined();
    expect(held.tryHold(3)).toBeUndefined();
    a1!();
    a1!(); // a second release gives nothing back twice
    expect(held.tryHold(3)).toBeDefined();
    expect(held.tryHold(1)).toBeUndefined();
    b1!();
    expect(held.tryHold(1)).toBeDefined();
    expect(held.tryHold(1)).toBeUndefined();
  });
});
