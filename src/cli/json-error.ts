// Where JSON text first goes wrong (offset and reason), for messages with a real line:column: V8's own messages
// give no position for several errors ("Unexpected token '}'") and none says "trailing comma".

export interface JsonProblem {
  offset: number;
  reason: string;
}

const WS = new Set([' ', '\t', '\n', '\r']);

/** The first syntax error in `text`, or undefined when it is valid JSON. Iterative: deep nesting cannot overflow. */
export function findJsonError(text: string): JsonProblem | undefined {
  let i = 0;
  const skip = () => {
    while (i < text.length && WS.has(text[i]!)) i++;
  };
  const fail = (reason: string, at = i): JsonProblem => ({ offset: at, reason });
  const show = (at: number) => (at >= text.length ? 'end of input' : `"${text[at]}"`);

  const string = (): JsonProblem | undefined => {
    const start = i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return undefined;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail('invalid \\u escape in a string');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return fail(`invalid escape "\\${e ?? ''}" in a string`);
      } else if (c < ' ') return fail(c === '\n' ? 'unterminated string (a newline inside quotes)' : 'control character inside a string');
      else i++;
    }
    return fail('unterminated string', start);
  };
  const scalar = (): JsonProblem | undefined => {
    const c = text[i];
    if (c === '"') return string();
    const num = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (num && num[0] !== '' && num[0] !== '-') {
      i += num[0].length;
      return undefined;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return undefined;
      }
    }
    if (c === "'") return fail('strings take double quotes in JSON, not single quotes');
    return fail(`expected a value, found ${show(i)}`);
  };

  /** A property name and its colon, leaving `i` at the value. */
  const member = (): JsonProblem | undefined => {
    if (text[i] !== '"') return fail(`expected a property name in double quotes, found ${show(i)}`);
    const p = string();
    if (p) return p;
    skip();
    if (text[i] !== ':') return fail(`expected ":" after the property name, found ${show(i)}`);
    i++;
    return undefined;
  };

  // Containers on an explicit stack: '{' expecting a key, ':' a value in an object, '[' a value in an array.
  const stack: Array<'{' | '['> = [];
  skip();
  if (i >= text.length) return fail('the file is empty');
  for (;;) {
    skip();
    const c = text[i];
    // A value position.
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      skip();
      const close = c === '{' ? '}' : ']';
      if (text[i] === close) {
        stack.pop();
        i++;
      } else if (c === '{') {
        const p = member();
        if (p) return p;
        continue;
      } else continue;
    } else {
      const p = scalar();
      if (p) return p;
    }
    // After a value: a separator, a closer, or the end.
    for (;;) {
      skip();
      const parent = stack[stack.length - 1];
      if (parent === undefined) return i < text.length ? fail(`unexpected ${show(i)} after the end of the JSON value`) : undefined;
      const close = parent === '{' ? '}' : ']';
      if (text[i] === close) {
        stack.pop();
        i++;
        continue;
      }
      if (text[i] !== ',') return fail(`expected "," or "${close}", found ${show(i)}`);
      const comma = i++;
      skip();
      if (text[i] === close) return fail(`trailing comma before "${close}" (JSON allows none)`, comma);
      if (parent === '{') {
        const p = member();
        if (p) return p;
      }
      break;
    }
  }
}
