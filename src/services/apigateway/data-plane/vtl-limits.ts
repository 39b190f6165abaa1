/**
 * Bounds on what one mapping template may cost. A template is user input run inside the one Stratus
 * process: `#foreach($i in [1..100000000])`, nested loops or a string doubled by `#set` would block
 * every other request. API Gateway's VTL engine stops such templates too; Stratus caps them here.
 *
 * - a `#foreach` may run at most MAX_FOREACH_ITERATIONS times (1,000: the loop limit Velocity
 *   services on AWS document; a literal range longer than that is refused before it is built);
 * - one render may run at most MAX_TOTAL_ITERATIONS loop bodies (Stratus's own bound, for nested
 *   loops each under the limit);
 * - no value or output may exceed MAX_TEXT_LENGTH characters (10 MB, API Gateway's payload limit,
 *   so nothing a real API could send is refused).
 *
 * Exceeding a bound throws TemplateLimitError; the data plane answers it as any failing template
 * (500 Internal server error).
 */
import velocity from "velocityjs";

export const MAX_FOREACH_ITERATIONS = 1000;
export const MAX_TOTAL_ITERATIONS = 100_000;
export const MAX_TEXT_LENGTH = 10 * 1024 * 1024;

export class TemplateLimitError extends Error {
  override name = "TemplateLimitError";
}

type Ast = Parameters<InstanceType<typeof velocity.Compile>["renderAstList"]>[0] extends
  | (infer A)[]
  | undefined
  ? A
  : never;

interface RangeAst {
  type: "array";
  isRange: true;
  value: unknown[];
}

function isRange(ast: unknown): ast is RangeAst {
  const node = ast as Partial<RangeAst> | null;
  return node?.type === "array" && node.isRange === true && Array.isArray(node.value);
}

/** velocityjs's compiler with the bounds above; one instance renders one template once. */
export class LimitedCompile extends velocity.Compile {
  /** The last iteration seen per running loop (velocityjs gives each loop run a `foreach:` id). */
  private readonly loops = new Map<string, number>();
  private iterations = 0;

  override renderAstList(asts?: Ast[], contextId?: string): string {
    // Blocks inside a loop body (#if...) render with the loop's context id too, so iterations are
    // read from the loop's own counter ($foreach.count), which velocityjs sets before each body.
    if (contextId?.startsWith("foreach:")) {
      const count =
        (this.local[contextId] as { foreach?: { count?: number } } | undefined)?.foreach?.count ?? 0;
      if (count !== this.loops.get(contextId)) {
        this.loops.set(contextId, count);
        if (count > MAX_FOREACH_ITERATIONS) {
          throw new TemplateLimitError(`#foreach ran more than ${MAX_FOREACH_ITERATIONS} times`);
        }
        if (++this.iterations > MAX_TOTAL_ITERATIONS) {
          throw new TemplateLimitError(`loops ran more than ${MAX_TOTAL_ITERATIONS} times in one template`);
        }
      }
    }
    return bounded(super.renderAstList(asts, contextId));
  }

  protected override getLiteral(ast: Ast): string {
    // A range is expanded into an array before any loop runs: check its length first.
    if (isRange(ast)) {
      const [from, to] = ast.value.map((bound) => this.rangeBound(bound));
      if (from !== undefined && to !== undefined && Math.abs(to - from) + 1 > MAX_FOREACH_ITERATIONS) {
        throw new TemplateLimitError(`range [${from}..${to}] is longer than ${MAX_FOREACH_ITERATIONS}`);
      }
    }
    return bounded(super.getLiteral(ast));
  }

  protected override getReferences(ast: Ast, isVal?: boolean): string {
    return bounded(super.getReferences(ast, isVal));
  }

  protected override getExpression(ast: Ast): string {
    return bounded(super.getExpression(ast));
  }

  private rangeBound(bound: unknown): number | undefined {
    if (typeof bound === "number") return bound;
    if (typeof bound === "string") return Number.parseInt(bound, 10);
    const value = Number(this.getReferences(bound as Ast));
    return Number.isFinite(value) ? value : undefined;
  }
}

function bounded<T>(value: T): T {
  if (typeof value === "string" && value.length > MAX_TEXT_LENGTH) {
    throw new TemplateLimitError(`a template value is longer than ${MAX_TEXT_LENGTH} characters`);
  }
  return value;
}
