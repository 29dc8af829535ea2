import type { InstanceRecord, NamespaceRecord, ServiceRecord } from "../../src/store/records.js";

/** Store records for unit tests of the in-memory view and DNS: account 111111111111 in us-east-1 unless given. */
export function namespaceRecord(fields: Partial<NamespaceRecord> & Pick<NamespaceRecord, "id" | "name">): NamespaceRecord {
  const accountId = fields.accountId ?? "111111111111";
  const region = fields.region ?? "us-east-1";
  return {
    arn: `arn:aws:servicediscovery:${region}:${accountId}:namespace/${fields.id}`,
    accountId,
    region,
    type: "HTTP",
    httpName: fields.name,
    createDate: new Date(0),
    ...fields,
  };
}

export function serviceRecord(fields: Partial<ServiceRecord> & Pick<ServiceRecord, "id" | "namespaceId" | "name">): ServiceRecord {
  const accountId = fields.accountId ?? "111111111111";
  const region = fields.region ?? "us-east-1";
  return {
    arn: `arn:aws:servicediscovery:${region}:${accountId}:service/${fields.id}`,
    accountId,
    region,
    type: "HTTP",
    createdByAccount: accountId,
    createDate: new Date(0),
    instancesRevision: 1,
    ...fields,
  };
}

export function instanceRecord(fields: Partial<InstanceRecord> & Pick<InstanceRecord, "id" | "serviceId" | "namespaceId">): InstanceRecord {
  return {
    attributes: {},
    createdByAccount: "111111111111",
    healthStatus: "HEALTHY",
    createDate: new Date(0),
    updateDate: new Date(0),
    ...fields,
  };
}
