import { randomUUID } from "node:crypto";
import { isoSeconds } from "../../protocol/timestamps.js";
import type { StoredEvent } from "../../store/records.js";

/** An event on a bus, in EventBridge's envelope (field order as AWS sends it). */
export interface BusEvent {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

export const CLOUDTRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail";

/** `servicediscovery.amazonaws.com` → `aws.servicediscovery`. */
export function cloudTrailSource(eventSource: string): string {
  return `aws.${eventSource.slice(0, eventSource.indexOf("."))}`;
}

/** The bus event of a CloudTrail management event: `source` is `aws.<service>`, `detail` the record itself. */
export function cloudTrailEnvelope(event: StoredEvent): BusEvent {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": CLOUDTRAIL_DETAIL_TYPE,
    source: cloudTrailSource(event.eventSource),
    account: event.accountId,
    time: isoSeconds(event.eventTime),
    region: event.region,
    resources: [],
    detail: JSON.parse(event.record),
  };
}

/** A PutEvents entry's event (its fields already checked). */
export function customEnvelope(e: { accountId: string; region: string; source: string; detailType: string; detail: unknown; resources: string[]; time: Date }): BusEvent {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": e.detailType,
    source: e.source,
    account: e.accountId,
    time: isoSeconds(e.time),
    region: e.region,
    resources: e.resources,
    detail: e.detail,
  };
}
