/**
 * Shard iterators: `<stream ARN>|1|<opaque base64>`, the shape DynamoDB's iterators have (API reference
 * examples; LocalStack checks the `arn|digit|...` form against AWS in test_dynamodb_streams_shard_iterator_format).
 *
 * The opaque part is 36 bytes: when the iterator was issued (epoch ms, 8 B), the stream id (16 B), the
 * sequence number it reads after (8 B), and a CRC32 of the ARN and those bytes (4 B), so that text no
 * GetShardIterator produced (or an iterator with another ARN in front) is recognised as invalid. Iterators hold no server state: they survive restarts and cost
 * nothing to hand out. They expire `ITERATOR_LIFETIME_MS` after they were issued, as DynamoDB's do.
 *
 * ## By design
 * - The CRC makes iterators tamper-evident, not tamper-proof: a hand-made iterator can read no more than
 *   GetShardIterator of the same caller would hand out.
 */
import { crc32 } from "node:zlib";

/** "A shard iterator expires 15 minutes after it is returned to the requester" (GetShardIterator). */
export const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;

const PAYLOAD_BYTES = 8 + 16 + 8;
const STREAM_ID_BYTES = 16;

export interface IteratorPosition {
  streamArn: string;
  /** 16 bytes hex (StreamMeta.streamId). */
  streamId: string;
  /** Reads the records after this sequence number. */
  after: number;
  /** Epoch ms. */
  issuedAt: number;
}

function checksum(streamArn: string, bytes: Buffer): number {
  return crc32(bytes.subarray(0, PAYLOAD_BYTES), crc32(streamArn));
}

export function encodeIterator(position: IteratorPosition): string {
  const bytes = Buffer.alloc(PAYLOAD_BYTES + 4);
  bytes.writeBigUInt64BE(BigInt(position.issuedAt), 0);
  Buffer.from(position.streamId, "hex").copy(bytes, 8);
  bytes.writeBigUInt64BE(BigInt(position.after), 8 + STREAM_ID_BYTES);
  bytes.writeUInt32BE(checksum(position.streamArn, bytes), PAYLOAD_BYTES);
  return `${position.streamArn}|1|${bytes.toString("base64")}`;
}

/** The position an iterator holds, or undefined when the text is not an iterator Stratus issued. */
export function decodeIterator(text: string): IteratorPosition | undefined {
  const parts = text.split("|");
  if (parts.length !== 3 || parts[1] !== "1") return undefined;
  const [streamArn, , opaque] = parts as [string, string, string];
  if (!/^[A-Za-z0-9+/]+=*$/.test(opaque)) return undefined;
  const bytes = Buffer.from(opaque, "base64");
  if (bytes.length !== PAYLOAD_BYTES + 4) return undefined;
  if (bytes.readUInt32BE(PAYLOAD_BYTES) !== checksum(streamArn, bytes)) return undefined;
  const issuedAt = bytes.readBigUInt64BE(0);
  const after = bytes.readBigUInt64BE(8 + STREAM_ID_BYTES);
  if (issuedAt > BigInt(Number.MAX_SAFE_INTEGER) || after > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return {
    streamArn,
    streamId: bytes.subarray(8, 8 + STREAM_ID_BYTES).toString("hex"),
    after: Number(after),
    issuedAt: Number(issuedAt),
  };
}
