/** Tiny helpers for dotted paths into plain nested objects. */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Reads `a.b.c` from a nested object; undefined when any step is missing. */
export function getPath(obj: unknown, key: string): unknown {
  let node: unknown = obj;
  for (const part of key.split('.')) {
    if (!isPlainObject(node) || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return node;
}

/** Writes `a.b.c` into a nested object, creating sections on the way. Throws on a path clash. */
export function setPath(obj: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = obj;
  for (const [i, part] of parts.entries()) {
    if (part === '') throw new Error(`empty segment in key '${key}'`);
    const next = Object.hasOwn(node, part) ? node[part] : undefined;
    if (i === parts.length - 1) {
      if (isPlainObject(next)) throw new Error(`'${key}' is a section, not a value`);
      define(node, part, value);
      return;
    }
    if (next === undefined) {
      const created: Record<string, unknown> = {};
      define(node, part, created);
      node = created;
    } else if (isPlainObject(next)) {
      node = next;
    } else {
      throw new Error(`'${parts.slice(0, i + 1).join('.')}' is a value, not a section (setting '${key}')`);
    }
  }
}

/** Own, enumerable property even for names like `__proto__` (no prototype pollution). */
function define(obj: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(obj, name, { value, writable: true, enumerable: true, configurable: true });
}
