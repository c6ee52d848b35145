/** A message value as JSON, or undefined when it is absent or not JSON: the caller's schema then refuses it. */
export function messageJson(value: Buffer | null | undefined): unknown {
  if (!value) return undefined;
  try {
    return JSON.parse(value.toString('utf8'));
  } catch {
    return undefined;
  }
}
