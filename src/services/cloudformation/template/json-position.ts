/**
 * Where a JSON text stops being well-formed, as a 1-based line and column. `JSON.parse` says *that* a
 * body is malformed but Node's messages only sometimes carry a position, and CloudFormation's error
 * ("Template format error: JSON not well-formed. (line 1, column 2)") always names one; this scanner
 * walks the text by JSON's grammar and reports the first character that cannot belong there.
 */

export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/** The 1-based line and column of `offset` in `text`. */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class Malformed {
  constructor(readonly offset: number) {}
}

/** Offset of the first character that breaks JSON's grammar, or undefined when `text` is valid JSON. */
export function jsonErrorOffset(text: string): number | undefined {
  let at = 0;
  const fail = (): never => {
    throw new Malformed(at);
  };
  const skipSpace = () => {
    while (at < text.length && " \t\n\r".includes(text[at] as string)) at++;
  };
  const expect = (literal: string) => {
    for (const char of literal) {
      if (text[at] !== char) fail();
      at++;
    }
  };
  const string = () => {
    expect('"');
    while (at < text.length && text[at] !== '"') {
      const char = text.charCodeAt(at);
      if (char < 0x20) fail();
      if (text[at] === "\\") {
        at++;
        const escaped = text[at];
        if (escaped === "u") {
          for (let i = 1; i <= 4; i++) {
            if (!/[0-9a-fA-F]/.test(text[at + i] ?? "")) {
              at += i;
              fail();
            }
          }
          at += 4;
        } else if (escaped === undefined || !'"\\/bfnrt'.includes(escaped)) fail();
      }
      at++;
    }
    expect('"');
  };
  const number = () => {
    const numberPattern = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    numberPattern.lastIndex = at;
    const match = numberPattern.exec(text);
    if (!match) return fail();
    at += match[0].length;
  };
  const value = (): void => {
    skipSpace();
    const char = text[at];
    if (char === "{") {
      at++;
      skipSpace();
      if (text[at] === "}") {
        at++;
        return;
      }
      for (;;) {
        skipSpace();
        string();
        skipSpace();
        expect(":");
        value();
        skipSpace();
        if (text[at] === ",") {
          at++;
          continue;
        }
        expect("}");
        return;
      }
    }
    if (char === "[") {
      at++;
      skipSpace();
      if (text[at] === "]") {
        at++;
        return;
      }
      for (;;) {
        value();
        skipSpace();
        if (text[at] === ",") {
          at++;
          continue;
        }
        expect("]");
        return;
      }
    }
    if (char === '"') string();
    else if (char === "t") expect("true");
    else if (char === "f") expect("false");
    else if (char === "n") expect("null");
    else number();
  };
  try {
    value();
    skipSpace();
    if (at < text.length) fail();
    return undefined;
  } catch (error) {
    if (error instanceof Malformed) return error.offset;
    throw error;
  }
}
