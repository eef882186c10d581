import type { ObjectStore } from '../../src/store/object-store';

/**
 * Counts a store's write-position reads and lets a held step wait until `count` of them are done, so that
 * concurrent requests all reach the step they may share before the first of them runs it.
 */
export function positionBarrier(store: ObjectStore, count: number): { readonly read: number; reached(): Promise<void>; restore(): void } {
  const position = store.writePosition.bind(store);
  let read = 0;
  const spy = jest.spyOn(store, 'writePosition').mockImplementation(async (id) => {
    const p = await position(id);
    read++;
    return p;
  });
  return {
    get read() {
      return read;
    },
    async reached() {
      for (let i = 0; read < count && i < 2000; i++) await new Promise((r) => setImmediate(r));
    },
    restore: () => spy.mockRestore(),
  };
}
