/**
 * The parameter types CloudFormation accepts, and what each means to Stratus: a single string, or a
 * list of strings (the `List<...>` types and CommaDelimitedList). The AWS-specific types
 * (`AWS::EC2::VPC::Id`, ...) are checked by AWS against real EC2 resources; Stratus has no EC2, so it
 * reads them as plain strings. `AWS::SSM::Parameter::Value<...>` needs Parameter Store, which Stratus
 * does not have yet: resolveParameters refuses it rather than pretend.
 */

/** AWS-specific types that also exist as `List<...>`. */
const AWS_SPECIFIC_TYPES: ReadonlySet<string> = new Set([
  "AWS::EC2::AvailabilityZone::Name",
  "AWS::EC2::Image::Id",
  "AWS::EC2::Instance::Id",
  "AWS::EC2::KeyPair::KeyName",
  "AWS::EC2::SecurityGroup::GroupName",
  "AWS::EC2::SecurityGroup::Id",
  "AWS::EC2::Subnet::Id",
  "AWS::EC2::Volume::Id",
  "AWS::EC2::VPC::Id",
  "AWS::Route53::HostedZone::Id",
]);

export type ParameterShape = "string" | "number" | "list" | "number-list" | "ssm-value";

/** How values of `type` are read, or undefined for a type CloudFormation does not know. */
export function parameterShape(type: string): ParameterShape | undefined {
  if (type === "String" || type === "AWS::SSM::Parameter::Name" || AWS_SPECIFIC_TYPES.has(type))
    return "string";
  if (type === "Number") return "number";
  if (type === "CommaDelimitedList") return "list";
  if (type === "List<Number>") return "number-list";
  if (/^AWS::SSM::Parameter::Value<.+>$/.test(type)) return "ssm-value";
  const listOf = /^List<(.+)>$/.exec(type)?.[1];
  if (listOf !== undefined && AWS_SPECIFIC_TYPES.has(listOf)) return "list";
  return undefined;
}

/** A decimal number as CloudFormation's Number parameters accept it. */
export function isNumberText(text: string): boolean {
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text.trim());
}
