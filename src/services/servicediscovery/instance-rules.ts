/**
 * AWS's rules for an instance's attributes (RegisterInstance): the reserved `AWS_*` attributes, which of
 * them a service's DNS records and health check require, and the custom-attribute limits. Pure, so the
 * rules are unit-tested without a server. The model already enforced key/value patterns and lengths.
 */
import { isIPv4, isIPv6 } from "node:net";
import type { Limits } from "../../config.js";
import type { NamespaceType, ServiceDnsConfig, ServiceHealthCheckConfig } from "../../store/records.js";
import { invalidInput } from "./errors.js";

export const ALIAS_DNS_NAME = "AWS_ALIAS_DNS_NAME";
export const EC2_INSTANCE_ID = "AWS_EC2_INSTANCE_ID";
export const INIT_HEALTH_STATUS = "AWS_INIT_HEALTH_STATUS";
export const INSTANCE_CNAME = "AWS_INSTANCE_CNAME";
export const INSTANCE_IPV4 = "AWS_INSTANCE_IPV4";
export const INSTANCE_IPV6 = "AWS_INSTANCE_IPV6";
export const INSTANCE_PORT = "AWS_INSTANCE_PORT";

/** The attribute names AWS defines; every other name starting with `AWS_` is reserved and refused. */
export const RESERVED_ATTRIBUTES: ReadonlySet<string> = new Set([
  ALIAS_DNS_NAME,
  EC2_INSTANCE_ID,
  INIT_HEALTH_STATUS,
  INSTANCE_CNAME,
  INSTANCE_IPV4,
  INSTANCE_IPV6,
  INSTANCE_PORT,
]);

export const isCustomAttribute = (key: string): boolean => !key.startsWith("AWS_");

/** The service an instance registers with, as far as its attributes are concerned. */
export interface InstanceTarget {
  namespaceType: NamespaceType;
  dnsConfig?: ServiceDnsConfig;
  healthCheckConfig?: ServiceHealthCheckConfig;
}

type AttributeLimits = Pick<Limits, "customAttributesPerInstance" | "instanceAttributesTotalLength">;

