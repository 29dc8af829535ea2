import type { ServiceHealthCheckConfig } from "../store/records.js";
import { INSTANCE_IPV4, INSTANCE_IPV6, INSTANCE_PORT } from "../services/servicediscovery/instance-rules.js";
import type { ProbeTarget } from "./probe.js";

/**
 * Where a Route 53 check of an instance goes: AWS_INSTANCE_IPV4 (AWS_INSTANCE_IPV6 when the instance has
 * no IPv4 address) and AWS_INSTANCE_PORT. Undefined when the instance gives no address or port.
 */
export function probeTargetOf(config: ServiceHealthCheckConfig, attributes: Readonly<Record<string, string>>): ProbeTarget | undefined {
  const address = attributes[INSTANCE_IPV4] ?? attributes[INSTANCE_IPV6];
  const port = Number(attributes[INSTANCE_PORT]);
  if (!address || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return config.Type === "TCP" ? { type: "TCP", address, port } : { type: config.Type, address, port, path: config.ResourcePath ?? "/" };
}

/** Route 53's default when a check does not say how many consecutive results flip its status. */
export const DEFAULT_FAILURE_THRESHOLD = 3;
