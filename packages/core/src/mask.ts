const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * The first user-perceived character of `text`: a whole emoji, a letter with its combining
 * marks. Slicing UTF-16 code units would cut a surrogate pair in half, which PostgreSQL refuses.
 */
export function firstGrapheme(text: string): string {
  // Two ASCII characters are always two graphemes, except CR LF (UAX #29, GB3): the common
  // case, without the cost of a segmenter iterator.
  const first = text.charCodeAt(0);
  if (first < 0x80 && first !== 0x0d && (text.length === 1 || text.charCodeAt(1) < 0x80)) {
    return text.charAt(0);
  }
  for (const { segment } of graphemes.segment(text)) return segment;
  return "";
}

/** `jane.doe@example.com` -> `j***@example.com`: enough to recognise, not enough to use. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "***";
  return `${firstGrapheme(email)}***${email.slice(at)}`;
}

/** `Jane Doe` -> `J***`. */
export function maskName(name: string): string {
  return `${firstGrapheme(name.trim())}***`;
}
