import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { trailWants } from "../../src/delivery/selectors.js";
import { inWindows, openWindows } from "../../src/delivery/windows.js";
import type { LogEvent, TrailRecord } from "../../src/store/trail-records.js";

function trail(over: Partial<TrailRecord["config"]> = {}, selectors?: TrailRecord["selectors"], homeRegion = "us-east-1"): TrailRecord {
  return {
    id: "t",
    arn: "arn",
    accountId: "111122223333",
    homeRegion,
    name: "t",
    config: { S3BucketName: "b", IncludeGlobalServiceEvents: true, IsMultiRegionTrail: false, LogFileValidationEnabled: false, IsOrganizationTrail: false, ...over },
    selectors: selectors ?? { basic: [{ ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] },
    hasCustomSelectors: false,
    isLogging: true,
    windows: [],
    deleted: false,
    status: {},
    cursorSeq: 0,
    createdAt: 0,
  };
}

function event(over: Partial<LogEvent> = {}): LogEvent {
  return {
    seq: 1,
    accountId: "111122223333",
    region: "us-east-1",
    eventTime: new Date(),
    eventName: "CreateService",
    eventSource: "servicediscovery.amazonaws.com",
    readOnly: false,
    record: "{}",
    ...over,
  };
}

describe("which events a trail logs ", () => {
  test("region scope, accounts and global service events", () => {
    assert.ok(trailWants(trail(), event()));
    assert.ok(!trailWants(trail(), event({ accountId: "999999999999" })));
    assert.ok(!trailWants(trail(), event({ region: "eu-west-1" })), "single-region: home region only");
    assert.ok(trailWants(trail({ IsMultiRegionTrail: true }), event({ region: "eu-west-1" })));
    const iam = event({ eventSource: "iam.amazonaws.com", region: "us-east-1" });
    assert.ok(trailWants(trail(), iam), "us-east-1 trail with global events");
    assert.ok(!trailWants(trail({ IncludeGlobalServiceEvents: false }), iam));
    assert.ok(!trailWants(trail({}, undefined, "eu-west-1"), iam), "single-region trail elsewhere never sees global events");
    assert.ok(trailWants(trail({ IsMultiRegionTrail: true }, undefined, "eu-west-1"), iam));
  });

  test("basic selectors: read/write type and excluded sources", () => {
    const writes = trail({}, { basic: [{ ReadWriteType: "WriteOnly", IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] });
    assert.ok(trailWants(writes, event({ readOnly: false })));
    assert.ok(!trailWants(writes, event({ readOnly: true })));
    const none = trail({}, { basic: [{ ReadWriteType: "All", IncludeManagementEvents: false, DataResources: [], ExcludeManagementEventSources: [] }] });
    assert.ok(!trailWants(none, event()));
    const noKms = trail({}, { basic: [{ ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: ["kms.amazonaws.com"] }] });
    assert.ok(!trailWants(noKms, event({ eventSource: "kms.amazonaws.com" })));
  });

  test("advanced selectors: any selector, all fields, negative operators", () => {
    const reads = trail({}, { advanced: [{ FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }, { Field: "readOnly", Equals: ["true"] }] }] });
    assert.ok(trailWants(reads, event({ readOnly: true })));
    assert.ok(!trailWants(reads, event({ readOnly: false })));
    const notKms = trail({}, { advanced: [{ FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }, { Field: "eventSource", NotEquals: ["kms.amazonaws.com"] }] }] });
    assert.ok(trailWants(notKms, event()));
    assert.ok(!trailWants(notKms, event({ eventSource: "kms.amazonaws.com" })));
    const data = trail({}, { advanced: [{ FieldSelectors: [{ Field: "eventCategory", Equals: ["Data"] }, { Field: "resources.type", Equals: ["AWS::S3::Object"] }] }] });
    assert.ok(!trailWants(data, event()), "data selectors select no management events");
  });
});

describe("logging windows", () => {
  const stop = (seq: number, requestID: string): LogEvent =>
    event({ seq, eventSource: "cloudtrail.amazonaws.com", eventName: "StopLogging", record: JSON.stringify({ requestID }) });

  test("a window holds events after its start up to and including its closing call", () => {
    const events = [event({ seq: 5 }), event({ seq: 6 }), stop(7, "r-1"), event({ seq: 8 })];
    const { logging, windows } = inWindows([{ after: 5, stopRequestId: "r-1" }], events);
    assert.deepEqual([...logging], [6, 7]);
    assert.deepEqual(windows, [{ after: 5, stopRequestId: "r-1", until: 7 }]);
    assert.deepEqual(openWindows(windows, 7), []);
    assert.deepEqual(openWindows(windows, 6), windows);
  });

  test("another request's StopLogging does not close the window", () => {
    const { logging, windows } = inWindows([{ after: 0, stopRequestId: "mine" }], [stop(1, "other"), event({ seq: 2 })]);
    assert.deepEqual([...logging], [1, 2]);
    assert.equal(windows[0]!.until, undefined);
  });
});
