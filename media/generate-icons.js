#!/usr/bin/env node
// Regenerates the extension's images (no network, no dependencies): node media/generate-icons.js
//   icon.png            128×128 marketplace icon: a code listing whose lines glow with heat
//   activity.svg        monochrome activity-bar icon (VS Code tints it with currentColor)
//   gutter/heat1-5.svg  gutter bars; width AND colour grow with heat, so the steps stay readable
//                       in light, dark and high-contrast themes and for colour-blind users
//   gutter/stale.svg    hollow grey bar for lines of a file edited after profiling
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const HEAT = ['#d7a82a', '#e58a1f', '#e8651c', '#e43f1c', '#d01c2c'];

function writePng(file, width, height, pixel) {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b, a] = pixel(x, y);
      raw.set([r, g, b, a], y * (width * 4 + 1) + 1 + x * 4);
    }
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = buf => { let c = 0xffffffff; for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4); sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0); header.writeUInt32BE(height, 4);
  header[8] = 8; header[9] = 6; // 8-bit RGBA
  fs.writeFileSync(file, Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
  ]));
}

const hex = color => [1, 3, 5].map(i => parseInt(color.slice(i, i + 2), 16));

/** Signed-distance helpers so edges are anti-aliased (the icon is shown at 128 and 32 px). */
function roundedRectCoverage(x, y, left, top, right, bottom, radius) {
  const cx = Math.min(Math.max(x, left + radius), right - radius);
  const cy = Math.min(Math.max(y, top + radius), bottom - radius);
  const distance = Math.hypot(x - cx, y - cy) - radius;
  return Math.min(1, Math.max(0, 0.5 - distance));
}

function drawIcon(file) {
  const size = 128;
  const background = hex('#1e2230');
  const gutter = hex('#2b3142');
  const code = hex('#5c6680');
  // Each row: [indent, code length, heat step or -1]; bars on the left show heat like the editor gutter.
  const rows = [[0, 52, -1], [8, 40, 0], [8, 58, 2], [16, 46, 4], [16, 30, 3], [8, 36, 1], [0, 20, -1]];
  const rowHeight = 13, top = 20, left = 14;
  writePng(file, size, size, (px, py) => {
    const x = px + 0.5, y = py + 0.5;
    const tile = roundedRectCoverage(x, y, 4, 4, 124, 124, 22);
    if (tile === 0) return [0, 0, 0, 0];
    let color = background;
    if (x >= 12 && x < 28 && y >= 12 && y < 116) color = gutter;
    rows.forEach(([indent, length, step], i) => {
      const rowTop = top + i * rowHeight;
      if (step >= 0) {
        const barWidth = 4 + step * 2;
        if (roundedRectCoverage(x, y, left, rowTop, left + barWidth, rowTop + 8, 1.5) > 0.5) color = hex(HEAT[step]);
        const glow = hex(HEAT[step]);
        if (x >= 30 && x < 118 && y >= rowTop - 2 && y < rowTop + 10 && color === background) {
          const alpha = 0.10 + step * 0.06;
          color = background.map((c, k) => Math.round(c * (1 - alpha) + glow[k] * alpha));
        }
      }
      const codeLeft = 34 + indent;
      const coverage = roundedRectCoverage(x, y, codeLeft, rowTop + 1, codeLeft + length, rowTop + 7, 3);
      if (coverage > 0) {
        const ink = step >= 3 ? hex('#f3f4f8') : code;
        color = color.map((c, k) => Math.round(c * (1 - coverage) + ink[k] * coverage));
      }
    });
    return [...color, Math.round(255 * tile)];
  });
}

const svg = body => `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">${body}</svg>\n`;
function drawGutterIcons(dir) {
  fs.mkdirSync(dir, { recursive: true });
  HEAT.forEach((color, i) => {
    const width = 3 + i * 2.5; // 3 .. 13 px of the 16 px glyph margin
    fs.writeFileSync(path.join(dir, `heat${i + 1}.svg`),
      svg(`<rect x="1" y="1" width="${width}" height="14" rx="1.5" fill="${color}"/>`));
  });
  fs.writeFileSync(path.join(dir, 'stale.svg'),
    svg('<rect x="1.5" y="1.5" width="6" height="13" rx="1.5" fill="none" stroke="#8a8a8a" stroke-width="1.2" stroke-dasharray="2 1.5"/>'));
}

function drawActivityIcon(file) {
  // 24×24 monochrome: three code lines with gutter bars of increasing width.
  fs.writeFileSync(file, '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" fill="currentColor">'
    + '<rect x="2" y="4" width="2" height="3" rx="0.5"/><rect x="7" y="4.5" width="13" height="2" rx="1"/>'
    + '<rect x="2" y="10" width="4" height="3" rx="0.5"/><rect x="7" y="10.5" width="10" height="2" rx="1"/>'
    + '<rect x="2" y="16" width="3" height="3" rx="0.5"/><rect x="7" y="16.5" width="15" height="2" rx="1"/>'
    + '</svg>\n');
}

drawIcon(path.join(__dirname, 'icon.png'));
drawGutterIcons(path.join(__dirname, 'gutter'));
drawActivityIcon(path.join(__dirname, 'activity.svg'));
console.log('media: icon.png, activity.svg, gutter/*.svg written');
