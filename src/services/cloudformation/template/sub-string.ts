/**
 * The pieces of an Fn::Sub string: literal text and `${Name}` variables. `${!Literal}` is CloudFormation's
 * escape and stays in the text as `${Literal}`; an unclosed `${` is plain text. Shared by resolve.ts
 * (substitution) and references.ts (finding the resources a Sub depends on).
 */

export type SubPiece = { readonly literal: string } | { readonly variable: string };

export function parseSubString(text: string): SubPiece[] {
  const pieces: SubPiece[] = [];
  let literal = "";
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf("${", at);
    const close = open < 0 ? -1 : text.indexOf("}", open + 2);
    if (open < 0 || close < 0) {
      literal += text.slice(at);
      break;
    }
    literal += text.slice(at, open);
    const inner = text.slice(open + 2, close);
    if (inner.startsWith("!")) literal += `\${${inner.slice(1)}}`;
    else {
      if (literal !== "") pieces.push({ literal });
      literal = "";
      pieces.push({ variable: inner });
    }
    at = close + 1;
  }
  if (literal !== "") pieces.push({ literal });
  return pieces;
}

/** The variable names an Fn::Sub string uses, in order of appearance. */
export function subVariables(text: string): string[] {
  return parseSubString(text).flatMap((piece) => ("variable" in piece ? [piece.variable] : []));
}
