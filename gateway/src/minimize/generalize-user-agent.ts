/** Browser tokens in the order they must be tested (Edge and Opera also say Chrome; Chrome also says Safari). */
const BROWSERS: ReadonlyArray<[name: string, pattern: RegExp]> = [
  ['Edge', /\bEdg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /\bOPR\/(\d+)/],
  ['Samsung Internet', /\bSamsungBrowser\/(\d+)/],
  ['Firefox', /\b(?:Firefox|FxiOS)\/(\d+)/],
  ['Chrome', /\b(?:Chrome|CriOS)\/(\d+)/],
  ['Safari', /\bVersion\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\//],
];
const SYSTEMS: ReadonlyArray<[name: string, pattern: RegExp]> = [
  ['Windows', /Windows NT/],
  ['Android', /Android/],
  ['iOS', /iPhone|iPad|iPod/],
  ['ChromeOS', /CrOS/],
  ['macOS', /Mac OS X|Macintosh/],
  ['Linux', /Linux/],
];

/**
 * A user agent reduced to browser family, major version and OS family: no build numbers, device
 * models or locale tokens that narrow down one person. Bots and unknown agents become `Other`.
 * @example generalizeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36') // 'Chrome/120 (Windows)'
 */
export function generalizeUserAgent(userAgent: string): string {
  const system = SYSTEMS.find(([, p]) => p.test(userAgent))?.[0] ?? 'Other';
  for (const [name, pattern] of BROWSERS) {
    const match = pattern.exec(userAgent);
    if (match) return `${name}/${match[1]} (${system})`;
  }
  return `Other (${system})`;
}
