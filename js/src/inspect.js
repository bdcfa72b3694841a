// A small `util.inspect`, for the "Received ..." part of Node's
// ERR_INVALID_ARG_VALUE messages, which show the value itself. node:util is
// not everywhere this package runs (browsers), so the common shapes are
// printed here as Node prints them: primitives, functions, and short arrays
// and plain objects on one line. Longer or exotic values are approximations.

/** How util.inspect quotes a string: single quotes unless the text has some. */
function inspectString(text) {
  let quote = "'";
  if (text.includes("'")) {
    if (!text.includes('"')) quote = '"';
    else if (!text.includes('`') && !text.includes('${')) quote = '`';
  }
  const escaped = text.replace(/[\x00-\x1f\x7f\\]/g, (c) => {
    const named = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\\': '\\\\' }[c];
    return named ?? `\\x${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  });
  const quoted = quote === "'" ? escaped.replaceAll("'", "\\'") : escaped;
  return `${quote}${quoted}${quote}`;
}

/** A property key as util.inspect shows it: bare when an identifier. */
function inspectKey(key) {
  if (typeof key === 'symbol') return `[${String(key)}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : inspectString(key);
}

/** Items in braces or brackets: one line while short, as util.inspect lays out small values. */
function braces(open, items, close) {
  if (items.length === 0) return `${open}${close}`;
  const line = `${open} ${items.join(', ')} ${close}`;
  if (line.length <= 72) return line;
  return `${open}\n  ${items.join(',\n  ')}\n${close}`;
}

/** util.inspect(value) for the shapes Node's argument errors meet. */
export function inspect(value, depth = 0) {
  switch (typeof value) {
    case 'string':
      return inspectString(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return String(value);
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return String(value);
    case 'function': {
      const kind = Function.prototype.toString.call(value).startsWith('class') ? 'class' : 'Function';
      if (kind === 'class') return `[class ${value.name || '(anonymous)'}]`;
      return `[Function: ${value.name || '(anonymous)'}]`.replace(': (anonymous)', ' (anonymous)');
    }
    default:
      break;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    if (depth > 2) return '[Array]';
    const items = [];
    for (let i = 0; i < value.length; i++) {
      if (i in value) {
        items.push(inspect(value[i], depth + 1));
        continue;
      }
      let holes = 1;
      while (i + 1 < value.length && !(i + 1 in value)) {
        holes++;
        i++;
      }
      items.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
    }
    return braces('[', items, ']');
  }
  const name = value.constructor?.name;
  if (depth > 2) return name && name !== 'Object' ? `[${name}]` : '[Object]';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof Set) return braces(`Set(${value.size}) {`, [...value].map((v) => inspect(v, depth + 1)), '}');
  if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => `${inspect(k, depth + 1)} => ${inspect(v, depth + 1)}`);
    return braces(`Map(${value.size}) {`, entries, '}');
  }
  const items = Object.keys(value).map((key) => `${inspectKey(key)}: ${inspect(value[key], depth + 1)}`);
  const prefix = name === undefined ? '[Object: null prototype] ' : name === 'Object' ? '' : `${name} `;
  return `${prefix}${braces('{', items, '}')}`;
}

/** The value as ERR_INVALID_ARG_VALUE shows it: cut to 128 characters. */
export function inspectReceived(value) {
  const shown = inspect(value);
  return shown.length > 128 ? `${shown.slice(0, 128)}...` : shown;
}
