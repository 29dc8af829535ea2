import { test } from "node:test";
import assert from "node:assert/strict";
import type { Event } from "@aws-sdk/client-cloudtrail";
import { toEventRow } from "../../web/src/lib/event-rows.js";
import { eventsToCsv, eventsToJson } from "../../web/src/lib/export.js";

const record = {
  eventVersion: "1.11",
  eventID: "e-1",
  eventName: "RegisterInstance",
  awsRegion: "eu-west-1",
  sourceIPAddress: "10.1.2.3",
  errorCode: "InvalidInput",
  errorMessage: "bad",
  requestID: "r-1",
};

const event: Event = {
  EventId: "e-1",
  EventName: "RegisterInstance",
  ReadOnly: "false",
  AccessKeyId: "AKIAEXAMPLE",
  EventTime: new Date("2026-03-04T05:06:07.890Z"),
  EventSource: "servicediscovery.amazonaws.com",
  Username: "root",
  Resources: [
    { ResourceType: "AWS::ServiceDiscovery::Service", ResourceName: "srv-1" },
    { ResourceType: "AWS::ServiceDiscovery::Instance", ResourceName: "=HYPERLINK(\"x\")" },
  ],
  CloudTrailEvent: JSON.stringify(record),
};

test("an Event history row takes LookupEvents' fields and the record's region, source IP and error", () => {
  const row = toEventRow(event);
  assert.equal(row.eventTime, "2026-03-04T05:06:07Z");
  assert.deepEqual(row.resourceNames, ["srv-1", "=HYPERLINK(\"x\")"]);
  assert.equal(row.awsRegion, "eu-west-1");
  assert.equal(row.sourceIp, "10.1.2.3");
  assert.equal(row.errorCode, "InvalidInput");
  assert.equal(row.requestId, "r-1");
  assert.deepEqual(row.record, record);
});

test("a record that is not JSON leaves the record fields empty instead of failing", () => {
  const row = toEventRow({ ...event, CloudTrailEvent: "{not json" });
  assert.equal(row.record, undefined);
  assert.equal(row.sourceIp, "");
  assert.equal(row.eventName, "RegisterInstance");
});

test("CSV: a header, quoted cells, doubled quotes, CRLF, and spreadsheet formulas neutralised", () => {
  const csv = eventsToCsv([toEventRow(event)]);
  const lines = csv.split("\r\n");
  assert.equal(lines.length, 3, "header, one row, and the final line end");
  assert.equal(lines[2], "");
  assert.match(lines[0]!, /^"Event ID","Event time","User name","Event name","Resource type","Resource name",/);
  assert.equal(
    lines[1],
    '"e-1","2026-03-04T05:06:07Z","root","RegisterInstance","AWS::ServiceDiscovery::Service, AWS::ServiceDiscovery::Instance",' +
      '"srv-1, =HYPERLINK(""x"")","AKIAEXAMPLE","servicediscovery.amazonaws.com","eu-west-1","InvalidInput","10.1.2.3","false"',
  );
  const formula = eventsToCsv([toEventRow({ ...event, Username: "=cmd|' /C calc'!A0", Resources: [] })]).split("\r\n")[1]!;
  assert.match(formula, /,"'=cmd\|' \/C calc'!A0",/);
});

test("JSON: the full records, wrapped as a trail log file wraps them", () => {
  const json = JSON.parse(eventsToJson([toEventRow(event), toEventRow({ ...event, EventId: "e-2", CloudTrailEvent: JSON.stringify({ ...record, eventID: "e-2" }) })]));
  assert.deepEqual(json, { Records: [record, { ...record, eventID: "e-2" }] });
});
