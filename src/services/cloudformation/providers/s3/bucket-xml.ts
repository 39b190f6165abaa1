/**
 * AWS::S3::Bucket's configuration properties as the XML documents S3's Put* operations take (element
 * names from the S3 API reference and botocore's model: `<CORSRule>`, `<CloudFunctionConfiguration>`,
 * `<FilterRule>`...). CloudFormation's shapes differ from S3's: CorsRules name `MaxAge` and
 * `ExposedHeaders`, website documents are plain strings, a lifecycle rule keeps its filter and its
 * expiration in flat members, and a notification names its function `Function`.
 */
import { el } from "../../../s3/xml.ts";
import { boolean, integer, type Props, record, records, text, texts } from "../property-values.ts";

const S3_XMLNS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

function document(root: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} ${S3_XMLNS}>${inner}</${root}>`;
}

function each(name: string, values: readonly string[] | undefined): string {
  return (values ?? []).map((value) => el(name, value)).join("");
}

export function versioningXml(configuration: Props): string {
  return document("VersioningConfiguration", el("Status", text(configuration.Status)));
}

export function tagsXml(tags: unknown): string {
  const tagSet = records(tags)
    .map((tag) => `<Tag>${el("Key", text(tag.Key) ?? "")}${el("Value", text(tag.Value) ?? "")}</Tag>`)
    .join("");
  return document("Tagging", `<TagSet>${tagSet}</TagSet>`);
}

export function corsXml(configuration: Props): string {
  const rules = records(configuration.CorsRules)
    .map(
      (rule) =>
        "<CORSRule>" +
        el("ID", text(rule.Id)) +
        each("AllowedHeader", texts(rule.AllowedHeaders)) +
        each("AllowedMethod", texts(rule.AllowedMethods)) +
        each("AllowedOrigin", texts(rule.AllowedOrigins)) +
        each("ExposeHeader", texts(rule.ExposedHeaders)) +
        el("MaxAgeSeconds", integer(rule.MaxAge)) +
        "</CORSRule>",
    )
    .join("");
  return document("CORSConfiguration", rules);
}

function routingRuleXml(rule: Props): string {
  const condition = record(rule.RoutingRuleCondition);
  const redirect = record(rule.RedirectRule) ?? {};
  const conditionXml = condition
    ? `<Condition>${el("HttpErrorCodeReturnedEquals", text(condition.HttpErrorCodeReturnedEquals))}${el("KeyPrefixEquals", text(condition.KeyPrefixEquals))}</Condition>`
    : "";
  return (
    `<RoutingRule>${conditionXml}<Redirect>` +
    el("HostName", text(redirect.HostName)) +
    el("HttpRedirectCode", text(redirect.HttpRedirectCode)) +
    el("Protocol", text(redirect.Protocol)) +
    el("ReplaceKeyPrefixWith", text(redirect.ReplaceKeyPrefixWith)) +
    el("ReplaceKeyWith", text(redirect.ReplaceKeyWith)) +
    "</Redirect></RoutingRule>"
  );
}

export function websiteXml(configuration: Props): string {
  const redirectAll = record(configuration.RedirectAllRequestsTo);
  const errorDocument = text(configuration.ErrorDocument);
  const indexDocument = text(configuration.IndexDocument);
  const rules = configuration.RoutingRules === undefined ? undefined : records(configuration.RoutingRules);
  const inner =
    (redirectAll
      ? `<RedirectAllRequestsTo>${el("HostName", text(redirectAll.HostName))}${el("Protocol", text(redirectAll.Protocol))}</RedirectAllRequestsTo>`
      : "") +
    (errorDocument !== undefined ? `<ErrorDocument>${el("Key", errorDocument)}</ErrorDocument>` : "") +
    (indexDocument !== undefined ? `<IndexDocument>${el("Suffix", indexDocument)}</IndexDocument>` : "") +
    (rules ? `<RoutingRules>${rules.map(routingRuleXml).join("")}</RoutingRules>` : "");
  return document("WebsiteConfiguration", inner);
}

/** A lifecycle rule's filter: its prefix, tag filters and size bounds, in `<And>` when more than one. */
function lifecycleFilterXml(rule: Props): string {
  const predicates: string[] = [];
  const prefix = text(rule.Prefix);
  if (prefix !== undefined) predicates.push(el("Prefix", prefix));
  for (const tag of records(rule.TagFilters)) {
    predicates.push(`<Tag>${el("Key", text(tag.Key) ?? "")}${el("Value", text(tag.Value) ?? "")}</Tag>`);
  }
  const greater = text(rule.ObjectSizeGreaterThan);
  const less = text(rule.ObjectSizeLessThan);
  if (greater !== undefined) predicates.push(el("ObjectSizeGreaterThan", greater));
  if (less !== undefined) predicates.push(el("ObjectSizeLessThan", less));
  if (predicates.length === 0) return "<Filter><Prefix></Prefix></Filter>";
  if (predicates.length === 1) return `<Filter>${predicates[0]}</Filter>`;
  return `<Filter><And>${predicates.join("")}</And></Filter>`;
}

const TRANSITION_MEMBERS = [
  "Transition",
  "Transitions",
  "NoncurrentVersionTransition",
  "NoncurrentVersionTransitions",
];

function lifecycleRuleXml(rule: Props): string {
  for (const member of TRANSITION_MEMBERS) {
    if (rule[member] !== undefined) {
      throw new Error(
        `LifecycleConfiguration rule member ${member} of AWS::S3::Bucket is not supported by Stratus: it does not emulate storage classes.`,
      );
    }
  }
  const days = integer(rule.ExpirationInDays);
  const date = text(rule.ExpirationDate);
  const marker = boolean(rule.ExpiredObjectDeleteMarker);
  const expiration =
    days !== undefined || date !== undefined || marker !== undefined
      ? `<Expiration>${el("Date", date)}${el("Days", days)}${el("ExpiredObjectDeleteMarker", marker)}</Expiration>`
      : "";
  const noncurrent = record(rule.NoncurrentVersionExpiration);
  const noncurrentDays = integer(noncurrent?.NoncurrentDays ?? rule.NoncurrentVersionExpirationInDays);
  const noncurrentXml =
    noncurrentDays !== undefined || noncurrent
      ? `<NoncurrentVersionExpiration>${el("NoncurrentDays", noncurrentDays)}${el("NewerNoncurrentVersions", integer(noncurrent?.NewerNoncurrentVersions))}</NoncurrentVersionExpiration>`
      : "";
  const abort = record(rule.AbortIncompleteMultipartUpload);
  const abortXml = abort
    ? `<AbortIncompleteMultipartUpload>${el("DaysAfterInitiation", integer(abort.DaysAfterInitiation))}</AbortIncompleteMultipartUpload>`
    : "";
  return (
    "<Rule>" +
    el("ID", text(rule.Id)) +
    lifecycleFilterXml(rule) +
    el("Status", text(rule.Status)) +
    expiration +
    noncurrentXml +
    abortXml +
    "</Rule>"
  );
}

export function lifecycleXml(configuration: Props): string {
  if (configuration.TransitionDefaultMinimumObjectSize !== undefined) {
    throw new Error(
      "LifecycleConfiguration.TransitionDefaultMinimumObjectSize of AWS::S3::Bucket is not supported by Stratus: it does not emulate storage classes.",
    );
  }
  return document("LifecycleConfiguration", records(configuration.Rules).map(lifecycleRuleXml).join(""));
}

function filterRulesXml(filter: Props | undefined): string {
  const rules = records(record(filter?.S3Key)?.Rules);
  if (!filter) return "";
  const inner = rules
    .map((rule) => `<FilterRule>${el("Name", text(rule.Name))}${el("Value", text(rule.Value))}</FilterRule>`)
    .join("");
  return `<Filter><S3Key>${inner}</S3Key></Filter>`;
}

/** Destinations other than Lambda need services Stratus does not have yet. */
const UNSUPPORTED_DESTINATIONS: Readonly<Record<string, string>> = {
  QueueConfigurations: "SQS",
  TopicConfigurations: "SNS",
  EventBridgeConfiguration: "EventBridge",
};

export function notificationXml(configuration: Props): string {
  for (const [member, service] of Object.entries(UNSUPPORTED_DESTINATIONS)) {
    if (configuration[member] !== undefined) {
      throw new Error(
        `NotificationConfiguration.${member} of AWS::S3::Bucket is not supported by Stratus: it does not emulate ${service}; only LambdaConfigurations are delivered.`,
      );
    }
  }
  const functions = records(configuration.LambdaConfigurations)
    .map(
      (lambda) =>
        "<CloudFunctionConfiguration>" +
        el("CloudFunction", text(lambda.Function)) +
        el("Event", text(lambda.Event)) +
        filterRulesXml(record(lambda.Filter)) +
        "</CloudFunctionConfiguration>",
    )
    .join("");
  return document("NotificationConfiguration", functions);
}

export function publicAccessBlockXml(configuration: Props): string {
  const members = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"];
  // An absent member is false, as S3 takes it (PutPublicAccessBlock API reference).
  const inner = members.map((member) => el(member, boolean(configuration[member]) ?? false)).join("");
  return document("PublicAccessBlockConfiguration", inner);
}

export function ownershipXml(ownership: string): string {
  return document("OwnershipControls", `<Rule>${el("ObjectOwnership", ownership)}</Rule>`);
}

/** The ObjectOwnership of an OwnershipControls property (its only rule). */
export function objectOwnership(configuration: unknown): string | undefined {
  return text(records(record(configuration)?.Rules)[0]?.ObjectOwnership);
}

export function createBucketXml(region: string): string | undefined {
  // us-east-1 takes no LocationConstraint (CreateBucket API reference).
  if (region === "us-east-1") return undefined;
  return document("CreateBucketConfiguration", el("LocationConstraint", region));
}

/** CloudFormation's AccessControl values and the canned ACLs (x-amz-acl) they stand for. */
const CANNED_ACLS: Readonly<Record<string, string>> = {
  AuthenticatedRead: "authenticated-read",
  AwsExecRead: "aws-exec-read",
  BucketOwnerFullControl: "bucket-owner-full-control",
  BucketOwnerRead: "bucket-owner-read",
  LogDeliveryWrite: "log-delivery-write",
  Private: "private",
  PublicRead: "public-read",
  PublicReadWrite: "public-read-write",
};

export function cannedAcl(accessControl: unknown): string | undefined {
  const value = text(accessControl);
  if (value === undefined) return undefined;
  const canned = CANNED_ACLS[value];
  if (!canned) {
    throw new Error(
      `Property AccessControl of AWS::S3::Bucket must be one of ${Object.keys(CANNED_ACLS).join(", ")}; got ${value}.`,
    );
  }
  return canned;
}
