/**
 * Cairn's files hold secrets (the secrets key, root credentials, the store, audit logs): what it creates is
 * readable by its own user only. Modes are given at creation, so a stricter umask still applies.
 */
import fs from "node:fs";

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) 0700; an existing directory is left as the operator made it. */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Creates `file` empty and 0600 unless it exists, so that whoever fills it (SQLite) keeps that mode. */
export function createPrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, "wx", PRIVATE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}
