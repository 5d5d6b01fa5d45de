// Preloaded (--require) by the overhead bench into programs that do not report their own CPU time
// (the examples): prints the process's CPU time when it ends.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`\ncpu_ms=${((user + system) / 1000).toFixed(1)}\n`);
});
