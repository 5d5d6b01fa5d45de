import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, describe, test } from 'node:test';
import { speedscopeFromFiles } from '../../../src/core/flame/load';
import { convertProfilesOffThread } from '../../../src/core/flame/offThread';
import { encodeSpeedscope } from '../../../src/core/flame/viewData';
import { createSampleRun } from './sampleRun';

const run = createSampleRun();
after(() => fs.rmSync(run.dir, { recursive: true, force: true }));

describe('convertProfilesOffThread', () => {
  test('gives the same file as converting on this thread (on the worker when dist/flameWorker.js is built)', async () => {
    const offThread = await convertProfilesOffThread([run.profilePath], { name: 'run' });
    const inline = encodeSpeedscope(await speedscopeFromFiles([run.profilePath], { name: 'run' }));
    // The exporter names the build ("hotspots@0.1.0" bundled, "hotspots@dev" elsewhere); all else is equal.
    const decode = (base64: string) => ({ ...JSON.parse(Buffer.from(base64, 'base64').toString('utf8')), exporter: undefined });
    assert.deepEqual(decode(offThread.base64), decode(inline.base64));
    assert.deepEqual(offThread.frames, inline.frames);
    assert.ok(offThread.frames.some(frame => frame.name === 'hotLoop'));
  });

  test('reports an unreadable profile as an error', async () => {
    await assert.rejects(convertProfilesOffThread([`${run.dir}/missing.cpuprofile`]), /missing\.cpuprofile/);
  });
});
