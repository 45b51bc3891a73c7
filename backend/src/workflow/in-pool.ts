// Runs `run` over the items with at most `limit` at once: LINE requests of one batch go out side by side
// without opening hundreds of connections.
export async function inPool<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await run(items[next++]);
  }));
}
