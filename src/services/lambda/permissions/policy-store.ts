/**
 * Resource-based policies in the KV store, one per function and qualifier (AWS keeps $LATEST's, each
 * version's and each alias's apart; a statement id is unique within one of them only):
 *
 *   ("lambda", account, region, "policy", name, qualifier) → PolicyRecord (qualifier "$LATEST" for
 *                                                            the unqualified function)
 *
 * A policy with no statement left is deleted, so "no record" and "no policy" are the same thing.
 */
import type { KvReader, KvTransaction } from "../../../storage/kv.ts";
import { tuple, tupleRange } from "../../../storage/tuple.ts";
import { FORMAT_VERSION } from "../store.ts";

/** One statement, with its members in the order AWS writes them. */
export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Principal: string | { Service: string } | { AWS: string };
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyRecord {
  v: typeof FORMAT_VERSION;
  name: string;
  qualifier: string;
  statements: PolicyStatement[];
}

/** Where a policy lives: the function's account, region and name, and "$LATEST", a version or an alias. */
export interface PolicyTarget {
  accountId: string;
  region: string;
  name: string;
  qualifier: string;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function policyKey(target: PolicyTarget): Uint8Array {
  return tuple("lambda", target.accountId, target.region, "policy", target.name, target.qualifier);
}

export async function getPolicy(reader: KvReader, target: PolicyTarget): Promise<PolicyRecord | undefined> {
  const value = await reader.get(policyKey(target));
  return value === undefined ? undefined : (JSON.parse(decoder.decode(value)) as PolicyRecord);
}

/** Stores the policy, or deletes it when it has no statement left. */
export function putPolicy(tx: KvTransaction, target: PolicyTarget, statements: PolicyStatement[]): void {
  if (statements.length === 0) {
    tx.delete(policyKey(target));
    return;
  }
  const record: PolicyRecord = {
    v: FORMAT_VERSION,
    name: target.name,
    qualifier: target.qualifier,
    statements,
  };
  tx.put(policyKey(target), encoder.encode(JSON.stringify(record)));
}

export function deletePolicy(tx: KvTransaction, target: PolicyTarget): void {
  tx.delete(policyKey(target));
}

/** Deletes the policies of the function itself, of all its versions and of all its aliases. */
export async function deleteAllPolicies(
  tx: KvTransaction,
  accountId: string,
  region: string,
  name: string,
): Promise<void> {
  const keys: Uint8Array[] = [];
  for await (const entry of tx.range(tupleRange("lambda", accountId, region, "policy", name))) {
    keys.push(entry.key);
  }
  for (const key of keys) tx.delete(key);
}

/** The policy document as GetPolicy answers it (compact JSON, AWS's member order). */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Id: "default", Statement: statements });
}
