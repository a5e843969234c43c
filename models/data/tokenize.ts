/**
 * The line format shared by every corpus: one sentence a line, tokens separated by whitespace, `<eos>` closing
 * each non-empty line. Plus the Penn-Treebank-style normalisation of a Brown `word/tag` token.
 *
 * Everything here mirrors the independent reference /work/shared/bench/brown.py (Python 3) character for
 * character, so that our split sizes and vocabulary can be checked against it: where Python's notion of
 * "whitespace", "line" or "digit" differs from JavaScript's, the Python one wins.
 */

/** End of sentence: appended to every non-empty line; id 0 in every vocabulary. */
export const EOS = '<eos>';
/** Stand-in for every word outside the vocabulary; id 1 in every vocabulary. */
export const UNK = '<unk>';
/** What Brown tokens containing a digit become (PTB convention). */
export const NUMBER = 'N';

/**
 * Python's `str.isspace()` (the separators of `str.split()`): within latin-1 \t \n \v \f \r \x1c-\x1f space \x85
 * \xa0, beyond it the Unicode spaces. JavaScript's `\s` differs: it lacks \x1c-\x1f and \x85 (a real byte in
 * latin-1 text) and adds \ufeff.
 */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

/** Python's universal-newline line ends (text-mode `for line in file`): \r and \n (\r\n is one end followed by
 * an empty line, which holds no sentence anyway). Nothing else ends a line, not even \x85 or \u2028. */
function isLineEnd(c: number): boolean {
  return c === 0x0a || c === 0x0d;
}

/** Turns the token text[start, end) into the token to keep, or null to drop it. */
type TokenRule = (text: string, start: number, end: number) => string | null;

/** Keeps every token as written: the plain line format of PTB files and `--text`. */
const keepToken: TokenRule = (text, start, end) => text.slice(start, end);

/**
 * The PTB normalisation of a Brown `word/tag` token in text[start, end), which must already be lower-case
 * (readers lower-case a whole file at once: faster, and identical, since latin-1 case mapping is per character
 * and the tag is thrown away anyway). Scans char codes rather than slicing and testing with regexes because it
 * runs a million times per corpus load.
 *
 * The tag is cut at the LAST '/', so `1/2/cd` → `1/2` → `N` and `and/or/cc` → `and/or`. A word with a digit in
 * Python's sense (`str.isdigit()`: 0-9 and, within latin-1, the superscripts ² ³ ¹) becomes `N`. A word with no
 * ASCII letter or digit is dropped: brown.py's test is `^[^a-z0-9]+$` after lower-casing, so a word made only of
 * accented letters (é) counts as punctuation there, and so it does here.
 */
const brownToken: TokenRule = (text, start, end) => {
  let wordEnd = end;
  for (let i = end - 1; i >= start; i--)
    if (text.charCodeAt(i) === 0x2f /* / */) {
      wordEnd = i;
      break;
    }
  let alnum = false;
  for (let i = start; i < wordEnd; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || c === 0xb2 || c === 0xb3 || c === 0xb9) return NUMBER;
    if (c >= 0x61 && c <= 0x7a) alnum = true;
  }
  // brown.py would keep an empty word (from a bare `/tag`: its regex needs one character); none occurs in the
  // corpus, and an empty token would break every whitespace-separated file format, so it is dropped here.
  return alnum ? text.slice(start, wordEnd) : null;
};

/** Lines → sentences, each ending with `<eos>`; a line left without tokens is no sentence. */
function scanSentences(text: string, rule: TokenRule): string[][] {
  const sentences: string[][] = [];
  let sentence: string[] = [];
  const n = text.length;
  let i = 0;
  while (i <= n) {
    const c = i < n ? text.charCodeAt(i) : 0x0a; // a virtual line end closes the last line
    if (isLineEnd(c)) {
      if (sentence.length > 0) {
        sentence.push(EOS);
        sentences.push(sentence);
        sentence = [];
      }
      i++;
    } else if (isSpace(c)) i++;
    else {
      const start = i;
      while (i < n && !isSpace(text.charCodeAt(i))) i++;
      const token = rule(text, start, i);
      if (token !== null) sentence.push(token);
    }
  }
  return sentences;
}

/** One Brown `word/tag` token (any case) → its PTB form, or null when it is dropped. */
export function normalizeBrownToken(token: string): string | null {
  const lowered = token.toLowerCase();
  return brownToken(lowered, 0, lowered.length);
}

/** Text in the plain line format (PTB files, `--text`) → sentences, each ending with `<eos>`. */
export function textToSentences(text: string): string[][] {
  return scanSentences(text, keepToken);
}

/** A Brown file's text (decoded as latin-1) → PTB-style sentences, each ending with `<eos>`. */
export function brownTextToSentences(text: string): string[][] {
  return scanSentences(text.toLowerCase(), brownToken);
}
