/** Meta: trim and lowercase ("customer information parameters", em). */
export function normalizeEmail(raw: string): string | undefined {
  const email = raw.trim().toLowerCase();
  return email.includes('@') ? email : undefined;
}

/** Meta: digits only, country code included, no '+' and no leading zeros (ph). */
export function normalizePhoneDigits(raw: string): string | undefined {
  const digits = raw.replace(/\D/g, '').replace(/^0+/, '');
  return digits.length >= 7 ? digits : undefined;
}

/** Meta: lowercase, letters only (punctuation and spaces removed), UTF-8 kept (fn, ln, ct). */
export function normalizeName(raw: string): string | undefined {
  const name = raw.trim().toLowerCase().replace(/[\p{P}\p{S}\s\d]/gu, '');
  return name || undefined;
}
