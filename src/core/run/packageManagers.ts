// Which Node processes are package managers (npm, npx, yarn, pnpm, corepack) rather than programs they
// start: the preload leaves them out of a profile unless asked, since their own CPU time (resolving the
// script, spawning a shell) is not the user's code. Kept apart from projectCommands.ts and free of
// imports so the preload bundle, which runs inside the profiled program, stays small.

/** Entry scripts by file name: the bin shims (no extension) and the packages' own CLI files. */
const PACKAGE_MANAGER_SHIM = /^(?:npm|npx|pnpm|pnpx|yarn|yarnpkg|corepack)$/;
const PACKAGE_MANAGER_ENTRY = /^(?:npm-cli|npx-cli|npm-prefix|pnpm|pnpx|yarn|yarnpkg|corepack|npm|npx)\.[cm]?js$/;
/** Directories the CLI files above live in, so a user's own `yarn.js` is not mistaken for one. */
const PACKAGE_MANAGER_DIR = /(?:^|[\\/])(?:node_modules[\\/](?:npm|pnpm|yarn|corepack|@yarnpkg[\\/]cli)|corepack|\.yarn[\\/]releases)(?:[\\/]|$)/;
/** Yarn 2+ checked into a project: .yarn/releases/yarn-4.1.0.cjs. */
const YARN_RELEASE = /(?:^|[\\/])\.yarn[\\/]releases[\\/]yarn-[^\\/]*\.c?js$/;

/**
 * Whether a Node process with this argv (`process.argv`: node, then the entry script) is npm, npx,
 * yarn, pnpm or corepack itself rather than a program it started.
 */
export function isPackageManagerProcess(argv: readonly string[]): boolean {
  const script = argv[1];
  if (!script) return false;
  const name = script.split(/[\\/]/).pop()!;
  if (PACKAGE_MANAGER_SHIM.test(name)) return true;
  if (YARN_RELEASE.test(script)) return true;
  return PACKAGE_MANAGER_ENTRY.test(name) && PACKAGE_MANAGER_DIR.test(script.slice(0, script.length - name.length));
}
