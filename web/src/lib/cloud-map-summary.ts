import { GetInstancesHealthStatusCommand, ListInstancesCommand, paginateListNamespaces, paginateListServices } from "@aws-sdk/client-servicediscovery";
import type { Clients } from "./aws.js";

export interface UnhealthyInstance {
  namespaceId: string;
  serviceId: string;
  serviceName: string;
  instanceId: string;
}

export interface CloudMapSummary {
  namespaces: number;
  services: number;
  instances: number;
  unhealthy: UnhealthyInstance[];
}

/** Counts of the region's namespaces, services and instances, and which instances report UNHEALTHY. */
export async function loadCloudMapSummary(clients: Clients, signal: AbortSignal): Promise<CloudMapSummary> {
  const client = clients.cloudMap;
  const options = { abortSignal: signal };
  const namespaceIds: string[] = [];
  for await (const page of paginateListNamespaces({ client }, {})) {
    signal.throwIfAborted();
    namespaceIds.push(...(page.Namespaces ?? []).map((ns) => ns.Id!));
  }
  // Listed per namespace, as ListServices' summaries do not name their namespace.
  const services: Array<{ Id?: string; Name?: string; NamespaceId: string }> = [];
  for (const NamespaceId of namespaceIds) {
    const filter = { Filters: [{ Name: "NAMESPACE_ID" as const, Values: [NamespaceId], Condition: "EQ" as const }] };
    for await (const page of paginateListServices({ client }, filter)) {
      signal.throwIfAborted();
      services.push(...(page.Services ?? []).map((service) => ({ ...service, NamespaceId })));
    }
  }
  let instances = 0;
  const unhealthy: UnhealthyInstance[] = [];
  for (const service of services) {
    let NextToken: string | undefined;
    do {
      const page = await client.send(new ListInstancesCommand({ ServiceId: service.Id, NextToken }), options);
      instances += page.Instances?.length ?? 0;
      NextToken = page.NextToken;
    } while (NextToken);
    do {
      const page = await client.send(new GetInstancesHealthStatusCommand({ ServiceId: service.Id, NextToken }), options);
      for (const [instanceId, status] of Object.entries(page.Status ?? {})) {
        if (status === "UNHEALTHY") {
          unhealthy.push({ namespaceId: service.NamespaceId, serviceId: service.Id!, serviceName: service.Name ?? "", instanceId });
        }
      }
      NextToken = page.NextToken;
    } while (NextToken);
  }
  return { namespaces: namespaceIds.length, services: services.length, instances, unhealthy };
}
