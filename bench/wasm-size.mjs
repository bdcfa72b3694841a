// What each crate adds to the component: code bytes per crate, read from an
// unstripped build's name section (`make size` builds one in target/size), and
// the data segments (string and table constants, the root store) beside them.
//
//   node bench/wasm-size.mjs COMPONENT.wasm [--top N] [--markdown FILE]
//
// A component holds its core modules as nested sections; each function body in
// their code sections is counted for the crate its mangled name starts with
// (legacy `_ZN` symbols, `<T as Trait>` impls by T's crate). Names LTO merged
// or that are not Rust count as "(other)".
import fs from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, markdown: { type: 'string' } },
});

/** Reads an unsigned LEB128 at `at`: [value, next offset]. */
function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, at];
    shift += 7;
  }
}

/** The sections of a module or component: {id, start, end} of each payload. */
function sections(bytes) {
  const out = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    out.push({ id, start, end: start + size });
    at = start + size;
  }
  return out;
}

/** The core modules nested in a component (section 1), or the module itself. */
function coreModules(bytes) {
  const isComponent = bytes[4] === 0x0d;
  if (!isComponent) return [bytes];
  return sections(bytes)
    .filter((section) => section.id === 1)
    .map((section) => bytes.subarray(section.start, section.end));
}

/** ring's C and assembly-derived functions, which carry no Rust mangling. */
const RING_C = /^(ring_core_|fiat_|nistz|ecp_nistz|fe_|ge_|sc_|x25519_|p256_|p384_|limbs_|LIMBS_|bn_|CRYPTO_|aes_|gcm_|ChaCha20|poly1305)/;

/** The crate a function name belongs to: legacy (`_ZN`) or v0 (`_R`) Rust mangling, ring's C, the glue. */
function crateOf(name) {
  if (RING_C.test(name)) return 'ring';
  if (name.startsWith('tls-connect:')) return 'tls_connect';
  if (name === 'dlmalloc' || name.startsWith('__')) return 'std';
  const v0 = /^_R.*?C(?:s[0-9A-Za-z]*_)?(\d+)([A-Za-z_])/.exec(name);
  if (v0) {
    const at = v0.index + v0[0].length - 1;
    return name.slice(at, at + Number(v0[1]));
  }
  const match = /^_ZN(\d+)(.*)$/.exec(name);
  if (!match) return '(other)';
  let ident = match[2].slice(0, Number(match[1]));
  // `<T as Trait>::method`: T's crate, or the trait's when T is a generic parameter or a reference.
  ident = ident.replace(/^_?\$LT\$/, '').replace(/^(\$RF\$|\$BP\$|_\$u5b\$)+/, '');
  let crate = /^[A-Za-z_][A-Za-z0-9_]*/.exec(ident)?.[0];
  if (!crate || /^[A-Z]$/.test(crate)) crate = /as\$u20\$([A-Za-z_][A-Za-z0-9_]*)/.exec(ident)?.[1];
  return crate ?? '(other)';
}

/** Code bytes per crate, data bytes, and the totals of one core module. */
function measure(module) {
  const all = sections(module);
  let importedFunctions = 0;
  const importSection = all.find((section) => section.id === 2);
  if (importSection) {
    let [count, at] = leb(module, importSection.start);
    for (; count > 0; count -= 1) {
      for (let field = 0; field < 2; field += 1) {
        const [length, next] = leb(module, at);
        at = next + length;
      }
      const kind = module[at++];
      if (kind === 0) {
        importedFunctions += 1;
        at = leb(module, at)[1];
      } else if (kind === 1) {
        at += 1;
        const flags = module[at++];
        at = leb(module, at)[1];
        if (flags & 1) at = leb(module, at)[1];
      } else if (kind === 2) {
        const flags = module[at++];
        at = leb(module, at)[1];
        if (flags & 1) at = leb(module, at)[1];
      } else if (kind === 3) {
        at += 2;
      } else {
        throw new Error(`import kind ${kind} not understood`);
      }
    }
  }
  const names = new Map();
  for (const section of all.filter((s) => s.id === 0)) {
    const [nameLength, afterName] = leb(module, section.start);
    if (Buffer.from(module.subarray(afterName, afterName + nameLength)).toString() !== 'name') continue;
    let at = afterName + nameLength;
    while (at < section.end) {
      const kind = module[at];
      const [size, start] = leb(module, at + 1);
      if (kind === 1) {
        let [count, p] = leb(module, start);
        for (; count > 0; count -= 1) {
          const [index, q] = leb(module, p);
          const [length, r] = leb(module, q);
          names.set(index, Buffer.from(module.subarray(r, r + length)).toString());
          p = r + length;
        }
      }
      at = start + size;
    }
  }
  const code = new Map();
  const codeSection = all.find((section) => section.id === 10);
  let codeBytes = 0;
  if (codeSection) {
    let [count, at] = leb(module, codeSection.start);
    for (let index = importedFunctions; count > 0; count -= 1, index += 1) {
      const [size, body] = leb(module, at);
      const crate = crateOf(names.get(index) ?? '');
      code.set(crate, (code.get(crate) ?? 0) + size);
      codeBytes += size;
      at = body + size;
    }
  }
  const dataSection = all.find((section) => section.id === 11);
  const dataBytes = dataSection ? dataSection.end - dataSection.start : 0;
  return { code, codeBytes, dataBytes, named: names.size };
}

const file = positionals[0];
if (!file) {
  process.stderr.write('usage: node bench/wasm-size.mjs COMPONENT.wasm [--top N] [--markdown FILE]\n');
  process.exit(2);
}
const bytes = fs.readFileSync(file);
const totals = { code: new Map(), codeBytes: 0, dataBytes: 0, named: 0 };
for (const module of coreModules(bytes)) {
  const one = measure(module);
  for (const [crate, size] of one.code) totals.code.set(crate, (totals.code.get(crate) ?? 0) + size);
  totals.codeBytes += one.codeBytes;
  totals.dataBytes += one.dataBytes;
  totals.named += one.named;
}
if (totals.named === 0) {
  process.stderr.write(`${file}: no name section; build unstripped (make size)\n`);
  process.exit(1);
}
const rows = [...totals.code].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
const lines = [
  `| crate | code bytes | share of code |`,
  `|---|---|---|`,
  ...rows.map(([crate, size]) => `| ${crate} | ${size.toLocaleString('en-US')} | ${((100 * size) / totals.codeBytes).toFixed(1)}% |`),
  `| all code | ${totals.codeBytes.toLocaleString('en-US')} | 100% |`,
  `| data segments | ${totals.dataBytes.toLocaleString('en-US')} | |`,
];
process.stdout.write(`${lines.join('\n')}\n`);
if (values.markdown) {
  fs.writeFileSync(values.markdown, `# What each crate adds to the component\n\nMade by \`make size\` (bench/wasm-size.mjs) from an unstripped build of the component, with the same LTO as \`make component\`. Code bytes per crate by the function names; data segments hold string and table constants and the root store.\n\n${lines.join('\n')}\n`);
}
