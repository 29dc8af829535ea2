import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { S3Sink } from "../../src/delivery/s3-sink.js";
import { SinkError, type BucketSink } from "../../src/delivery/sink.js";
import { ServiceError } from "../../src/protocol/errors.js";
import { checkBucketExists } from "../../src/services/cloudtrail/trail-config.js";
import { FetchOutside, IoFacts } from "../../src/services/io-facts.js";
import type { OperationContext } from "../../src/services/operation.js";
import { startStallingS3, type StallingS3 } from "../support/stalling-s3.js";

/** Runs `check` as the pipeline does, with `sink` as the server's: each fact it asks for is learnt, then it runs again. */
async function withFacts(sink: BucketSink, check: (ctx: OperationContext) => void): Promise<{ error: unknown; rounds: number }> {
  const io = new IoFacts();
  const ctx = { io, deps: { sink } } as OperationContext;
  for (let rounds = 1; ; rounds++) {
    try {
      check(ctx);
      return { error: undefined, rounds };
    } catch (error) {
      if (!(error instanceof FetchOutside)) return { error, rounds };
      await io.learn(error);
    }
  }
}

describe("the bucket check's network fact", () => {
  let s3: StallingS3;
  let sink: S3Sink;
  before(async () => {
    s3 = await startStallingS3(["there"]);
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDTEST", AWS_SECRET_ACCESS_KEY: "secret" });
    sink = new S3Sink(s3.endpoint, "us-east-1", 200);
  });
  after(async () => {
    sink.close();
    await s3.stop();
  });

  it("ends the attempt until learnt, then answers from what was learnt without asking again", async () => {
    const asked = s3.heads.length;
    const { error, rounds } = await withFacts(sink, (ctx) => {
      checkBucketExists(ctx, "there");
      checkBucketExists(ctx, "there");
    });
    assert.equal(error, undefined);
    assert.equal(rounds, 2);
    assert.deepEqual(s3.heads.slice(asked), ["there"]);
    const missing = await withFacts(sink, (ctx) => checkBucketExists(ctx, "gone"));
    assert.ok(missing.error instanceof ServiceError && missing.error.code === "S3BucketDoesNotExistException");
  });

  it("gives up on a HeadBucket that gets no answer in time: SinkError RequestTimeout, answered as a 503 ServiceUnavailable", async () => {
    s3.holding = true;
    try {
      const started = Date.now();
      await assert.rejects(sink.bucketExists("there"), (e) => e instanceof SinkError && e.code === "RequestTimeout");
      assert.ok(Date.now() - started < 5_000, "the timeout, not the server, ended the wait");
      const { error } = await withFacts(sink, (ctx) => checkBucketExists(ctx, "there"));
      assert.ok(error instanceof ServiceError, String(error));
      assert.equal(error.code, "ServiceUnavailable");
      assert.equal(error.httpStatus, 503);
    } finally {
      s3.release();
    }
  });
});
