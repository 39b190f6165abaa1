/**
 * Who may call Stratus: access key id → secret and account.
 *
 * By default one root key pair, `test`/`test`, in account 000000000000, so that the AWS CLI and SDKs work
 * with the usual local-emulator settings. More key pairs come from a JSON file:
 * `[{"accessKeyId": "...", "secretAccessKey": "...", "accountId": "123456789012"}]`.
 *
 * ## By design
 * - An access key id of exactly 12 digits with the secret `test` selects that account, so tests can
 *   use many accounts without a file (the LocalStack / Floci convention).
 * - A file entry may redefine `test` (e.g. to give the root key another secret).
 */
import { readFileSync } from "node:fs";

export interface Credential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly accountId: string;
}

export const DEFAULT_ACCOUNT_ID = "000000000000";
export const ROOT_CREDENTIAL: Credential = Object.freeze({
  accessKeyId: "test",
  secretAccessKey: "test",
  accountId: DEFAULT_ACCOUNT_ID,
});

const ACCOUNT_ID = /^\d{12}$/;
/** A '/' would break the credential scope `AKID/date/region/service/aws4_request` apart. */
const BAD_KEY_CHARACTERS = /[/\s]/;

export class CredentialStore {
  readonly #byAccessKeyId = new Map<string, Credential>();

  constructor(extra: readonly Credential[] = []) {
    this.#byAccessKeyId.set(ROOT_CREDENTIAL.accessKeyId, ROOT_CREDENTIAL);
    for (const credential of extra) this.#byAccessKeyId.set(credential.accessKeyId, credential);
  }

  lookup(accessKeyId: string): Credential | undefined {
    const known = this.#byAccessKeyId.get(accessKeyId);
    if (known) return known;
    if (ACCOUNT_ID.test(accessKeyId)) {
      return { accessKeyId, secretAccessKey: ROOT_CREDENTIAL.secretAccessKey, accountId: accessKeyId };
    }
    return undefined;
  }
}

/** Thrown for a credentials file that cannot be used; the message is one line naming the file. */
export class CredentialsFileError extends Error {
  override readonly name = "CredentialsFileError";
}

/** Validates the parsed JSON of a credentials file; `source` names it in error messages. */
export function parseCredentials(value: unknown, source: string): Credential[] {
  const fail = (detail: string): never => {
    throw new CredentialsFileError(`credentials file ${source}: ${detail}`);
  };
  if (!Array.isArray(value)) fail("expected a JSON array of {accessKeyId, secretAccessKey, accountId}");
  const entries = value as unknown[];
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const at = `entry ${index + 1}`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry))
      fail(`${at}: expected an object`);
    const record = entry as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (key !== "accessKeyId" && key !== "secretAccessKey" && key !== "accountId") {
        fail(`${at}: unknown field "${key}"`);
      }
    }
    const text = (field: string): string => {
      const got = record[field];
      if (typeof got !== "string" || got === "") fail(`${at}: ${field} must be a non-empty string`);
      return got as string;
    };
    const accessKeyId = text("accessKeyId");
    const secretAccessKey = text("secretAccessKey");
    const accountId = text("accountId");
    if (BAD_KEY_CHARACTERS.test(accessKeyId)) fail(`${at}: accessKeyId must not contain '/' or whitespace`);
    if (!ACCOUNT_ID.test(accountId)) fail(`${at}: accountId must be 12 digits, got "${accountId}"`);
    if (seen.has(accessKeyId)) fail(`${at}: accessKeyId "${accessKeyId}" is listed twice`);
    seen.add(accessKeyId);
    return Object.freeze({ accessKeyId, secretAccessKey, accountId });
  });
}

/** Reads a credentials file and returns a store holding the root key pair and the file's. */
export function loadCredentialsFile(path: string): CredentialStore {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new CredentialsFileError(`credentials file ${path}: cannot read it (${code})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CredentialsFileError(`credentials file ${path}: not valid JSON (${(error as Error).message})`);
  }
  return new CredentialStore(parseCredentials(parsed, path));
}