const DNS_LABEL = /^(?:\*|[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)$/;

/** A host name as Route 53 accepts it in a record value: labels of letters, digits, `-` and `_`, an optional final dot. */
export function isDnsName(value: string): boolean {
  const name = value.endsWith(".") ? value.slice(0, -1) : value;
  if (name.length === 0 || name.length > 253) return false;
  return name.split(".").every((label) => DNS_LABEL.test(label));
}

const PORT = /^\d{1,5}$/;
const EC2_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
/** SRV targets are `<instance id>.<service>.<namespace>`: the ID must be usable as DNS labels. */
const SRV_INSTANCE_ID = /^[A-Za-z0-9_.-]+$/;

const has = (attributes: Record<string, string>, key: string): boolean => Object.prototype.hasOwnProperty.call(attributes, key);

/** Throws InvalidInput unless `attributes` may be registered as instance `instanceId` of `target`. */
export function checkInstanceAttributes(target: InstanceTarget, instanceId: string, attributes: Record<string, string>, limits: AttributeLimits): void {
  const keys = Object.keys(attributes);
  let custom = 0;
  let total = 0;
  for (const key of keys) {
    total += key.length + attributes[key]!.length;
    if (isCustomAttribute(key)) custom++;
    else if (!RESERVED_ATTRIBUTES.has(key)) {
      throw invalidInput(`Attribute names starting with AWS_ are reserved; ${key} is not one Cloud Map defines.`);
    }
  }
  if (custom > limits.customAttributesPerInstance) {
    throw invalidInput(`An instance can have at most ${limits.customAttributesPerInstance} custom attributes; this one has ${custom}.`);
  }
  if (total > limits.instanceAttributesTotalLength) {
    throw invalidInput(`The attribute keys and values of an instance may total at most ${limits.instanceAttributesTotalLength} characters; these total ${total}.`);
  }

  const value = (key: string): string | undefined => (has(attributes, key) ? attributes[key] : undefined);
  const ipv4 = value(INSTANCE_IPV4);
  const ipv6 = value(INSTANCE_IPV6);
  const port = value(INSTANCE_PORT);
  const cname = value(INSTANCE_CNAME);
  const alias = value(ALIAS_DNS_NAME);
  const ec2 = value(EC2_INSTANCE_ID);
  const init = value(INIT_HEALTH_STATUS);

  // Reserved values have one meaning each, so their syntax is checked wherever they appear.
  if (ipv4 !== undefined && !isIPv4(ipv4)) throw invalidInput(`${INSTANCE_IPV4} must be an IPv4 address, not '${ipv4}'.`);
  if (ipv6 !== undefined && !isIPv6(ipv6)) throw invalidInput(`${INSTANCE_IPV6} must be an IPv6 address, not '${ipv6}'.`);
  if (port !== undefined && (!PORT.test(port) || Number(port) > 65535)) throw invalidInput(`${INSTANCE_PORT} must be a port number from 0 to 65535, not '${port}'.`);
  if (cname !== undefined && !isDnsName(cname)) throw invalidInput(`${INSTANCE_CNAME} must be a domain name, not '${cname}'.`);
  if (alias !== undefined && !isDnsName(alias)) throw invalidInput(`${ALIAS_DNS_NAME} must be a load balancer's DNS name, not '${alias}'.`);
  if (init !== undefined && init !== "HEALTHY" && init !== "UNHEALTHY") {
    throw invalidInput(`${INIT_HEALTH_STATUS} must be HEALTHY or UNHEALTHY, not '${init}'.`);
  }

  if (ec2 !== undefined) {
    if (target.namespaceType !== "HTTP") throw invalidInput(`${EC2_INSTANCE_ID} can only be used in HTTP namespaces.`);
    if (!EC2_ID.test(ec2)) throw invalidInput(`${EC2_INSTANCE_ID} must be an EC2 instance ID (i-…), not '${ec2}'.`);
    const others = keys.filter((k) => k !== EC2_INSTANCE_ID && k !== INIT_HEALTH_STATUS);
    if (others.length > 0) throw invalidInput(`With ${EC2_INSTANCE_ID}, the only other attribute allowed is ${INIT_HEALTH_STATUS}; remove ${others.join(", ")}.`);
    return;
  }

  const types = new Set(target.dnsConfig?.DnsRecords.map((r) => r.Type) ?? []);
  if (alias !== undefined) {
    if (!target.dnsConfig || types.has("SRV") || types.has("CNAME")) {
      throw invalidInput(`${ALIAS_DNS_NAME} needs a service with A and/or AAAA records.`);
    }
    if (target.dnsConfig.RoutingPolicy !== "WEIGHTED") throw invalidInput(`${ALIAS_DNS_NAME} needs a service with the WEIGHTED routing policy.`);
    const instanceAttributes = keys.filter((k) => k.startsWith("AWS_INSTANCE_"));
    if (instanceAttributes.length > 0) throw invalidInput(`With ${ALIAS_DNS_NAME}, don't specify ${instanceAttributes.join(", ")}.`);
    return;
  }

  if (types.has("A") && !types.has("AAAA") && ipv4 === undefined) throw invalidInput(`The service has an A record: ${INSTANCE_IPV4} is required.`);
  if (types.has("AAAA") && !types.has("A") && ipv6 === undefined) throw invalidInput(`The service has an AAAA record: ${INSTANCE_IPV6} is required.`);
  if (types.has("A") && types.has("AAAA") && ipv4 === undefined && ipv6 === undefined) {
    throw invalidInput(`The service has A and AAAA records: ${INSTANCE_IPV4}, ${INSTANCE_IPV6} or both are required.`);
  }
  if (types.has("SRV")) {
    if (port === undefined) throw invalidInput(`The service has an SRV record: ${INSTANCE_PORT} is required.`);
    if (ipv4 === undefined && ipv6 === undefined) throw invalidInput(`The service has an SRV record: ${INSTANCE_IPV4} or ${INSTANCE_IPV6} is required.`);
    if (!SRV_INSTANCE_ID.test(instanceId)) {
      throw invalidInput(`The service has an SRV record, so the instance ID becomes a DNS name; '${instanceId}' may only use letters, digits, '.', '-' and '_'.`);
    }
    if (instanceId.split(".").some((label) => label.length === 0 || label.length > 63)) {
      throw invalidInput(`The service has an SRV record, so the instance ID becomes a DNS name; each of its dot-separated labels in '${instanceId}' must have 1 to 63 characters.`);
    }
  }
  if (types.has("CNAME") && cname === undefined) throw invalidInput(`The service has a CNAME record: ${INSTANCE_CNAME} is required.`);
  if (target.healthCheckConfig) {
    if (port === undefined) throw invalidInput(`The service has a Route 53 health check: ${INSTANCE_PORT} is required.`);
    if (ipv4 === undefined && ipv6 === undefined) throw invalidInput(`The service has a Route 53 health check: ${INSTANCE_IPV4} or ${INSTANCE_IPV6} is required.`);
  }
}
