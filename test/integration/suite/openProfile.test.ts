import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { closeAllEditors, EXTENSION_ID, hotspotsApi, markerLine, openEditor, screenshot, waitFor, workspaceRoot } from './helpers';

// "Open CPU profile…" with a profile recorded by plain `node --cpu-prof` somewhere else (another
// checkout path), as a user would get it from CI or a colleague.
describe('Open CPU profile…', () => {
  after(async () => {
    await vscode.commands.executeCommand('hotspots.clearAnnotations');
    await closeAllEditors();
  });

  it('shows the heat of a .cpuprofile recorded elsewhere on the workspace sources', async () => {
    const api = await hotspotsApi();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-cpuprof-'));
    execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, 'hot.js'], { cwd: workspaceRoot(), stdio: 'ignore' });
    const [recorded] = fs.readdirSync(dir).filter(name => name.endsWith('.cpuprofile'));
    assert.ok(recorded, 'node --cpu-prof wrote a profile');
    // Pretend it was recorded in another checkout: /elsewhere/project/hot.js.
    const localUrl = `file://${path.join(workspaceRoot(), 'hot.js')}`;
    const text = fs.readFileSync(path.join(dir, recorded), 'utf8').split(JSON.stringify(localUrl).slice(1, -1)).join('file:///elsewhere/project/hot.js');
    assert.ok(text.includes('/elsewhere/project/hot.js'));
    const moved = path.join(dir, 'from-ci.cpuprofile');
    fs.writeFileSync(moved, text);

    const editor = await openEditor('hot.js');
    await vscode.commands.executeCommand('hotspots.openProfile', vscode.Uri.file(moved));
    const model = api.getCurrentModel();
    assert.equal(model?.source.kind, 'profiles');
    assert.equal(model.lines[0].file, editor.document.uri.fsPath, 'mapped to the workspace file');
    const applied = await waitFor('heat from the opened profile', () => api.getAppliedHeat(editor.document.uri));
    assert.ok(applied.lines.some(line => line.line === markerLine('hot.js', 'HOT') && line.annotation));
    assert.match(api.getMessages().at(-1)?.text ?? '', /from-ci\.cpuprofile: hottest line hot\.js:\d+ in checksum/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('heats the workspace file from a pprof (.pb.gz) recorded in production under /app', async () => {
    const api = await hotspotsApi();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-pprof-'));
    execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, 'hot.js'], { cwd: workspaceRoot(), stdio: 'ignore' });
    const [recorded] = fs.readdirSync(dir).filter(name => name.endsWith('.cpuprofile'));
    // A production pprof: the workspace's files under the deploy path /app, gzipped profile.proto.
    const cli = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
    const pprof = path.join(dir, 'production.pb.gz');
    execFileSync(process.execPath, [cli, 'report', path.join(dir, recorded), '--path-map', `${workspaceRoot()}=/app`, '--pprof', pprof], { cwd: dir, stdio: 'ignore' });

    const editor = await openEditor('hot.js');
    await vscode.commands.executeCommand('hotspots.openProfile', vscode.Uri.file(pprof));
    const model = api.getCurrentModel();
    assert.equal(model?.source.kind, 'profiles');
    assert.equal(model.lines[0].file, editor.document.uri.fsPath, '/app/hot.js mapped to the workspace file');
    const applied = await waitFor('heat from the pprof', () => api.getAppliedHeat(editor.document.uri));
    assert.ok(applied.lines.some(line => line.line === markerLine('hot.js', 'HOT') && line.annotation));
    const message = api.getMessages().at(-1)?.text ?? '';
    assert.match(message, /production\.pb\.gz: hottest line hot\.js:\d+ in checksum/);
    assert.ok(message.includes(`Paths mapped: /app → ${workspaceRoot()}`), message);
    await screenshot('docs/images/open-pprof.png');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('heats the TypeScript source of a page from a DevTools Performance trace (Trace-*.json) of it', async () => {
    const api = await hotspotsApi();
    // The page's project inside the workspace (a folder of a monorepo): its bundle, source map and source.
    const fixture = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test', 'fixtures', 'profiles', 'devtools-trace');
    const project = path.join(workspaceRoot(), 'web-page');
    for (const folder of ['src', 'public']) fs.cpSync(path.join(fixture, folder), path.join(project, folder), { recursive: true });
    const trace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hotspots-trace-')), 'Trace-20261206T101010.json');
    fs.copyFileSync(path.join(fixture, 'Trace-page.json'), trace);

    const editor = await openEditor('web-page/src/app.ts');
    await vscode.commands.executeCommand('hotspots.openProfile', vscode.Uri.file(trace));
    const model = api.getCurrentModel();
    assert.equal(model?.lines[0].file, editor.document.uri.fsPath, 'the page\'s bundle, through its map, to the TypeScript file');
    const applied = await waitFor('heat from the trace', () => api.getAppliedHeat(editor.document.uri));
    assert.ok(applied.lines.some(line => line.line === markerLine('web-page/src/app.ts', 'HOT') && line.annotation), JSON.stringify(applied.lines));
    const message = api.getMessages().at(-1)?.text ?? '';
    assert.match(message, /Trace-20261206T101010\.json: hottest line app\.ts:\d+ in dedupe/);
    assert.match(message, /Paths mapped: http:\/\/localhost:\d+ → .*web-page[\\/]public/);
    await screenshot('docs/images/open-devtools-trace.png');
    fs.rmSync(path.dirname(trace), { recursive: true, force: true });
  });

  it('reports a file that is not a CPU profile', async () => {
    const api = await hotspotsApi();
    const bogus = path.join(os.tmpdir(), `hotspots-bogus-${process.pid}.cpuprofile`);
    fs.writeFileSync(bogus, '{"not":"a profile"}');
    await vscode.commands.executeCommand('hotspots.openProfile', vscode.Uri.file(bogus));
    const last = api.getMessages().at(-1);
    assert.equal(last?.severity, 'error');
    assert.match(last.text, /could not read hotspots-bogus-\d+\.cpuprofile/);
    fs.rmSync(bogus);
  });
});
