/** Whether a command is an executable file in one of PATH's directories (peers that may be missing). */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export function onPath(command: string): boolean {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    if (dir === "") return false;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
