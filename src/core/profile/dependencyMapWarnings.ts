// A dependency whose source map is broken (or points to sources it does not ship) is not the user's to
// fix, and it stays broken until the dependency changes: its warning is shown once per workspace and
// dependency version, not on every run. What was warned is kept in a small JSON file beside the runs
// (`.hotspots/warned-dependency-maps.json` for the CLI, the run history's folder in the editor).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageNameOf } from './packages';
import { dependencyMapSummary, DependencyMapSummariser } from './sourceMaps';

/** Name of the file, in the folder that holds a workspace's runs, listing the dependency versions warned about. */
export const WARNED_DEPENDENCY_MAPS_FILE = 'warned-dependency-maps.json';

/**
 * A summariser for ReportOptions.dependencyMapWarning: names only the dependency versions not warned
 * about before in `stateFile`, and records them there. A state file that cannot be read or written only
 * means the warning shows again.
 */
export function warnDependencyMapsOnce(stateFile: string): DependencyMapSummariser {
  return scripts => {
    const warned = readWarned(stateFile);
    const fresh = new Set([...scripts].filter(script => !warned.has(dependencyVersionOf(script))));
    if (fresh.size === 0) return undefined;
    for (const script of fresh) warned.add(dependencyVersionOf(script));
    try {
      fs.mkdirSync(path.dirname(stateFile), { recursive: true });
      fs.writeFileSync(stateFile, `${JSON.stringify({ warned: [...warned].sort() }, null, 2)}\n`);
    } catch { /* shown again next time */ }
    return `${dependencyMapSummary(fresh)} (said once per dependency version)`;
  };
}

function readWarned(stateFile: string): Set<string> {
  try {
    const { warned } = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { warned?: unknown };
    return new Set(Array.isArray(warned) ? warned.filter((entry): entry is string => typeof entry === 'string') : []);
  } catch {
    return new Set();
  }
}

/** `name@version` of the package a dependency script belongs to (the script itself when none is found). */
export function dependencyVersionOf(script: string): string {
  const name = packageNameOf(script);
  if (name === undefined) return script;
  const parts = script.split(/[\\/]/);
  const root = parts.slice(0, parts.lastIndexOf('node_modules') + 1 + name.split('/').length).join(path.sep);
  try {
    const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof version === 'string' ? `${name}@${version}` : name;
  } catch {
    return name;
  }
}
