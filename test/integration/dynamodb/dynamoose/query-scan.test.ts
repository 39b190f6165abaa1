/**
 * Dynamoose queries and scans against Stratus: hash+range queries with every sort-key condition, in
 * both directions, with filters, counts, projections and `limit` + `lastKey`/`startAt` paging; queries
 * on a GSI (chosen by Dynamoose from the conditions, or named with `using`) with key conditions on the
 * index's range key and filters; scans with filters, paging, `all()` and parallel segments.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { type DynamooseModel, plain, useDynamoose } from "./helpers.ts";

interface Order {
  customer: string;
  orderId: string;
  status: string;
  total: number;
  products: Set<string>;
  note?: string;
}

const ORDERS: Order[] = [
  { customer: "c1", orderId: "o#001", status: "shipped", total: 20, products: new Set(["pen"]) },
  {
    customer: "c1",
    orderId: "o#002",
    status: "pending",
    total: 75,
    products: new Set(["ink", "pen"]),
    note: "gift",
  },
  { customer: "c1", orderId: "o#003", status: "shipped", total: 120, products: new Set(["desk"]) },
  {
    customer: "c1",
    orderId: "o#004",
    status: "shipped",
    total: 45,
    products: new Set(["pen", "pad"]),
    note: "gift",
  },
  { customer: "c1", orderId: "o#005", status: "cancelled", total: 10, products: new Set(["pad"]) },
  { customer: "c1", orderId: "o#006", status: "shipped", total: 300, products: new Set(["chair"]) },
  { customer: "c1", orderId: "r#001", status: "returned", total: 500, products: new Set(["mug"]) },
  { customer: "c2", orderId: "o#001", status: "shipped", total: 60, products: new Set(["pen"]) },
  { customer: "c2", orderId: "o#002", status: "pending", total: 15, products: new Set(["pad"]) },
  {
    customer: "c2",
    orderId: "o#003",
    status: "shipped",
    total: 99,
    products: new Set(["lamp"]),
    note: "rush",
  },
];

/** `customer/orderId` of each item, in the order returned. */
function ids(items: unknown[]): string[] {
  return items.map((item) => {
    const order = plain(item);
    return `${order.customer}/${order.orderId}`;
  });
}

function expected(filter: (order: Order) => boolean): string[] {
  return ORDERS.filter(filter).map((order) => `${order.customer}/${order.orderId}`);
}

