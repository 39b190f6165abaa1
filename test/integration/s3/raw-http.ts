/**
 * Unsigned HTTP requests for the S3 sharing tests (CORS preflights, anonymous reads, website
 * endpoints): `*.localhost` does not resolve for Node here, so requests go to the server's address
 * with the Host header the test chooses. Bounded by a timeout.
 */
import { request } from "node:http";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function rawRequest(
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; host?: string; body?: string } = {},
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? "GET",
        path,
        headers: { ...(options.host ? { Host: `${options.host}:${url.port}` } : {}), ...options.headers },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    req.end(options.body);
  });
}

/** The Access-Control-* and Vary headers of an answer, by lower-case name. */
export function corsHeadersOf(response: RawResponse): Record<string, string> {
  return Object.fromEntries(
    Object.entries(response.headers)
      .filter(([name]) => name.startsWith("access-control-") || name === "vary")
      .map(([name, value]) => [name, String(value)]),
  );
}

/** `<Code>` and `<Message>` of an S3 error document. */
export function errorOf(body: string): { code?: string; message?: string } {
  return {
    code: /<Code>([^<]*)<\/Code>/.exec(body)?.[1],
    message: /<Message>([^<]*)<\/Message>/.exec(body)?.[1]?.replace(/&apos;/g, "'"),
  };
}
