// `npm run demo` (builds first): profiles every program in examples/ with the built CLI and prints the
// top hotspots of each, the way a new user would run `hotspots profile` on their own script.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const examplesDir = path.join(root, 'examples');
const TOP = 3;

if (!fs.existsSync(cli)) {
  console.error('dist/cli.js is missing: run `npm run demo` (it builds first) or `npm run build`.');
  process.exit(2);
}

const examples = fs.readdirSync(examplesDir).filter(name => /\.(c|m)?[jt]s$/.test(name)).sort();
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-demo-'));
let failures = 0;
for (const example of examples) {
  const jsonPath = path.join(workDir, `${example}.json`);
  console.log(`\n▶ hotspots profile examples/${example}`);
  const run = spawnSync(process.execPath, [cli, 'profile', '--json', jsonPath, '--out-dir', path.join(workDir, 'profiles'), '--top', String(TOP), path.join(examplesDir, example)], {
    cwd: root,
    encoding: 'utf8',
  });
  if (!fs.existsSync(jsonPath)) {
    failures++;
    console.log(`  failed (exit ${run.status}): ${run.stderr.trim().split('\n').pop()}`);
    continue;
  }
  const report = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  console.log(`  program output: ${run.stdout.split('\n')[0]}`);
  console.log(`  ${report.totalSampledMs.toFixed(0)} ms sampled, ${report.categories.idleMs.toFixed(0)} ms idle, exit ${report.exitCode}`);
  for (const line of report.lines.slice(0, TOP)) {
    const location = `${path.relative(root, line.file)}:${line.line}`;
    const source = readLine(line.file, line.line);
    console.log(`  ${line.selfPercent.toFixed(1).padStart(5)}%  ${line.selfMs.toFixed(0).padStart(5)} ms  ${location.padEnd(34)} ${source}`);
  }
  // A program that mostly waits: its await line, not its CPU lines, is where the time went.
  const [topWait] = report.waits ?? [];
  if (topWait && topWait.blockedPercent >= 10) {
    const location = `${path.relative(root, topWait.file)}:${topWait.line}`;
    console.log(`  waiting: ${topWait.blockedPercent.toFixed(1)}% of the run (${topWait.blockedMs.toFixed(0)} ms, ${topWait.count}×) on ${location}  ${readLine(topWait.file, topWait.line)}`);
  }
}
fs.rmSync(workDir, { recursive: true, force: true });
console.log(`\nProfile your own script: npx hotspots profile path/to/script.js (add --json report.json for the details).`);
process.exitCode = failures ? 1 : 0;

function readLine(file, line) {
  try {
    const text = fs.readFileSync(file, 'utf8').split('\n')[line - 1] ?? '';
    const trimmed = text.trim();
    return trimmed.length > 60 ? `${trimmed.slice(0, 57)}...` : trimmed;
  } catch {
    return '';
  }
}
