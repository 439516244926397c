/*
 * Plans from the store are immutable (frozen) objects, so the JSON of one is computed once and reused
 * for every response that sends the same object.
 */
const serialized = new WeakMap<object, string>();

export function toJson(value: unknown): string {
  if (value === null || typeof value !== 'object' || !Object.isFrozen(value)) return JSON.stringify(value);
  let text = serialized.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    serialized.set(value, text);
  }
  return text;
}
