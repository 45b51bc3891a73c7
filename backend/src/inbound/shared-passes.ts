// Group commit for the HubSpot side of inbound batches. A batch stores its messages (local effects) at
// once, then needs a pass over HubSpot (profiles, contacts, properties, tasks, timeline: a few calls,
// against a per-portal rate limit). Under a steady stream of small batches each pass of its own would
// cost those calls again, the rate limiter would back up, and the batches waiting on it would hold every
// worker slot, so new messages would wait to be stored. Instead, while one account's pass runs, the
// batches that reach theirs meanwhile wait and share the next one.
interface Waiting<T, R> {
  items: T[];
  resolve(result: R): void;
  reject(error: unknown): void;
}

interface Group<T, R> {
  waiting: Array<Waiting<T, R>>;
}

export class SharedPasses<T, R> {
  private readonly groups = new Map<number, Group<T, R>>();

  /** Runs `pass` over `items`, together with the items of every caller that comes while a pass of `key` runs. */
  run(key: number, items: T[], pass: (items: T[]) => Promise<R>): Promise<R> {
    return new Promise((resolve, reject) => {
      const running = this.groups.get(key);
      if (running) {
        running.waiting.push({ items, resolve, reject });
        return;
      }
      const group: Group<T, R> = { waiting: [] };
      this.groups.set(key, group);
      void this.drain(key, group, [{ items, resolve, reject }], pass);
    });
  }

  private async drain(key: number, group: Group<T, R>, first: Array<Waiting<T, R>>, pass: (items: T[]) => Promise<R>): Promise<void> {
    let callers = first;
    while (callers.length) {
      try {
        const result = await pass(callers.flatMap((c) => c.items));
        for (const c of callers) c.resolve(result);
      } catch (error) {
        for (const c of callers) c.reject(error);
      }
      callers = group.waiting.splice(0);
    }
    this.groups.delete(key);
  }
}
