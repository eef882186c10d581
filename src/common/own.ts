/**
 * `table[key]` for a key that comes from input: only the table's own entries, so that a STIX type,
 * relationship type or extension name such as "constructor" or "valueOf" never reaches Object.prototype.
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
