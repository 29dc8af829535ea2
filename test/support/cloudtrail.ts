import assert from "node:assert/strict";
import { CloudTrailClient, LookupEventsCommand, type Event, type LookupEventsCommandInput } from "@aws-sdk/client-cloudtrail";
import type { CairnProcess } from "./cairn-process.js";

/** The official CloudTrail SDK client, pointed at Cairn. */
export function cloudTrail(cairn: CairnProcess, region = "us-east-1"): CloudTrailClient {
  return new CloudTrailClient({ endpoint: cairn.url, region, credentials: cairn.credentials, maxAttempts: 1 });
}

/** A CloudTrail record, as CloudTrailEvent carries it. */
export type TrailRecord = Record<string, unknown> & {
  eventName: string;
  eventSource: string;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  errorCode?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
};

export function recordOf(event: Event): TrailRecord {
  assert.equal(typeof event.CloudTrailEvent, "string", "CloudTrailEvent is a JSON string");
  return JSON.parse(event.CloudTrailEvent!) as TrailRecord;
}

/** Every page of a lookup, followed to the end through NextToken. */
export async function lookupAll(ct: CloudTrailClient, input: LookupEventsCommandInput = {}): Promise<Event[]> {
  const events: Event[] = [];
  let NextToken: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await ct.send(new LookupEventsCommand({ ...input, NextToken }));
    events.push(...(page.Events ?? []));
    NextToken = page.NextToken;
    if (!NextToken) return events;
  }
  throw new Error("lookupAll: more than 1000 pages");
}
