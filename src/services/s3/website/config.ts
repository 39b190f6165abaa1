/**
 * A bucket's website configuration (PutBucketWebsite's document), parsed, checked and written back
 * in the model's member order, and kept beside the bucket record (store.ts bucketConfigKey "website").
 */
import type { KvReader, KvTransaction } from "../../../storage/kv.ts";
import { websiteInvalidArgument } from "../access/errors.ts";
import type { S3Parts } from "../context.ts";
import { malformedXml } from "../errors.ts";
import { child, el, type XmlElement, xmlDocument } from "../xml.ts";

export interface Redirect {
  hostName?: string;
  protocol?: string;
  httpRedirectCode?: string;
  replaceKeyPrefixWith?: string;
  replaceKeyWith?: string;
}

export interface RoutingRule {
  condition?: { keyPrefixEquals?: string; httpErrorCodeReturnedEquals?: string };
  redirect: Redirect;
}

export interface WebsiteConfig {
  indexSuffix?: string;
  errorKey?: string;
  redirectAll?: { hostName: string; protocol?: string };
  routingRules?: RoutingRule[];
}

function text(element: XmlElement | undefined, name: string): string | undefined {
  const found = element && child(element, name);
  return found?.text;
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function parseWebsiteConfiguration(root: XmlElement): WebsiteConfig {
  if (root.name !== "WebsiteConfiguration") throw malformedXml();
  const redirectAll = child(root, "RedirectAllRequestsTo");
  const index = child(root, "IndexDocument");
  const config: WebsiteConfig = {};
  if (redirectAll) {
    const hostName = text(redirectAll, "HostName");
    if (!hostName) throw malformedXml();
    config.redirectAll = defined({ hostName, protocol: text(redirectAll, "Protocol") });
    return config;
  }
  // moto's table of S3's PutBucketWebsite refusals.
  if (!index)
    throw websiteInvalidArgument(
      "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty",
    );
  const suffix = text(index, "Suffix") ?? "";
  if (suffix === "" || suffix.includes("/"))
    throw websiteInvalidArgument("The IndexDocument Suffix is not well formed");
  config.indexSuffix = suffix;
  const errorKey = text(child(root, "ErrorDocument"), "Key");
  if (errorKey !== undefined) config.errorKey = errorKey;
  const rules = child(root, "RoutingRules");
  if (rules) {
    config.routingRules = rules.children
      .filter((c) => c.name === "RoutingRule")
      .map((rule) => {
        const condition = child(rule, "Condition");
        const redirect = child(rule, "Redirect");
        if (!redirect) throw malformedXml();
        return defined({
          condition: condition
            ? defined({
                keyPrefixEquals: text(condition, "KeyPrefixEquals"),
                httpErrorCodeReturnedEquals: text(condition, "HttpErrorCodeReturnedEquals"),
              })
            : undefined,
          redirect: defined({
            hostName: text(redirect, "HostName"),
            protocol: text(redirect, "Protocol"),
            httpRedirectCode: text(redirect, "HttpRedirectCode"),
            replaceKeyPrefixWith: text(redirect, "ReplaceKeyPrefixWith"),
            replaceKeyWith: text(redirect, "ReplaceKeyWith"),
          }),
        });
      });
  }
  return config;
}

/** GetBucketWebsite's document: RedirectAllRequestsTo, IndexDocument, ErrorDocument, RoutingRules. */
export function websiteConfigurationXml(config: WebsiteConfig): string {
  const parts: string[] = [];
  if (config.redirectAll) {
    parts.push(
      `<RedirectAllRequestsTo>${el("HostName", config.redirectAll.hostName)}${el("Protocol", config.redirectAll.protocol)}</RedirectAllRequestsTo>`,
    );
  }
  if (config.indexSuffix !== undefined)
    parts.push(`<IndexDocument>${el("Suffix", config.indexSuffix)}</IndexDocument>`);
  if (config.errorKey !== undefined)
    parts.push(`<ErrorDocument>${el("Key", config.errorKey)}</ErrorDocument>`);
  if (config.routingRules) {
    const rules = config.routingRules.map((rule) => {
      const c = rule.condition;
      const condition = c
        ? `<Condition>${el("HttpErrorCodeReturnedEquals", c.httpErrorCodeReturnedEquals)}${el("KeyPrefixEquals", c.keyPrefixEquals)}</Condition>`
        : "";
      const r = rule.redirect;
      const redirect = `<Redirect>${el("HostName", r.hostName)}${el("HttpRedirectCode", r.httpRedirectCode)}${el("Protocol", r.protocol)}${el("ReplaceKeyPrefixWith", r.replaceKeyPrefixWith)}${el("ReplaceKeyWith", r.replaceKeyWith)}</Redirect>`;
      return `<RoutingRule>${condition}${redirect}</RoutingRule>`;
    });
    parts.push(`<RoutingRules>${rules.join("")}</RoutingRules>`);
  }
  return xmlDocument("WebsiteConfiguration", parts.join(""));
}

export async function bucketWebsite(
  s3: S3Parts,
  r: KvReader,
  bucket: string,
): Promise<WebsiteConfig | undefined> {
  return (await s3.store.getConfig<{ config: WebsiteConfig }>(r, "website", bucket))?.config;
}

export function putBucketWebsiteConfig(
  s3: S3Parts,
  tx: KvTransaction,
  bucket: string,
  config: WebsiteConfig | undefined,
): void {
  if (config === undefined) s3.store.deleteConfig(tx, "website", bucket);
  else s3.store.putConfig(tx, "website", bucket, { v: 1, config });
}
