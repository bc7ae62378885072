// Files the command writes (`weir run --trace`, `weir check --out`): checked before the work
// that fills them, because a trace or a counterexample that cannot be written is made in
// vain, and a path the user gave that does not work is invalid input (exit 2) that names
// the flag, the path and the problem, never an ENOENT or EISDIR stack trace.
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidInput } from './scenario-file.ts';

/** What keeps `file` from being written, or null when it can be (a new file in a writable folder, or a writable file). */
export function unwritableBecause(file: string): string | null {
  const folder = dirname(file);
  const kind = (path: string): 'file' | 'folder' | 'other' | null => {
    try {
      const stat = statSync(path);
      return stat.isDirectory() ? 'folder' : stat.isFile() ? 'file' : 'other';
    } catch {
      return null;
    }
  };
  const found = kind(file);
  if (found === 'folder') return 'is a folder, not a file';
  const folderKind = kind(folder);
  if (folderKind === null) return `cannot be written: the folder ${folder} does not exist`;
  if (folderKind !== 'folder') return `cannot be written: ${folder} is not a folder`;
  try {
    if (found === null) accessSync(folder, constants.W_OK);
    else accessSync(file, constants.W_OK);
  } catch {
    return found === null ? `cannot be written: the folder ${folder} is not writable` : 'cannot be written: the file is read-only';
  }
  return null;
}

/**
 * Refuses (exit 2) an output file that cannot be written, before the work.
 * @example refuseUnwritable('weir run', '--trace', '/tmp') // throws InvalidInput: "weir run: --trace /tmp: is a folder, not a file"
 */
export function refuseUnwritable(command: string, flag: string, file: string): void {
  const problem = unwritableBecause(file);
  if (problem !== null) throw new InvalidInput([`${command}: ${flag} ${file}: ${problem}`]);
}

/** Writes an output file; what still goes wrong (the disk filled up, the folder went away since the check) is said the same way. */
export function writeOutputFile(command: string, flag: string, file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    if (typeof error.code !== 'string') throw e;
    throw new InvalidInput([`${command}: ${flag} ${file}: ${unwritableBecause(file) ?? `cannot be written: ${error.message}`}`]);
  }
}
