/*
 * Whether the address opens a plan (`#/plans/:id`, with or without a `?` query), read without routing.ts:
 * that module brings React with it, and this runs before React has loaded. routing.ts's parseRoute stays
 * the one router of the app; this only recognises the plan page, and test/unit/first-view-route.test.ts
 * checks that it agrees with parseRoute.
 */
export function planIdInHash(hash: string): string | undefined {
  const match = /^#\/plans\/([^/?]+)\/?(?:\?.*)?$/.exec(hash);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}
