/**
 * Canned ACLs and the grants they stand for, as S3 expands them (S3 user guide, "Canned ACL"), and the
 * AccessControlPolicy document GetBucketAcl/GetObjectAcl answer. An absent ACL is `private`: the
 * owner's FULL_CONTROL alone, so records only carry grants when someone else is granted something.
 *
 * ## Gaps
 * - Grants by e-mail address and the `x-amz-grant-*` headers are not taken; grants of an
 *   AccessControlPolicy body are kept as given (CanonicalUser ids and group URIs).
 * - `bucket-owner-read`, `bucket-owner-full-control`, `log-delivery-write` are accepted and stored as
 *   `private` for the owner (the bucket owner is the object owner in Stratus's single-writer use).
 */
import { escapeXml } from "../../../aws/protocols/xml.ts";
import { canonicalUserId } from "../context.ts";
import { child, type XmlElement, xmlDocument } from "../xml.ts";
import { invalidCannedAcl, malformedAclError } from "./errors.ts";

export type Permission = "FULL_CONTROL" | "READ" | "WRITE" | "READ_ACP" | "WRITE_ACP";

/** One grant beyond the owner's FULL_CONTROL: to a group (by URI) or a canonical user (by id). */
export interface Grant {
  group?: string;
  user?: string;
  permission: Permission;
}

export const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
export const AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
const PERMISSIONS = new Set<string>(["FULL_CONTROL", "READ", "WRITE", "READ_ACP", "WRITE_ACP"]);

const CANNED: Record<string, Grant[]> = {
  private: [],
  "public-read": [{ group: ALL_USERS, permission: "READ" }],
  "public-read-write": [
    { group: ALL_USERS, permission: "READ" },
    { group: ALL_USERS, permission: "WRITE" },
  ],
  "authenticated-read": [{ group: AUTHENTICATED_USERS, permission: "READ" }],
  "aws-exec-read": [],
  "bucket-owner-read": [],
  "bucket-owner-full-control": [],
  "log-delivery-write": [],
};

/** The grants of a canned ACL name (InvalidArgument for another value). */
export function cannedGrants(name: string): Grant[] {
  const grants = CANNED[name];
  if (!grants) throw invalidCannedAcl(name);
  return grants;
}

/** True when a canned ACL only involves the owner: what buckets without ACLs (BucketOwnerEnforced) still take. */
export function isOwnerOnly(name: string): boolean {
  return name === "private" || name === "bucket-owner-full-control";
}

/** Whether grants give everyone (AllUsers) or any AWS account (AuthenticatedUsers) something: a public ACL. */
export function isPublicAcl(grants: readonly Grant[] | undefined): boolean {
  return (grants ?? []).some((g) => g.group === ALL_USERS || g.group === AUTHENTICATED_USERS);
}

/** Whether the grants let everyone read (what anonymous GET/HEAD needs). */
export function allowsPublicRead(grants: readonly Grant[] | undefined): boolean {
  return (grants ?? []).some(
    (g) => g.group === ALL_USERS && (g.permission === "READ" || g.permission === "FULL_CONTROL"),
  );
}

/** `<AccessControlPolicy>` as S3 answers it: Owner, then the owner's FULL_CONTROL, then the other grants. */
export function aclDocument(owner: string, grants: readonly Grant[] | undefined): string {
  const ownerId = canonicalUserId(owner);
  const all: Grant[] = [{ user: ownerId, permission: "FULL_CONTROL" }, ...(grants ?? [])];
  const grantXml = all
    .map((g) => {
      const grantee = g.group
        ? `<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>${escapeXml(g.group)}</URI></Grantee>`
        : `<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>${escapeXml(g.user ?? "")}</ID></Grantee>`;
      return `<Grant>${grantee}<Permission>${g.permission}</Permission></Grant>`;
    })
    .join("");
  return xmlDocument(
    "AccessControlPolicy",
    `<Owner><ID>${ownerId}</ID></Owner><AccessControlList>${grantXml}</AccessControlList>`,
  );
}

/**
 * The grants of an AccessControlPolicy request body, less the owner's own FULL_CONTROL (implied).
 * A document without AccessControlList, or a grant without a grantee or a known permission, is
 * MalformedACLError.
 */
export function grantsOfDocument(root: XmlElement, owner: string): Grant[] {
  const list = child(root, "AccessControlList");
  if (root.name !== "AccessControlPolicy" || !list) throw malformedAclError();
  const ownerId = canonicalUserId(owner);
  const grants: Grant[] = [];
  for (const grant of list.children.filter((c) => c.name === "Grant")) {
    const grantee = child(grant, "Grantee");
    const permission = child(grant, "Permission")?.text.trim() ?? "";
    if (!grantee || !PERMISSIONS.has(permission)) throw malformedAclError();
    const uri = child(grantee, "URI")?.text.trim();
    const id = child(grantee, "ID")?.text.trim();
    if (uri) grants.push({ group: uri, permission: permission as Permission });
    else if (id) {
      if (id !== ownerId || permission !== "FULL_CONTROL")
        grants.push({ user: id, permission: permission as Permission });
    } else throw malformedAclError();
  }
  return grants;
}
