/**
 * The tables `stratus deploy` prints, laid out like `sam deploy`'s: a title, a rule, column names, a
 * rule, rows (a cell longer than its column wraps onto more lines), a closing rule. Rows of the events
 * table are printed one by one as events arrive, so the layout is fixed up front from the terminal
 * width (120 columns when the output is not a terminal).
 */

export interface Column {
  readonly name: string;
  /** Width the column gets before any other grows (its name, or its usual values, fit). */
  readonly min: number;
  /** Width it never grows past. */
  readonly max?: number;
  /** Share of the room left once every column has its minimum. */
  readonly weight: number;
}

export interface TableLayout {
  readonly width: number;
  readonly widths: readonly number[];
  /** Title, rule, column names, rule. */
  header(title: string): string;
  /** One row; each cell wrapped within its column. */
  row(cells: readonly string[]): string;
  rule(): string;
}

const GAP = " ";
const MIN_COLUMN = 8;

/**
 * Beyond the minimums (the type column's holds AWS::CloudFormation::Stack), the status column takes
 * the most room, up to 36: UPDATE_COMPLETE_CLEANUP_IN_PROGRESS on one line from 120 columns.
 */
export const EVENT_COLUMNS: readonly Column[] = [
  { name: "ResourceStatus", min: 20, max: 36, weight: 6 },
  { name: "ResourceType", min: 26, max: 40, weight: 1 },
  { name: "LogicalResourceId", min: 17, weight: 3 },
  { name: "ResourceStatusReason", min: 20, weight: 2 },
];

export const CHANGESET_COLUMNS: readonly Column[] = [
  { name: "Operation", min: 10, max: 24, weight: 1 },
  { name: "LogicalResourceId", min: 20, weight: 2 },
  { name: "ResourceType", min: 20, weight: 2 },
];

/** Width to lay tables out in: the terminal's, kept within 80..160; 120 when not a terminal. */
export function terminalWidth(columns: number | undefined): number {
  if (columns === undefined || columns <= 0) return 120;
  return Math.max(80, Math.min(160, columns));
}

export function tableLayout(columns: readonly Column[], width: number): TableLayout {
  const widths = columnWidths(columns, width - GAP.length * (columns.length - 1));
  const rule = () => "-".repeat(width);
  const row = (cells: readonly string[]) => renderRow(cells, widths);
  return {
    width,
    widths,
    rule,
    row,
    header: (title) => [title, rule(), row(columns.map((c) => c.name)), rule()].join("\n"),
  };
}

/**
 * Each column's minimum, then the room left shared by weight among the columns below their maximum
 * (a column that reaches its maximum hands the rest on). Narrower than the minimums: in proportion
 * to them.
 */
export function columnWidths(columns: readonly Column[], usable: number): number[] {
  const minimum = columns.reduce((sum, column) => sum + column.min, 0);
  if (usable < minimum) {
    return columns.map((column) => Math.max(MIN_COLUMN, Math.floor((usable * column.min) / minimum)));
  }
  const widths = columns.map((column) => column.min);
  const roomFor = (i: number) => (columns[i]?.max ?? Number.POSITIVE_INFINITY) - (widths[i] ?? 0);
  let room = usable - minimum;
  while (room > 0) {
    const growing = columns.map((_, i) => i).filter((i) => roomFor(i) > 0);
    if (growing.length === 0) break;
    const weight = growing.reduce((sum, i) => sum + (columns[i]?.weight ?? 0), 0);
    let given = 0;
    for (const i of growing) {
      const share = Math.min(Math.floor((room * (columns[i]?.weight ?? 0)) / weight), roomFor(i));
      widths[i] = (widths[i] ?? 0) + share;
      given += share;
    }
    // What rounding left over goes one column at a time, to the first that can grow.
    if (given === 0) {
      const first = growing[0] ?? 0;
      widths[first] = (widths[first] ?? 0) + 1;
      given = 1;
    }
    room -= given;
  }
  return widths;
}

/** Cells side by side; a cell that does not fit its column continues on the next lines. */
export function renderRow(cells: readonly string[], widths: readonly number[]): string {
  const wrapped = widths.map((width, i) => wrapText(cells[i] ?? "", width));
  const height = Math.max(...wrapped.map((lines) => lines.length));
  const lines: string[] = [];
  for (let line = 0; line < height; line++) {
    const parts = wrapped.map((cellLines, i) => (cellLines[line] ?? "").padEnd(widths[i] as number));
    lines.push(parts.join(GAP).trimEnd());
  }
  return lines.join("\n");
}

/** Lines of at most `width` characters, broken at spaces when possible, else within a word. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let current = "";
    for (const word of paragraph.split(/\s+/).filter((w) => w !== "")) {
      let rest = word;
      if (current !== "" && current.length + 1 + rest.length <= width) {
        current += ` ${rest}`;
        continue;
      }
      if (current !== "") lines.push(current);
      current = "";
      while (rest.length > width) {
        lines.push(rest.slice(0, width));
        rest = rest.slice(width);
      }
      current = rest;
    }
    lines.push(current);
  }
  return lines;
}

/** `sam deploy`'s outputs block: Key, Description and Value of each output, a blank line between. */
export function renderOutputs(
  outputs: readonly { OutputKey?: string; OutputValue?: string; Description?: string }[],
  width: number,
): string {
  const labelWidth = 20;
  const valueWidth = width - labelWidth;
  const blocks = outputs.map((output) =>
    [
      ["Key", output.OutputKey ?? "-"],
      ["Description", output.Description ?? "-"],
      ["Value", output.OutputValue ?? "-"],
    ]
      .map(([label, value]) => renderRow([label as string, value as string], [labelWidth - 1, valueWidth]))
      .join("\n"),
  );
  const rule = "-".repeat(width);
  return [
    "CloudFormation outputs from deployed stack",
    rule,
    "Outputs",
    rule,
    blocks.join("\n\n"),
    rule,
  ].join("\n");
}
