import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { bodyText, type WireResponse } from "../protocol/codec.js";
import { errors as sdErrors } from "../generated/servicediscovery.js";
import { callThroughPipeline, type PipelineAccess } from "../init/internal-call.js";
import { jsonAnswer, type VerifyCairnCall } from "./signed-call.js";
import type { ViewChanges } from "./view-changes.js";

/** Longest `wait`, in seconds (5 minutes, as Consul's blocking queries). */
export const MAX_WAIT_SECONDS = 300;
const DEFAULT_WAIT_SECONDS = 60;

interface Summary {
  InstanceId?: string;
  HealthStatus?: string;
}

/** The state of the service's instances' health as a short opaque string: equal strings, equal health. */
export function healthVersion(instances: readonly Summary[]): string {
  const lines = instances.map((i) => `${i.InstanceId ?? ""}=${i.HealthStatus ?? ""}`).sort();
  return createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 16);
}

const invalid = sdErrors.InvalidInput;

function watchParameters(query: URLSearchParams) {
  const namespace = query.get("namespace");
  const service = query.get("service");
  if (!namespace || !service) throw invalid("namespace and service are required.");
  const revisionText = query.get("revision");
  const revision = revisionText === null ? undefined : Number(revisionText);
  if (revision !== undefined && (!Number.isSafeInteger(revision) || revision < 0)) throw invalid(`revision must be a non-negative integer, not '${revisionText}'.`);
  const waitText = query.get("wait");
  const wait = waitText === null ? DEFAULT_WAIT_SECONDS : Number(waitText);
  if (waitText !== null && (waitText.trim() === "" || !Number.isFinite(wait) || wait < 0 || wait > MAX_WAIT_SECONDS)) {
    throw invalid(`wait must be a number of seconds from 0 to ${MAX_WAIT_SECONDS}, not '${waitText}'.`);
  }
  return { namespace, service, revision, healthVersion: query.get("healthVersion") ?? undefined, wait };
}

/**
 * `GET /_cairn/watch?namespace=&service=&revision=&healthVersion=&wait=`: a blocking DiscoverInstances. SigV4-signed
 * for `servicediscovery`; each look is a DiscoverInstances (HealthStatus ALL) through the pipeline, so it is
 * authorised, and fails, exactly as DiscoverInstances. Answers once the InstancesRevision differs from `revision`
 * or the health differs from `healthVersion`, else when `wait` runs out (`Changed: false`).
 */
export async function handleWatch(req: IncomingMessage, verify: VerifyCairnCall, access: PipelineAccess, changes: ViewChanges): Promise<WireResponse> {
  const { principal, region } = await verify(req, "servicediscovery");
  const wanted = watchParameters(new URLSearchParams((req.url ?? "").split("?", 2)[1] ?? ""));
  const deadline = Date.now() + wanted.wait * 1000;
  const who = { principal, region, sourceIp: req.socket.remoteAddress ?? "127.0.0.1" };
  // A client that hangs up stops the wait. The connection may carry many watches one after another: each takes
  // its listener away when it answers.
  const gone = new AbortController();
  const hangUp = (): void => gone.abort();
  req.socket.once("close", hangUp);
  try {
    return await watchLoop(wanted, deadline, gone.signal, (input) => callThroughPipeline(access, who, "servicediscovery", "DiscoverInstances", input), changes);
  } finally {
    req.socket.off("close", hangUp);
  }
}

async function watchLoop(
  wanted: ReturnType<typeof watchParameters>,
  deadline: number,
  gone: AbortSignal,
  discover: (input: Record<string, unknown>) => Promise<WireResponse>,
  changes: ViewChanges,
): Promise<WireResponse> {
  for (;;) {
    const since = changes.version;
    const response = await discover({ NamespaceName: wanted.namespace, ServiceName: wanted.service, HealthStatus: "ALL", MaxResults: 1000 });
    if (response.status >= 400) return response;
    const found = JSON.parse(bodyText(response.body)) as { Instances?: Summary[]; InstancesRevision?: number };
    const instances = found.Instances ?? [];
    const health = healthVersion(instances);
    const changed =
      wanted.revision === undefined || found.InstancesRevision !== wanted.revision || (wanted.healthVersion !== undefined && health !== wanted.healthVersion);
    if (changed || gone.aborted || changes.closing || Date.now() >= deadline) {
      const answer = jsonAnswer(200, { Changed: changed, InstancesRevision: found.InstancesRevision, HealthVersion: health, Instances: instances });
      // A stopping server closed its idle connections already: this one must not stay open after its answer.
      if (changes.closing) answer.headers.connection = "close";
      return answer;
    }
    await changes.next(since, deadline, gone);
  }
}
