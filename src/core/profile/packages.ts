// Which npm package a file belongs to, and how to show a location without losing the package's name.
import * as path from 'node:path';

/** Name of the package a file under node_modules belongs to (`lodash`, `@babel/core`), else undefined. */
export function packageNameOf(file: string): string | undefined {
  const parts = file.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return undefined;
  const first = parts[at + 1];
  if (first.startsWith('@') && at + 2 < parts.length) return `${first}/${parts[at + 2]}`;
  return first;
}

/** Whether a file is a dependency's (under node_modules), not the user's own code. */
export function isDependencyFile(file: string): boolean {
  return /[\\/]node_modules[\\/]/.test(file);
}

/**
 * `file:line` that fits in `width` columns. A dependency's file is shown from its package name on
 * (`lodash/lodash.js:895`); when that is still too long the middle is cut, never the package name at
 * the left nor the file name and line at the right. Other paths keep their end.
 */
export function fitLocation(shownFile: string, line: number, width: number): string {
  const full = `${shownFile}:${line}`;
  const packageName = packageNameOf(shownFile);
  if (packageName === undefined) return full.length <= width ? full : `…${full.slice(full.length - width + 1)}`;
  const parts = shownFile.split(/[\\/]/);
  const inPackage = parts.slice(parts.lastIndexOf('node_modules') + 1 + packageName.split('/').length);
  const short = [packageName, ...inPackage].join('/') + `:${line}`;
  if (short.length <= width) return short;
  const tail = `${path.basename(shownFile)}:${line}`;
  const head = `${packageName}/…/`;
  if (head.length + tail.length <= width) return head + tail;
  // A very long package name loses its end (its start is what users recognise), the file name stays.
  const room = width - tail.length - 2;
  if (room >= 4) return `${packageName.slice(0, room)}…/${tail}`;
  // A file name as long as the column: as much of its end as fits (never more than the name itself).
  return tail.length < width ? `…${tail}` : `…${tail.slice(tail.length - width + 1)}`;
}
