// Workspace Trust gate: profiling runs the workspace's code, so it needs a trusted workspace.
// Menus hide the profiling commands with `isWorkspaceTrusted`; the palette keeps them so that invoking
// one explains why it is unavailable instead of silently doing nothing.

export const untrustedProfilingMessage =
  'Hotspots: profiling runs this file\'s code with Node.js, so it is disabled in Restricted Mode. '
  + 'Trust this workspace to profile; "Open CPU profile…" works without trust.';

/** Commands that execute workspace code and therefore need trust. */
export const PROFILING_COMMANDS = ['hotspots.profileFile', 'hotspots.profileFileWithArgs', 'hotspots.profileNpmScript', 'hotspots.profileTestFile'] as const;
