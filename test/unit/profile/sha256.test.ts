// The JavaScript SHA-256 behind the workload's argsHash gives node:crypto's digest, so a report written
// before it (with crypto) and one written after describe the same arguments with the same hash.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { sha256Hex } from '../../../src/core/profile/sha256';
import { describeWorkload } from '../../../src/core/profile/sourceContext';

const cryptoSha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

test('sha256Hex matches node:crypto on the FIPS examples, block edges, long and non-ASCII input', () => {
  assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'), '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  // 55, 56, 63, 64 and 65 bytes: the length field fits in the last block, or needs one more.
  for (const length of [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 100_000]) {
    const text = 'x'.repeat(length);
    assert.equal(sha256Hex(text), cryptoSha256(text), `${length} bytes`);
  }
  for (const text of ['["--size","4"]', '["é","日本語","😀"]', JSON.stringify(Array.from({ length: 300 }, (_, i) => `--arg-${i}`))]) {
    assert.equal(sha256Hex(text), cryptoSha256(text));
  }
});

test('the workload argsHash is the first 16 hex digits of crypto sha256 of the JSON arguments', () => {
  const args = ['--size', '4', 'naïve'];
  const workload = describeWorkload({ command: ['node', 'app.js', ...args], cwd: '/project', script: 'app.js', args });
  assert.equal(workload.argsHash, cryptoSha256(JSON.stringify(args)).slice(0, 16));
  assert.equal(describeWorkload({ command: ['node', 'app.js'], cwd: '/project' }).argsHash, cryptoSha256('[]').slice(0, 16));
});
