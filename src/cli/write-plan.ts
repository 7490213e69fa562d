// Which generated files to write, given what is on disk. Pure, so "never overwrite a file that
// differs unless --force" is decided in one tested place.

export type WriteAction = "create" | "unchanged" | "overwrite" | "skip";

export interface PlannedWrite {
  path: string;
  content: string;
  action: WriteAction;
}

/** existing(path) is the file's current content, or undefined when it does not exist. */
export function planWrites(
  files: readonly { path: string; content: string }[],
  existing: (path: string) => string | undefined,
  force: boolean,
): PlannedWrite[] {
  return files.map((f) => {
    const current = existing(f.path);
    const action: WriteAction = current === undefined ? "create" : current === f.content ? "unchanged" : force ? "overwrite" : "skip";
    return { ...f, action };
  });
}
