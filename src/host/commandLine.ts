// Splits what the user typed into "Profile with arguments…" the way a POSIX shell would for plain
// words, quotes and backslashes (no expansion), so `--name "a b"` stays two arguments.

export function splitCommandLine(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && (text[i + 1] === '"' || text[i + 1] === '\\')) word += text[++i];
      else word += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (char === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unbalanced ${quote} quote`);
  if (inWord) words.push(word);
  return words;
}

/** Quotes arguments back into one line (to prefill the input box with the remembered arguments). */
export function joinCommandLine(words: readonly string[]): string {
  return words.map(word => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** `A=1 B="two words"` → { A: '1', B: 'two words' }. */
export function parseEnvAssignments(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const word of splitCommandLine(text)) {
    const equals = word.indexOf('=');
    if (equals <= 0) throw new Error(`"${word}" is not NAME=value`);
    env[word.slice(0, equals)] = word.slice(equals + 1);
  }
  return env;
}
