import type { LookupAttributeKey } from "@aws-sdk/client-cloudtrail";
import type { EventRow } from "./event-rows.js";

/** The event sources Cairn records, with the resource types its events name. */
const SOURCES = ["cloudtrail.amazonaws.com", "iam.amazonaws.com", "servicediscovery.amazonaws.com", "sts.amazonaws.com"];
const RESOURCE_TYPES = [
  "AWS::CloudTrail::Trail",
  "AWS::IAM::AccessKey",
  "AWS::IAM::Group",
  "AWS::IAM::Policy",
  "AWS::IAM::Role",
  "AWS::IAM::User",
  "AWS::STS::AssumedRole",
  "AWS::STS::FederatedUser",
  "AWS::ServiceDiscovery::HttpNamespace",
  "AWS::ServiceDiscovery::Instance",
  "AWS::ServiceDiscovery::Namespace",
  "AWS::ServiceDiscovery::PrivateDnsNamespace",
  "AWS::ServiceDiscovery::PublicDnsNamespace",
  "AWS::ServiceDiscovery::Service",
];

/** Values to suggest for the Value field: the known ones for the attribute plus those in the events loaded. */
export function suggestions(attribute: LookupAttributeKey, rows: readonly EventRow[]): string[] {
  const seen = (pick: (row: EventRow) => string[]): string[] => rows.flatMap(pick);
  let values: string[];
  if (attribute === "EventSource") values = [...SOURCES, ...seen((r) => [r.eventSource])];
  else if (attribute === "EventName") values = seen((r) => [r.eventName]);
  else if (attribute === "ResourceType") values = [...RESOURCE_TYPES, ...seen((r) => r.resourceTypes)];
  else return [];
  return [...new Set(values.filter(Boolean))].sort();
}
