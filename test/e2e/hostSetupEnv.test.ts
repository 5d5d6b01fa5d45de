// The VS Code host setup (test/integration/host/setup.sh) runs nested `npm install`s under Node 24. Called
// from `npm test` (Node 20) it inherits the outer npm's configuration as npm_* variables; code-server's
// postinstall read the Node version from npm_config_user_agent and refused to install. This runs the
// setup's environment step the way `npm test` runs it, under npm, and checks what the nested installs see.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const REPO = path.resolve(__dirname, '..', '..', '..');
const SETUP = path.join(REPO, 'test', 'integration', 'host', 'setup.sh');

function npmVariables(command: string, env: NodeJS.ProcessEnv): Map<string, string> {
  const result = spawnSync('npm', ['exec', '--yes=false', '--', 'bash', '-c', command], { cwd: REPO, env, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const variables = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const match = /^(npm_[^=]+)=(.*)$/.exec(line);
    if (match) variables.set(match[1], match[2]);
  }
  return variables;
}

describe('VS Code host setup under npm', () => {
  const env = { ...process.env, npm_config_registry: 'https://registry.npmjs.org/' };

  it('npm exports its own Node to child processes (the leak the setup must undo)', () => {
    const seen = npmVariables('env', env);
    assert.match(seen.get('npm_config_user_agent') ?? '', /node\/v\d+/);
    assert.ok(seen.has('npm_node_execpath'));
  });

  it('the nested installs see none of the calling npm\'s configuration, only how to reach the registry', () => {
    const seen = npmVariables(`HOTSPOTS_SETUP_ENV_ONLY=1 bash ${JSON.stringify(SETUP)}`, env);
    for (const leaked of ['npm_config_user_agent', 'npm_config_nodedir', 'npm_config_prefix', 'npm_config_node_gyp',
      'npm_node_execpath', 'npm_execpath', 'npm_lifecycle_event', 'npm_config_local_prefix']) {
      assert.equal(seen.has(leaked), false, `${leaked} reaches the nested install`);
    }
    assert.equal(seen.get('npm_config_registry'), 'https://registry.npmjs.org/', 'the registry setting is kept');
  });
});
