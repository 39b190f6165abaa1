/**
 * Runs `stratus start` as a child process, as users do, and waits for its printed endpoint. Used by the
 * tests that must kill or signal the server (CLI behaviour, crash safety).
 */
import { type ChildProcess, spawn } from "node:child_process";

export const STRATUS_BIN = new URL("../../bin/stratus.js", import.meta.url).pathname;

export interface StratusProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

export function startStratusProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<StratusProcess> {
  const child = spawn(process.execPath, [STRATUS_BIN, "start", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    err += c.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no endpoint printed in 20 s; stderr: ${err}`));
    }, 20_000);
    const check = () => {
      const match = /Endpoint:\s+(http:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(deadline);
        child.stdout?.off("data", check);
        resolve({ child, url: match[1], stdout: () => out, stderr: () => err, exit });
      }
    };
    child.stdout?.on("data", check);
    void exit.then((code) => {
      clearTimeout(deadline);
      reject(new Error(`exited with ${code} before printing its endpoint; stderr: ${err}`));
    });
  });
}
