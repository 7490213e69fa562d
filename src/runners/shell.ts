// Quoting for the inline /bin/sh scripts incluster writes into manifests: the runner script
// (render/) and the adapters' lines in it (runners/). Pure.

/** One POSIX shell word: 'it'\''s' for it's. */
export function shq(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command line as a person would paste it: each word quoted as the shell needs. */
export function commandLine(argv: readonly string[]): string {
  return argv.map(shq).join(" ");
}

/**
 * The line that prints one shell word as it is. Not `echo`: dash's echo (Debian's /bin/sh) reads
 * backslashes as escapes, so `-run '^TestA\.b$'` or a path with `\n` in it was printed altered.
 */
export function printLine(word: string): string {
  return `printf '%s\\n' ${word}`;
}

/** The lines that print `+ <command>` (the log shows what ran, as it can be pasted) and then run it. */
export function echoAndRun(argv: readonly string[]): string[] {
  const cmd = commandLine(argv);
  return [printLine(shq(`+ ${cmd}`)), cmd];
}

/** A regular expression matching `text` literally (JavaScript and Go RE2 alike: only ASCII punctuation is escaped). */
export function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}