describe("Dynamoose query and scan", () => {
  const harness = useDynamoose();
  let Orders: DynamooseModel;

  before(async () => {
    Orders = await harness.model("Orders", {
      customer: { type: String, hashKey: true },
      orderId: { type: String, rangeKey: true },
      status: { type: String, index: { name: "byStatus", type: "global", rangeKey: "total" } },
      total: Number,
      products: { type: Set, schema: [String] },
      note: String,
    });
    await Orders.batchPut(ORDERS);
  });

  describe("query on hash and range keys", () => {
    it("returns a partition in ascending sort-key order with the item values", async () => {
      const result = await Orders.query("customer").eq("c1").exec();
      assert.deepEqual(
        ids(result),
        expected((o) => o.customer === "c1"),
      );
      assert.equal(result.count, 7);
      assert.equal(harness.received("Query").at(-1)?.ScannedCount, 7);
      assert.equal(result.lastKey, undefined);
      assert.deepEqual(plain(result[1]), ORDERS[1]);
      const request = harness.sent("Query").at(-1);
      assert.equal(request?.IndexName, undefined);
      assert.ok(request?.KeyConditionExpression, "the hash key goes to KeyConditionExpression");
      assert.equal(request?.FilterExpression, undefined);
    });

    it("applies each sort-key condition as a key condition", async () => {
      const c1 = (test: (id: string) => boolean) => expected((o) => o.customer === "c1" && test(o.orderId));
      const cases: [string, () => Promise<unknown[]>, string[]][] = [
        [
          "eq",
          () => Orders.query("customer").eq("c1").where("orderId").eq("o#003").exec(),
          c1((id) => id === "o#003"),
        ],
        [
          "lt",
          () => Orders.query("customer").eq("c1").where("orderId").lt("o#003").exec(),
          c1((id) => id < "o#003"),
        ],
        [
          "le",
          () => Orders.query("customer").eq("c1").where("orderId").le("o#003").exec(),
          c1((id) => id <= "o#003"),
        ],
        [
          "gt",
          () => Orders.query("customer").eq("c1").where("orderId").gt("o#004").exec(),
          c1((id) => id > "o#004"),
        ],
        [
          "ge",
          () => Orders.query("customer").eq("c1").where("orderId").ge("o#004").exec(),
          c1((id) => id >= "o#004"),
        ],
        [
          "between",
          () => Orders.query("customer").eq("c1").where("orderId").between("o#002", "o#004").exec(),
          c1((id) => id >= "o#002" && id <= "o#004"),
        ],
        [
          "beginsWith",
          () => Orders.query("customer").eq("c1").where("orderId").beginsWith("o#").exec(),
          c1((id) => id.startsWith("o#")),
        ],
      ];
      for (const [name, run, want] of cases) {
        const result = await run();
        assert.deepEqual(ids(result), want, name);
        const request = harness.sent("Query").at(-1);
        assert.equal(request?.FilterExpression, undefined, `${name}: the sort key is not a filter`);
        assert.equal(Object.values(request?.ExpressionAttributeNames ?? {}).length, 2, name);
      }
    });

    it('sorts descending with .sort("descending")', async () => {
      const result = await Orders.query("customer").eq("c1").sort("descending").exec();
      assert.deepEqual(ids(result), expected((o) => o.customer === "c1").reverse());
      assert.equal(harness.sent("Query").at(-1)?.ScanIndexForward, false);
      const some = await Orders.query("customer")
        .eq("c1")
        .where("orderId")
        .le("o#003")
        .sort("descending")
        .exec();
      assert.deepEqual(ids(some), ["c1/o#003", "c1/o#002", "c1/o#001"]);
    });

    it("pages with limit, lastKey and startAt, in both directions", async () => {
      for (const direction of ["ascending", "descending"] as const) {
        const seen: string[] = [];
        let startAt: unknown;
        let pages = 0;
        do {
          let query = Orders.query("customer").eq("c1").sort(direction).limit(4);
          if (startAt) query = query.startAt(startAt as Record<string, string>);
          const page = await query.exec();
          pages++;
          assert.ok(page.length <= 4);
          seen.push(...ids(page));
          startAt = page.lastKey;
          if (startAt) assert.deepEqual(Object.keys(startAt as object).sort(), ["customer", "orderId"]);
        } while (startAt && pages < 10);
        const all = expected((o) => o.customer === "c1");
        assert.deepEqual(seen, direction === "ascending" ? all : all.reverse(), direction);
        assert.equal(pages, 2, direction);
      }
      const first = await Orders.query("customer").eq("c1").limit(2).exec();
      assert.deepEqual(first.lastKey, { customer: "c1", orderId: "o#002" });
      assert.equal(harness.sent("Query").at(-1)?.Limit, 2);
      await Orders.query("customer").eq("c1").limit(2).startAt(first.lastKey).exec();
      assert.deepEqual(harness.sent("Query").at(-1)?.ExclusiveStartKey, {
        customer: { S: "c1" },
        orderId: { S: "o#002" },
      });
      // A page that fills its Limit carries a lastKey even when nothing follows; the next page is empty.
      const exact = await Orders.query("customer").eq("c2").limit(3).exec();
      assert.equal(exact.length, 3);
      assert.deepEqual(exact.lastKey, { customer: "c2", orderId: "o#003" });
      const empty = await Orders.query("customer").eq("c2").limit(3).startAt(exact.lastKey).exec();
      assert.equal(empty.length, 0);
      assert.equal(empty.lastKey, undefined);
    });

    it("filters on non-key attributes; Limit counts items read before the filter", async () => {
      const result = await Orders.query("customer").eq("c1").where("total").gt(50).exec();
      assert.deepEqual(
        ids(result),
        expected((o) => o.customer === "c1" && o.total > 50),
      );
      assert.equal(result.count, 4);
      assert.equal(harness.received("Query").at(-1)?.ScannedCount, 7);
      assert.ok(harness.sent("Query").at(-1)?.FilterExpression, "total is a filter");

      const limited = await Orders.query("customer").eq("c1").where("total").gt(50).limit(2).exec();
      assert.deepEqual(ids(limited), ["c1/o#002"]);
      assert.equal(harness.received("Query").at(-1)?.ScannedCount, 2);
      assert.deepEqual(limited.lastKey, { customer: "c1", orderId: "o#002" });

      const functions = await Orders.query("customer")
        .eq("c1")
        .filter("products")
        .contains("pen")
        .and()
        .filter("note")
        .exists()
        .exec();
      assert.deepEqual(ids(functions), ["c1/o#002", "c1/o#004"]);
      const inList = await Orders.query("customer")
        .eq("c1")
        .filter("status")
        .in(["pending", "cancelled"])
        .exec();
      assert.deepEqual(ids(inList), ["c1/o#002", "c1/o#005"]);
      const negated = await Orders.query("customer").eq("c1").filter("status").not().eq("shipped").exec();
      assert.deepEqual(ids(negated), ["c1/o#002", "c1/o#005", "c1/r#001"]);
    });

    it("counts with .count() and projects with .attributes()", async () => {
      const counted = (await Orders.query("customer")
        .eq("c1")
        .filter("status")
        .eq("shipped")
        .count()
        .exec()) as unknown as {
        count: number;
      };
      assert.equal(counted.count, 4);
      const answer = harness.received("Query").at(-1);
      assert.equal(answer?.Count, 4);
      assert.equal(answer?.ScannedCount, 7);
      assert.equal(answer?.Items, undefined);
      assert.equal(harness.sent("Query").at(-1)?.Select, "COUNT");

      const projected = await Orders.query("customer").eq("c2").attributes(["orderId", "total"]).exec();
      assert.deepEqual(
        projected.map((item) => plain(item)),
        [
          { orderId: "o#001", total: 60 },
          { orderId: "o#002", total: 15 },
          { orderId: "o#003", total: 99 },
        ],
      );
    });

    it("follows every page with .all()", async () => {
      const result = await Orders.query("customer").eq("c1").limit(2).all().exec();
      assert.deepEqual(
        ids(result),
        expected((o) => o.customer === "c1"),
      );
      // 2 + 2 + 2 + 1.
      assert.equal((result as unknown as { timesQueried: number }).timesQueried, 4);
    });
  });

  describe("query on a GSI", () => {
    it("picks the GSI from the hash condition and returns its items ordered by the index range key", async () => {
      const result = await Orders.query("status").eq("shipped").exec();
      const shipped = ORDERS.filter((o) => o.status === "shipped").sort((a, b) => a.total - b.total);
      assert.deepEqual(
        ids(result),
        shipped.map((o) => `${o.customer}/${o.orderId}`),
      );
      assert.equal(harness.sent("Query").at(-1)?.IndexName, "byStatus");
      assert.deepEqual(plain(result[0]), ORDERS[0]);
      const descending = await Orders.query("status").eq("shipped").sort("descending").exec();
      assert.deepEqual(ids(descending), ids(result).reverse());
    });

    it("puts the index range key in the key condition and other attributes in the filter", async () => {
      const result = await Orders.query("status")
        .eq("shipped")
        .where("total")
        .between(40, 150)
        .filter("products")
        .contains("pen")
        .exec();
      assert.deepEqual(ids(result), ["c1/o#004", "c2/o#001"]);
      assert.equal(result.count, 2);
      // 45, 60, 99, 120 are in range; the filter keeps those with a pen.
      assert.equal(harness.received("Query").at(-1)?.ScannedCount, 4);
      const request = harness.sent("Query").at(-1);
      assert.equal(request?.IndexName, "byStatus");
      assert.match(String(request?.KeyConditionExpression), /BETWEEN/);
      assert.match(String(request?.FilterExpression), /contains/);
    });

    it("queries a named index with .using() and filters on the table's keys", async () => {
      const result = await Orders.query("status")
        .eq("shipped")
        .using("byStatus")
        .filter("customer")
        .eq("c2")
        .exec();
      assert.deepEqual(ids(result), ["c2/o#001", "c2/o#003"]);
      assert.equal(harness.sent("Query").at(-1)?.IndexName, "byStatus");
    });

    it("pages through a GSI with limit and startAt; lastKey holds the index and table keys", async () => {
      const first = await Orders.query("status").eq("shipped").limit(4).exec();
      assert.deepEqual(ids(first), ["c1/o#001", "c1/o#004", "c2/o#001", "c2/o#003"]);
      assert.deepEqual(first.lastKey, { status: "shipped", total: 99, customer: "c2", orderId: "o#003" });
      const second = await Orders.query("status").eq("shipped").limit(4).startAt(first.lastKey).exec();
      assert.deepEqual(ids(second), ["c1/o#003", "c1/o#006"]);
      assert.equal(second.lastKey, undefined);
    });

    it("counts on the GSI", async () => {
      const counted = (await Orders.query("status").eq("pending").count().exec()) as unknown as {
        count: number;
      };
      assert.equal(counted.count, 2);
    });
  });

  describe("scan", () => {
    it("returns every item", async () => {
      const result = await Orders.scan().exec();
      assert.deepEqual(ids(result).sort(), expected(() => true).sort());
      assert.equal(result.count, ORDERS.length);
      assert.equal((result as unknown as { scannedCount: number }).scannedCount, ORDERS.length);
      assert.equal(result.lastKey, undefined);
    });

    it("filters with conditions on several attributes", async () => {
      const result = await Orders.scan("total").gt(50).and().where("status").eq("shipped").exec();
      assert.deepEqual(ids(result).sort(), expected((o) => o.total > 50 && o.status === "shipped").sort());
      assert.equal((result as unknown as { scannedCount: number }).scannedCount, ORDERS.length);
      const either = await Orders.scan().where("note").eq("rush").or().where("total").lt(15).exec();
      assert.deepEqual(ids(either).sort(), ["c1/o#005", "c2/o#003"]);
      const missing = await Orders.scan().where("note").not().exists().exec();
      assert.equal(missing.length, ORDERS.filter((o) => o.note === undefined).length);
      const prefix = await Orders.scan({
        orderId: { beginsWith: "o#00" },
        total: { between: [10, 20] },
      }).exec();
      assert.deepEqual(ids(prefix).sort(), expected((o) => o.total >= 10 && o.total <= 20).sort());
    });

    it("pages with limit and startAt until lastKey is undefined, seeing each item once", async () => {
      const seen: string[] = [];
      let startAt: unknown;
      let pages = 0;
      do {
        let scan = Orders.scan().limit(4);
        if (startAt) scan = scan.startAt(startAt as Record<string, string>);
        const page = await scan.exec();
        pages++;
        assert.ok(page.length <= 4, `page of ${page.length}`);
        seen.push(...ids(page));
        startAt = page.lastKey;
      } while (startAt && pages < 10);
      assert.deepEqual(seen.sort(), expected(() => true).sort());
      assert.ok(pages === 3 || pages === 4, `${pages} pages`);
      assert.equal(new Set(seen).size, ORDERS.length);
      const withStart = harness.sent("Scan").filter((input) => input.ExclusiveStartKey !== undefined);
      assert.ok(withStart.length >= 2);
    });

    it("pages a filtered scan: Limit bounds items examined, not items returned", async () => {
      const page = await Orders.scan("status").eq("cancelled").limit(3).exec();
      assert.equal((page as unknown as { scannedCount: number }).scannedCount, 3);
      assert.ok(page.length <= 1);
      assert.ok(page.lastKey, "more to scan");
      const all = await Orders.scan("status").eq("cancelled").limit(3).all().exec();
      assert.deepEqual(ids(all), ["c1/o#005"]);
      assert.ok((all as unknown as { timesScanned: number }).timesScanned >= 3);
    });

    it("scans in parallel segments that together cover the table once", async () => {
      const result = await Orders.scan().parallel(3).exec();
      assert.deepEqual(ids(result).sort(), expected(() => true).sort());
      const segments = harness.sent("Scan").slice(-3);
      assert.deepEqual(segments.map((input) => [input.Segment, input.TotalSegments]).sort(), [
        [0, 3],
        [1, 3],
        [2, 3],
      ]);
    });

    it("counts with .count()", async () => {
      const counted = (await Orders.scan("products").contains("pen").count().exec()) as unknown as {
        count: number;
        scannedCount: number;
      };
      assert.deepEqual(counted, { count: 4, scannedCount: ORDERS.length });
    });
  });
});
