/**
 * The intrinsic functions that build and take apart strings and lists — Fn::Join, Fn::Select, Fn::Split,
 * Fn::GetAZs, Fn::Base64, Fn::Cidr, Fn::Length, Fn::ToJsonString — with CloudFormation's messages for
 * their misuse. resolve.ts dispatches to them and hands over `resolve` for their (already-walked)
 * arguments, in which AWS::NoValue list elements are gone.
 */
import { cidrSubnets } from "./cidr.ts";
import { asText } from "./template-text.ts";
import { TemplateError } from "./types.ts";

/** Evaluates a function's argument (intrinsic functions inside it included). */
export type Resolver = (value: unknown) => unknown;

const JOIN_USAGE =
  "Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.";

export function join(argument: unknown, resolve: Resolver): unknown {
  if (!Array.isArray(argument) || argument.length !== 2) throw new TemplateError(JOIN_USAGE);
  const delimiter = resolve(argument[0]);
  const list = resolve(argument[1]);
  if (typeof delimiter !== "string" || !Array.isArray(list)) throw new TemplateError(JOIN_USAGE);
  return list
    .map((item) => {
      const text = asText(item);
      if (text === undefined) throw new TemplateError(JOIN_USAGE);
      return text;
    })
    .join(delimiter);
}

const SELECT_INDEX_USAGE =
  "Template error: Fn::Select requires a list argument with a valid index value as its first element";
const SELECT_USAGE =
  "Template error: Fn::Select requires a list argument with two elements: an integer index and a list";

export function select(argument: unknown, resolve: Resolver): unknown {
  if (!Array.isArray(argument) || argument.length < 1) throw new TemplateError(SELECT_INDEX_USAGE);
  const indexText = asText(resolve(argument[0]));
  if (indexText === undefined || !/^-?\d+$/.test(indexText.trim()))
    throw new TemplateError(SELECT_INDEX_USAGE);
  const index = Number(indexText.trim());
  if (argument.length !== 2) throw new TemplateError(SELECT_USAGE);
  const list = resolve(argument[1]);
  if (!Array.isArray(list)) throw new TemplateError(SELECT_USAGE);
  if (index < 0 || index >= list.length) {
    throw new TemplateError(`Template error: Fn::Select cannot select nonexistent value at index ${index}`);
  }
  return list[index];
}

const SPLIT_USAGE =
  "Template error: every Fn::Split object requires two parameters, (1) a string delimiter and (2) a string to be split or a function that returns a string to be split.";

export function split(argument: unknown, resolve: Resolver): unknown {
  if (!Array.isArray(argument) || argument.length !== 2) throw new TemplateError(SPLIT_USAGE);
  const delimiter = resolve(argument[0]);
  const text = asText(resolve(argument[1]));
  if (typeof delimiter !== "string" || delimiter === "" || text === undefined)
    throw new TemplateError(SPLIT_USAGE);
  return text.split(delimiter);
}

/** Availability zones Stratus reports per region: us-east-1 has six on AWS, the others three. */
export function getAZs(argument: unknown, resolve: Resolver, currentRegion: string): unknown {
  const given = resolve(argument ?? "");
  const region = given === null ? "" : asText(given);
  if (region === undefined) {
    throw new TemplateError("Template error: every Fn::GetAZs object must have a String-typed value.");
  }
  const target = region === "" ? currentRegion : region;
  const letters = target === "us-east-1" ? "abcdef" : "abc";
  return [...letters].map((letter) => `${target}${letter}`);
}

export function base64(argument: unknown, resolve: Resolver): unknown {
  const text = asText(resolve(argument));
  if (text === undefined) {
    throw new TemplateError("Template error: every Fn::Base64 object must have a String-typed value.");
  }
  return Buffer.from(text, "utf8").toString("base64");
}

export function cidr(argument: unknown, resolve: Resolver): unknown {
  const parts = Array.isArray(argument) ? argument.map((part) => asText(resolve(part))) : [];
  const [ipBlock, count, cidrBits] = parts;
  if (parts.length !== 3 || ipBlock === undefined || count === undefined || cidrBits === undefined) {
    throw new TemplateError(
      "Template error: Fn::Cidr requires three parameters: an IP address block in CIDR notation, the count of subnets to generate (1-256) and the number of subnet bits",
    );
  }
  return cidrSubnets(ipBlock, Number(count), Number(cidrBits));
}

export function length(argument: unknown, resolve: Resolver): unknown {
  const list = resolve(argument);
  if (!Array.isArray(list)) throw new TemplateError("Template error: Fn::Length requires a list argument");
  return list.length;
}

export function toJsonString(argument: unknown, resolve: Resolver): unknown {
  const value = resolve(argument);
  if (typeof value !== "object" || value === null) {
    throw new TemplateError("Template error: Fn::ToJsonString requires an object or a list argument");
  }
  return JSON.stringify(value);
}
