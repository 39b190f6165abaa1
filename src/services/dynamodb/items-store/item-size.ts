/**
 * Deprecated alias, kept only so the Query/Scan and PartiQL families keep compiling while they move:
 * item size has one implementation, values.ts `itemSizeBytes` (with numbers.ts `numberSizeBytes`).
 * Import those instead; delete this file once nothing imports it (operations/reads/page.ts and
 * operations/partiql/* did when the item store moved).
 */
export { itemSizeBytes as itemSize } from "../values.ts";
