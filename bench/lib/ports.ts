/** Free ports on 127.0.0.1, for servers that cannot listen on port 0 and say which port they got. */
import { createServer } from "node:net";

/** A port free right now on 127.0.0.1 (another process may still take it before the server does). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}
