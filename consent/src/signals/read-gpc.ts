/**
 * Reads the `Sec-GPC` request header. The GPC spec defines only the value "1"; anything else
 * (absent, "0", garbage) is no signal.
 * @example readSecGpc(request.headers) // true
 */
export function readSecGpc(headers: Headers): boolean {
  return headers.get('sec-gpc')?.trim() === '1';
}
