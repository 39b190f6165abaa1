/**
 * The one HTTP listener. Every request goes through the pipeline; shutdown stops accepting, lets
 * in-flight requests finish (closing their connections after the response), then resolves.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { EdgeEnv } from "./env.ts";
import { handle } from "./pipeline.ts";

export interface Listener {
  readonly port: number;
  readonly host: string;
  /** Stops accepting, waits up to `graceMs` for in-flight requests, then drops what is left. */
  close(graceMs?: number): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`port ${port} on ${host} is already in use`);
  }
}

export async function listen(env: EdgeEnv, host: string, port: number): Promise<Listener> {
  let closing = false;
  let inFlight = 0;
  const server: Server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
    inFlight++;
    if (closing) res.shouldKeepAlive = false;
    res.once("close", () => {
      inFlight--;
      if (closing) server.closeIdleConnections();
    });
    handle(req, res, env).catch((error: unknown) => {
      env.logger.error(`unhandled: ${(error as Error)?.stack ?? String(error)}`);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  // A client that sends garbage gets a 400 and its socket closed; the server carries on.
  server.on("clientError", (_error, socket) => {
    if (socket.writable)
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new PortInUseError(host, port) : error);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  return {
    port: address.port,
    host,
    close(graceMs = 10_000) {
      closing = true;
      return new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
        if (inFlight === 0) server.closeAllConnections();
      });
    },
  };
}
