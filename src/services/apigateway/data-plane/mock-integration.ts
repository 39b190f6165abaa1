/**
 * MOCK integrations: the request template must give `{"statusCode": N}` (an empty one gives 200); N
 * selects the integration response (integration-response.ts).
 *
 * Most MOCKs are constants: request templates without `$` or `#`, and integration responses whose
 * template and headers read nothing of the request. For those, what the request template and the
 * integration response make is worked out once per deployed integration record and kept with it
 * (a WeakMap on the record, which is the deployment's own: storage/decoded-reads.ts hands out the
 * same object while the stored deployment is unchanged, so a new deployment brings new records and
 * new plans). Per request that leaves a Content-Type lookup: choosing, rendering and mapping were
 * ~3.5 µs of a MOCK request's CPU (profile of 25 November 2026: Buffer.from, toString, the
 * response-parameter scan and Content-Type check, a new header record).
 */
import type { IntegrationRecord } from "../snapshot.ts";
import { GatewayError } from "./gateway-responses.ts";
import {
  type MethodAnswer,
  mapIntegrationResponse,
  selectIntegrationResponse,
} from "./integration-response.ts";
import { headerValue, type Invocation } from "./invocation.ts";
import { convert, integrationRequestBody } from "./request-mapping.ts";
import { isConstantTemplate } from "./vtl.ts";

/** 500 {"message": "Internal server error"} (DEFAULT_5XX with its own status), as integrations.ts's. */
function serverError(): GatewayError {
  return new GatewayError("DEFAULT_5XX", "Internal server error", "InternalServerErrorException", 500);
}

interface MockPlan {
  /**
   * The status each request template gives, by its Content-Type lower-cased (the first such key, as
   * request-mapping.ts chooses); undefined when a template is not constant (then every request takes
   * the general path).
   */
  statuses: Map<string, number | undefined> | undefined;
  /**
   * The method answer per status, when it reads nothing of the request; null when it does. A
   * passed-through body may ask for any status, so at most ANSWERS_MAX statuses are remembered.
   */
  answers: Map<number, MethodAnswer | null>;
}

const ANSWERS_MAX = 64;

const plans = new WeakMap<IntegrationRecord, MockPlan>();

function planOf(integration: IntegrationRecord): MockPlan {
  let plan = plans.get(integration);
  if (plan === undefined) {
    plan = { statuses: requestStatuses(integration), answers: new Map() };
    plans.set(integration, plan);
  }
  return plan;
}

function requestStatuses(integration: IntegrationRecord): Map<string, number | undefined> | undefined {
  const statuses = new Map<string, number | undefined>();
  for (const [key, template] of Object.entries(integration.requestTemplates ?? {})) {
    if (!isConstantTemplate(template)) return undefined;
    const type = key.toLowerCase();
    if (statuses.has(type)) continue;
    // As request-mapping.ts makes the body of a constant template: the text, converted as text.
    const body =
      template === ""
        ? ""
        : convert(Buffer.from(template), integration.contentHandling, false).toString("utf8");
    statuses.set(type, mockStatus(body));
  }
  return statuses;
}

/**
 * Whether an integration response reads nothing of the request for a MOCK (whose answer has no
 * headers and an empty body): headers from literals or the integration response only, and no
 * template or one constant one (with more, the Accept header chooses).
 */
function isConstantResponse(integration: IntegrationRecord, status: number): boolean {
  const chosen = selectIntegrationResponse(integration, { status, headers: {}, body: EMPTY });
  if (chosen === undefined) return false;
  for (const source of Object.values(chosen.responseParameters ?? {})) {
    if (!LITERAL.test(source) && !source.startsWith("integration.response.")) return false;
  }
  const templates = Object.values(chosen.responseTemplates ?? {});
  return templates.length === 0 || (templates.length === 1 && isConstantTemplate(templates[0] ?? ""));
}

const LITERAL = /^'(.*)'$/s;
const EMPTY = Buffer.alloc(0);

/**
 * The MOCK's method answer; it comes synchronously (nothing to wait for). A planned answer is shared
 * between requests: callers copy its headers (invoke.ts `answered`) and never write to it.
 */
export function mock(invocation: Invocation, integration: IntegrationRecord): MethodAnswer {
  const plan = planOf(integration);
  let status: number | undefined;
  const contentType = plan.statuses === undefined ? undefined : requestContentType(invocation);
  if (contentType !== undefined && plan.statuses?.has(contentType) === true) {
    status = plan.statuses.get(contentType);
  } else {
    // Passthrough (no template for this Content-Type) or a template to render.
    status = mockStatus(integrationRequestBody(invocation, integration).toString("utf8"));
  }
  if (status === undefined) throw serverError();
  const planned = plan.answers.get(status);
  if (planned !== undefined && planned !== null) return planned;
  const answer = mapIntegrationResponse(invocation, integration, { status, headers: {}, body: EMPTY });
  if (planned === undefined && plan.answers.size < ANSWERS_MAX) {
    plan.answers.set(status, isConstantResponse(integration, status) ? answer : null);
  }
  return answer;
}

/** The request's Content-Type as request-mapping.ts chooses a template by it. */
function requestContentType(invocation: Invocation): string {
  const header = headerValue(invocation, "content-type");
  if (header === undefined) return "application/json";
  return (header.split(";")[0] ?? "").trim().toLowerCase();
}

/**
 * The status a MOCK's integration request asks for, by its text: most are one constant template
 * (`{"statusCode": 200}`) sent on every request. Short texts only, so the memo stays small.
 */
const mockStatuses = new Map<string, number | undefined>();
const MOCK_STATUSES_MAX = 1000;
const MOCK_STATUS_TEXT_MAX = 256;

function mockStatus(body: string): number | undefined {
  if (body.length > MOCK_STATUS_TEXT_MAX) return parseMockStatus(body);
  if (mockStatuses.has(body)) return mockStatuses.get(body);
  const status = parseMockStatus(body);
  if (mockStatuses.size >= MOCK_STATUSES_MAX) mockStatuses.clear();
  mockStatuses.set(body, status);
  return status;
}

/** 200 for an empty request; the integer `statusCode` of a JSON object; undefined otherwise (500). */
function parseMockStatus(body: string): number | undefined {
  if (body.trim() === "") return 200;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const code = (parsed as Record<string, unknown> | null)?.statusCode;
  if (code === undefined || !Number.isInteger(Number(code))) return undefined;
  return Number(code);
}
