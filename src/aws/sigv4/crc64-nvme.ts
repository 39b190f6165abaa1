/**
 * CRC64/NVME, S3's default full-object checksum, which every upload without a checksum of its own
 * still gets. hash-wasm computes it at 0.64 ms per MB where @aws-sdk/crc64-nvme, in JavaScript, takes
 * 2.4 ms (same digests; measured on this project's machine, session 6). For a 1 MB PUT that is most of
 * the main thread's hashing.
 *
 * hash-wasm makes its hashers asynchronously (a WebAssembly instance each), while a checksum is
 * needed synchronously, the moment a body starts: hashers are kept in a pool, the first made as the
 * module loads (without waiting for it), and a checksum that finds the pool empty computes with
 * @aws-sdk/crc64-nvme while another hasher is made for the next one. A hasher goes back to the pool at
 * `digest`; one whose upload was abandoned is simply collected with it. Should WebAssembly be
 * unavailable, the JavaScript implementation serves every checksum.
 */
import { Crc64Nvme } from "@aws-sdk/crc64-nvme";
import { createCRC64, type IHasher } from "hash-wasm";

/** CRC64/NVME's polynomial, bit-reversed, as hash-wasm takes it. */
const NVME_POLYNOMIAL = "9a6c9329ac4bc9b5";
/** Idle hashers kept; more concurrent uploads than this make new ones as they need them. */
const POOL_MAX = 64;

const idle: IHasher[] = [];
let making = false;

function makeOne(): void {
  if (making) return;
  making = true;
  createCRC64(NVME_POLYNOMIAL).then(
    (hasher) => {
      making = false;
      if (idle.length < POOL_MAX) idle.push(hasher);
    },
    () => {
      making = false;
    },
  );
}

makeOne();

/** An incremental CRC64/NVME; `digest` answers its 8 bytes, big-endian. */
export class Crc64NvmeHash {
  #hasher: IHasher | undefined = idle.pop();
  readonly #fallback: Crc64Nvme | undefined;

  constructor() {
    if (this.#hasher === undefined) {
      this.#fallback = new Crc64Nvme();
      makeOne();
    } else {
      this.#hasher.init();
    }
  }

  update(data: Uint8Array): void {
    if (this.#hasher !== undefined) this.#hasher.update(data);
    else this.#fallback?.update(data);
  }

  /** Call once, after the last update. */
  async digest(): Promise<Uint8Array> {
    const hasher = this.#hasher;
    if (hasher === undefined) return (this.#fallback as Crc64Nvme).digest();
    this.#hasher = undefined;
    const bytes = hasher.digest("binary");
    if (idle.length < POOL_MAX) idle.push(hasher);
    return bytes;
  }
}
