// Group commit: requests that arrive while a batch is being stored wait and go together into the next
// one. At rest a lone request is stored on the next turn of the event loop; under load one transaction
// carries every execution that arrived meanwhile, so the database does a few statements per batch
// instead of several per execution. Each caller gets its own result once its batch is durable.

/** Stores a batch; answers one settled result per item, in the items' order. */
export type StoreBatch<I, O> = (items: I[]) => Promise<Array<PromiseSettledResult<O>>>;

interface Waiting<I, O> {
  item: I;
  resolve(value: O): void;
  reject(reason: unknown): void;
}

export function groupCommit<I, O>(store: StoreBatch<I, O>, maxBatch: number): (item: I) => Promise<O> {
  const waiting: Array<Waiting<I, O>> = [];
  let storing = false;

  async function drain(): Promise<void> {
    while (waiting.length > 0) {
      const batch = waiting.splice(0, maxBatch);
      try {
        const results = await store(batch.map((w) => w.item));
        batch.forEach((w, i) => {
          const result = results[i];
          if (result.status === 'fulfilled') w.resolve(result.value);
          else w.reject(result.reason);
        });
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    storing = false;
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (storing) return;
      storing = true;
      // The next turn, not this one: requests parsed in the same turn share the batch.
      setImmediate(() => void drain());
    });
}
