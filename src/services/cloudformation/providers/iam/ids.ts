/**
 * IAM's unique ids as IAM makes them: a four-letter prefix naming the kind of entity (AROA for a role,
 * ANPA for a managed policy) and 17 upper-case letters and digits. Made once, when the resource is
 * created, and kept in its record so the id never changes for that resource.
 */
import { randomInt } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const ID_LENGTH = 17;

export type IamIdPrefix = "AROA" | "ANPA";

export function iamUniqueId(prefix: IamIdPrefix): string {
  let id = prefix;
  for (let i = 0; i < ID_LENGTH; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}
