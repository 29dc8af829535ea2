import type { IncomingMessage } from "node:http";
import type { CredentialResolver } from "../auth/principal.js";
import { callThroughPipeline, type PipelineAccess } from "../init/internal-call.js";
import { bodyText, type WireResponse } from "../protocol/codec.js";
import { errors as sdErrors } from "../generated/servicediscovery.js";
import type { DiscoveryView } from "../view/discovery-view.js";
import { principalOfBearer, tokenFor } from "./prometheus-token.js";
import { jsonAnswer, type VerifyCairnCall } from "./signed-call.js";

/** A service name no namespace has when none of its services is named (see handleServiceDiscovery). */
const PROBE = "cairn-prometheus-probe";

/** One Prometheus `http_sd_configs` target group. */
export interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

interface Summary {
  InstanceId: string;
  NamespaceName: string;
  ServiceName: string;
  HealthStatus: string;
  Attributes?: Record<string, string>;
}

/** Label names are `[a-zA-Z_][a-zA-Z0-9_]*`: other characters become `_`, as Prometheus' own discoveries do. */
function labelName(key: string): string {
  return `__meta_cloudmap_attribute_${key.replace(/[^a-zA-Z0-9_]/g, "_")}`;
}

/** `ip:port` from the instance's AWS_INSTANCE_* attributes (IPv6 in brackets); none without an address. */
function target(attributes: Record<string, string>): string | undefined {
  const ipv4 = attributes.AWS_INSTANCE_IPV4;
  const ipv6 = attributes.AWS_INSTANCE_IPV6;
  const host = ipv4 ?? (ipv6 === undefined ? attributes.AWS_INSTANCE_CNAME : `[${ipv6}]`);
  if (host === undefined) return undefined;
  const port = attributes.AWS_INSTANCE_PORT;
  return port === undefined ? host : `${host}:${port}`;
}

export function targetGroups(instances: readonly Summary[]): TargetGroup[] {
  const groups: TargetGroup[] = [];
  // By instance id: the same answer on every node, whatever order registrations reached its view in.
  for (const i of [...instances].sort((a, b) => (a.InstanceId < b.InstanceId ? -1 : a.InstanceId > b.InstanceId ? 1 : 0))) {
    const attributes = i.Attributes ?? {};
    const address = target(attributes);
    if (address === undefined) continue;
    const labels: Record<string, string> = {};
    for (const [key, value] of Object.entries(attributes)) labels[labelName(key)] = value;
    labels.__meta_cloudmap_namespace = i.NamespaceName;
    labels.__meta_cloudmap_service = i.ServiceName;
    labels.__meta_cloudmap_instance_id = i.InstanceId;
    labels.__meta_cloudmap_health = i.HealthStatus;
    groups.push({ targets: [address], labels });
  }
  return groups;
}

export interface PrometheusDeps {
  verify: VerifyCairnCall;
  credentials: CredentialResolver;
  discovery: DiscoveryView;
  access: PipelineAccess;
  defaultRegion: string;
  regions: ReadonlySet<string>;
}

/** `POST /_cairn/prometheus/token`, signed by a long-term key: that key's bearer token. */
export async function handleTokenRequest(req: IncomingMessage, deps: PrometheusDeps): Promise<WireResponse> {
  const { principal } = await deps.verify(req, "servicediscovery");
  const credential = await deps.credentials.resolve(principal.accessKeyId);
  if (!credential || credential.sessionToken !== undefined) {
    throw sdErrors.InvalidInput("A Prometheus token is issued for a long-term access key, not for temporary credentials.");
  }
  return jsonAnswer(200, { token: tokenFor(credential.accessKeyId, credential.secretAccessKey) });
}

/**
 * `GET /_cairn/prometheus/sd?namespace=NS[&service=SVC][&region=R]` with `Authorization: Bearer <token>`: every
 * instance with an address, of one service or of every service of the namespace, each one DiscoverInstances through
 * the pipeline as the token's key owner, so it is authorised (and refused) exactly as discovery.
 */
export async function handleServiceDiscovery(req: IncomingMessage, deps: PrometheusDeps): Promise<WireResponse> {
  const principal = await principalOfBearer(req.headers.authorization, deps.credentials);
  const query = new URLSearchParams((req.url ?? "").split("?", 2)[1] ?? "");
  const namespace = query.get("namespace");
  if (!namespace) throw sdErrors.InvalidInput("namespace is required.");
  const region = query.get("region") ?? deps.defaultRegion;
  if (!deps.regions.has(region)) throw sdErrors.InvalidInput(`${region} is not a served region.`);
  const service = query.get("service");
  const found = deps.discovery.lookup(principal.accountId, region, namespace, service ?? "");
  // Every service of the namespace when none is named. With none to ask about (an unknown or empty namespace), one
  // DiscoverInstances still runs under a placeholder name, so the caller is authorised before learning anything.
  const named = service !== null ? [service] : [...(found.namespace?.services.keys() ?? [])].sort();
  const probing = named.length === 0;
  const who = { principal, region, sourceIp: req.socket.remoteAddress ?? "127.0.0.1" };
  const groups: TargetGroup[] = [];
  for (const name of probing ? [PROBE] : named) {
    const input = { NamespaceName: namespace, ServiceName: name, HealthStatus: "ALL", MaxResults: 1000 };
    const response = await callThroughPipeline(deps.access, who, "servicediscovery", "DiscoverInstances", input);
    if (probing && response.headers["x-amzn-errortype"] === "ServiceNotFound") return jsonAnswer(200, []);
    if (response.status >= 400) return response;
    groups.push(...targetGroups((JSON.parse(bodyText(response.body)) as { Instances?: Summary[] }).Instances ?? []));
  }
  return jsonAnswer(200, groups);
}
