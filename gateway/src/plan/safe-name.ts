/**
 * A client-chosen name (event or property) as Sluice may store it in counters and observations:
 * itself when it looks like an identifier, else `[unsafe-name]` (a name can carry personal data:
 * `{"jane@x.io": 1}`).
 * @example safeName('orderId') // 'orderId'; safeName('jane@x.io') // '[unsafe-name]'
 */
export function safeName(name: string): string {
  return /^[A-Za-z0-9_$. -]{1,64}$/.test(name) && !/\d{6,}/.test(name) ? name : '[unsafe-name]';
}
