// Where the engine's bytes go: code size per crate, from the function names of a wasm module
// built with its name section (see scripts/size-profile.sh). Prints a Markdown table.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const file = process.argv[2];
const bytes = readFileSync(file);
let at = 8;
const u32 = () => {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(byte & 0x80)) return result;
  }
};
const name = () => {
  const length = u32();
  const text = bytes.toString('utf8', at, at + length);
  at += length;
  return text;
};

let imported = 0;
const bodies = [];
const names = new Map();
const sections = [];
while (at < bytes.length) {
  const id = bytes[at++];
  const size = u32();
  const end = at + size;
  sections.push([id, size]);
  if (id === 2) {
    for (let count = u32(), i = 0; i < count; i += 1) {
      name();
      name();
      const kind = bytes[at++];
      if (kind === 0) { imported += 1; u32(); }
      else if (kind === 1) { at += 1; const flags = u32(); u32(); if (flags & 1) u32(); }
      else if (kind === 2) { const flags = u32(); u32(); if (flags & 1) u32(); }
      else if (kind === 3) { at += 2; }
      else if (kind === 4) { at += 1; u32(); }
    }
  } else if (id === 10) {
    for (let count = u32(), i = 0; i < count; i += 1) {
      const length = u32();
      bodies.push([at, length]);
      at += length;
    }
  } else if (id === 0 && name() === 'name') {
    while (at < end) {
      const kind = bytes[at++];
      const length = u32();
      const next = at + length;
      if (kind === 1) {
        for (let count = u32(), i = 0; i < count; i += 1) names.set(u32(), name());
      }
      at = next;
    }
  }
  at = end;
}

/** The crate a Rust symbol (legacy mangling: `_ZN` then length-prefixed segments) belongs to;
 *  for a trait impl, the crate of the type it is for. */
function crateOf(symbol) {
  const legacy = symbol.match(/^_ZN(\d+)/);
  if (!legacy) return symbol.match(/^([a-z_][a-z0-9_]*)::/)?.[1] ?? '(unnamed)';
  const segment = symbol.substr(3 + legacy[1].length, Number(legacy[1]))
    .replace(/^_?\$LT\$/, '')
    .replace(/^(\$RF\$|\*const\$u20\$|\*mut\$u20\$|mut\$u20\$)+/, '');
  return segment.split(/\.\.|\$/)[0] || '(unnamed)';
}

const perCrate = new Map();
bodies.forEach(([start, length], index) => {
  const crate = crateOf(names.get(imported + index) ?? '');
  const entry = perCrate.get(crate) ?? { raw: 0, parts: [] };
  entry.raw += length;
  entry.parts.push(bytes.subarray(start, start + length));
  perCrate.set(crate, entry);
});
const code = sections.filter(([id]) => id === 10).reduce((s, [, n]) => s + n, 0);
const data = sections.filter(([id]) => id === 11).reduce((s, [, n]) => s + n, 0);
const rows = [...perCrate.entries()]
  .map(([crate, { raw, parts }]) => [crate, raw, gzipSync(Buffer.concat(parts), { level: 9 }).length])
  .sort((a, b) => b[2] - a[2]);
/** Which part of the engine a crate serves. */
function partOf(crate) {
  if (/^(wgpu|naga|cubecl|burn_cubecl|burn_wgpu|cubek|pliron|combine|web_sys|js_sys)/.test(crate)) return 'WebGPU runtime (wgpu, naga, cubecl and its kernels, browser bindings)';
  if (/^(burn_flex|gemm|macerator|pulp)/.test(crate)) return 'CPU backend (flex, gemm)';
  if (/^(burn|distill)/.test(crate)) return 'Burn front end, autodiff, optimizers, and the distillation code';
  if (/^(core|alloc|std|hashbrown|dlmalloc|compiler_builtins)$/.test(crate)) return 'Rust standard library';
  return 'other crates';
}
const parts = new Map();
for (const [crate, { raw }] of perCrate) parts.set(partOf(crate), (parts.get(partOf(crate)) ?? 0) + raw);
console.log(`${file}: ${bytes.length} bytes; code ${code}, data ${data}; ${bodies.length} functions, ${names.size} named.`);
console.log();
console.log('| part | code bytes | share of code |');
console.log('|---|---|---|');
for (const [part, raw] of [...parts.entries()].sort((a, b) => b[1] - a[1])) console.log(`| ${part} | ${raw} | ${((raw / code) * 100).toFixed(0)}% |`);
console.log();
console.log('| crate | code bytes | gzip (alone) |');
console.log('|---|---|---|');
for (const [crate, raw, gz] of rows.slice(0, 15)) console.log(`| ${crate} | ${raw} | ${gz} |`);
const rest = rows.slice(15);
if (rest.length) console.log(`| ${rest.length} more | ${rest.reduce((s, r) => s + r[1], 0)} | ${rest.reduce((s, r) => s + r[2], 0)} |`);
