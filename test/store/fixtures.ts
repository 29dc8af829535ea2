import { randomUUID } from "node:crypto";
import type { InstanceRecord, NamespaceRecord, ServiceRecord, StoredEvent } from "../../src/store/records.js";

/** Records for the conformance cases: plain, valid, with only what a case varies given. */
export const ACCOUNT = "123456789012";
export const OTHER_ACCOUNT = "210987654321";
export const REGION = "us-east-1";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it gives a value (not undefined, not false). */
export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, deadlineMs = 5_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export function namespace(id: string, at = new Date(), overrides: Partial<NamespaceRecord> = {}): NamespaceRecord {
  return {
    id,
    arn: `arn:aws:servicediscovery:${REGION}:${ACCOUNT}:namespace/${id}`,
    accountId: ACCOUNT,
    region: REGION,
    name: id,
    type: "HTTP",
    httpName: id,
    createDate: at,
    ...overrides,
  };
}

export function service(id: string, namespaceId: string, at = new Date(), overrides: Partial<ServiceRecord> = {}): ServiceRecord {
  return {
    id,
    arn: `arn:aws:servicediscovery:${REGION}:${ACCOUNT}:service/${id}`,
    accountId: ACCOUNT,
    region: REGION,
    namespaceId,
    name: id,
    type: "HTTP",
    createdByAccount: ACCOUNT,
    createDate: at,
    instancesRevision: 1,
    ...overrides,
  };
}

export function instance(serviceId: string, id: string, namespaceId: string, at = new Date(), overrides: Partial<InstanceRecord> = {}): InstanceRecord {
  return {
    serviceId,
    id,
    namespaceId,
    attributes: { AWS_INSTANCE_IPV4: "10.0.0.1" },
    createdByAccount: ACCOUNT,
    healthStatus: "HEALTHY",
    createDate: at,
    updateDate: at,
    ...overrides,
  };
}

/** A minimal event; its record carries its id, so a delivery batch read back can be matched to it. */
export function event(label: string, overrides: Partial<StoredEvent> = {}): StoredEvent {
  const eventId = randomUUID();
  return {
    eventId,
    accountId: ACCOUNT,
    region: REGION,
    eventTime: new Date(),
    eventName: "RegisterInstance",
    eventSource: "servicediscovery.amazonaws.com",
    readOnly: false,
    resources: [{ type: "AWS::ServiceDiscovery::Service", name: label }],
    record: JSON.stringify({ label, eventId }),
    ...overrides,
  };
}

/** The event a delivery batch read back, known by the id its record carries. */
export function idOf(e: { record: string }): string {
  return (JSON.parse(e.record) as { eventId: string }).eventId;
}

/** `value` without its undefined members (a store may hand an absent optional back as absent or as undefined). */
export function defined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(defined) as T;
  if (value === null || typeof value !== "object" || value instanceof Date || Buffer.isBuffer(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, defined(v)])) as T;
}
