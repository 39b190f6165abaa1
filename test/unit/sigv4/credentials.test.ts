import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  CredentialStore,
  CredentialsFileError,
  loadCredentialsFile,
  parseCredentials,
} from "../../../src/aws/credentials.ts";

test("the root key pair test/test is account 000000000000", () => {
  assert.deepEqual(new CredentialStore().lookup("test"), {
    accessKeyId: "test",
    secretAccessKey: "test",
    accountId: "000000000000",
  });
});

test("a 12-digit access key id with secret test selects that account", () => {
  assert.deepEqual(new CredentialStore().lookup("123456789012"), {
    accessKeyId: "123456789012",
    secretAccessKey: "test",
    accountId: "123456789012",
  });
  assert.equal(new CredentialStore().lookup("12345678901"), undefined);
  assert.equal(new CredentialStore().lookup("AKIAUNKNOWN"), undefined);
});

test("a credentials file adds key pairs and may redefine the root secret", () => {
  const dir = mkdtempSync(join(tmpdir(), "stratus-creds-"));
  const path = join(dir, "credentials.json");
  writeFileSync(
    path,
    JSON.stringify([
      { accessKeyId: "AKIAEXAMPLE1", secretAccessKey: "s3cret", accountId: "111122223333" },
      { accessKeyId: "test", secretAccessKey: "other", accountId: "000000000000" },
    ]),
  );
  const store = loadCredentialsFile(path);
  assert.equal(store.lookup("AKIAEXAMPLE1")?.accountId, "111122223333");
  assert.equal(store.lookup("test")?.secretAccessKey, "other");
});

test("a bad credentials file fails with one line naming the file and the entry", () => {
  const cases: Array<[unknown, string]> = [
    [{}, "credentials file f.json: expected a JSON array of {accessKeyId, secretAccessKey, accountId}"],
    [[1], "credentials file f.json: entry 1: expected an object"],
    [
      [{ accessKeyId: "a", secretAccessKey: "b" }],
      "credentials file f.json: entry 1: accountId must be a non-empty string",
    ],
    [
      [{ accessKeyId: "a", secretAccessKey: "b", accountId: "12" }],
      'credentials file f.json: entry 1: accountId must be 12 digits, got "12"',
    ],
    [
      [{ accessKeyId: "a/b", secretAccessKey: "b", accountId: "123456789012" }],
      "credentials file f.json: entry 1: accessKeyId must not contain '/' or whitespace",
    ],
    [
      [{ accessKeyId: "a", secretAccessKey: "b", accountId: "123456789012", extra: 1 }],
      'credentials file f.json: entry 1: unknown field "extra"',
    ],
    [
      [
        { accessKeyId: "a", secretAccessKey: "b", accountId: "123456789012" },
        { accessKeyId: "a", secretAccessKey: "c", accountId: "123456789012" },
      ],
      'credentials file f.json: entry 2: accessKeyId "a" is listed twice',
    ],
  ];
  for (const [value, message] of cases) {
    assert.throws(
      () => parseCredentials(value, "f.json"),
      (error: unknown) => {
        assert.ok(error instanceof CredentialsFileError);
        assert.equal(error.message, message);
        return true;
      },
    );
  }
  assert.throws(
    () => loadCredentialsFile("/nonexistent/creds.json"),
    /^CredentialsFileError: credentials file \/nonexistent\/creds.json: cannot read it \(ENOENT\)$/,
  );
  const dir = mkdtempSync(join(tmpdir(), "stratus-creds-"));
  writeFileSync(join(dir, "bad.json"), "[{");
  assert.throws(
    () => loadCredentialsFile(join(dir, "bad.json")),
    (error: unknown) => {
      assert.match(String((error as Error).message), /: not valid JSON \(/);
      assert.ok(!String((error as Error).message).includes("\n"));
      return true;
    },
  );
});
