import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { AnswerCache } from "../../src/dns/answer-cache.js";
import type { Reply } from "../../src/dns/message.js";
import { DiscoveryView } from "../../src/view/discovery-view.js";

/** A query: ID, then bytes standing for flags, question and EDNS0 record. */
const query = (id: number, rest = "question"): Buffer => Buffer.concat([Buffer.from([id >> 8, id & 255]), Buffer.alloc(10), Buffer.from(rest)]);

function counting(varies: boolean) {
  let calls = 0;
  return {
    calls: () => calls,
    compute: (q: Buffer) => (): Reply => {
      calls++;
      // The answer's own bytes: the query's ID, then a body that tells computations apart.
      return { bytes: Buffer.concat([q.subarray(0, 2), Buffer.from(`answer-${calls}`)]), qtype: "A", rcode: "NOERROR", truncated: false, varies };
    },
  };
}

const addNamespace = (view: DiscoveryView) =>
  view.putNamespace({ id: "ns-1", arn: "arn", accountId: "1", region: "r", name: "z.test", type: "DNS_PRIVATE", httpName: "z", createDate: new Date(0) });

describe("answer cache", () => {
  test("a fixed answer is computed once, then copied with each query's ID, per transport", () => {
    const cache = new AnswerCache(new DiscoveryView());
    const c = counting(false);
    const first = cache.answer(query(1), "udp", c.compute(query(1)))!;
    const second = cache.answer(query(2), "udp", c.compute(query(2)))!;
    assert.equal(c.calls(), 1);
    assert.equal(second.bytes.readUInt16BE(0), 2);
    assert.equal(first.bytes.readUInt16BE(0), 1, "the kept answer itself is not changed");
    assert.equal(second.bytes.subarray(2).toString(), "answer-1");
    cache.answer(query(3), "tcp", c.compute(query(3)));
    cache.answer(query(4, "other question"), "udp", c.compute(query(4)));
    assert.equal(c.calls(), 3);
  });

  test("any change to the view makes the next answer fresh", () => {
    const view = new DiscoveryView();
    const cache = new AnswerCache(view);
    const c = counting(false);
    cache.answer(query(1), "udp", c.compute(query(1)));
    addNamespace(view);
    assert.equal(cache.answer(query(2), "udp", c.compute(query(2)))!.bytes.subarray(2).toString(), "answer-2");
    assert.equal(c.calls(), 2);
  });

  test("random answers: 16 fresh ones, then 256 drawn from them, then fresh ones again", () => {
    const cache = new AnswerCache(new DiscoveryView());
    const c = counting(true);
    const bodies = new Set<string>();
    for (let i = 0; i < 16 + 256; i++) bodies.add(cache.answer(query(i), "udp", c.compute(query(i)))!.bytes.subarray(2).toString());
    assert.equal(c.calls(), 16);
    assert.equal(bodies.size, 16);
    cache.answer(query(9), "udp", c.compute(query(9)));
    assert.equal(c.calls(), 17);
  });

  test("messages too short to carry an ID are never kept", () => {
    const cache = new AnswerCache(new DiscoveryView());
    const c = counting(false);
    cache.answer(Buffer.from([1, 2, 3]), "udp", c.compute(query(1)));
    cache.answer(Buffer.from([1, 2, 3]), "udp", c.compute(query(1)));
    assert.equal(c.calls(), 2);
  });
});
