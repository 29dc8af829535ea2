import { DeleteServiceAttributesCommand, GetServiceAttributesCommand, UpdateServiceAttributesCommand } from "@aws-sdk/client-servicediscovery";
import type { Clients } from "./aws.js";

/** A service's attributes, in the shape KeyValueCard edits. */
export function serviceAttributes(clients: Clients, serviceId: string) {
  return {
    load: async (signal: AbortSignal): Promise<Record<string, string>> => {
      const { ServiceAttributes } = await clients.cloudMap.send(new GetServiceAttributesCommand({ ServiceId: serviceId }), { abortSignal: signal });
      return ServiceAttributes?.Attributes ?? {};
    },
    put: async (key: string, value: string): Promise<void> => {
      await clients.cloudMap.send(new UpdateServiceAttributesCommand({ ServiceId: serviceId, Attributes: { [key]: value } }));
    },
    remove: async (key: string): Promise<void> => {
      await clients.cloudMap.send(new DeleteServiceAttributesCommand({ ServiceId: serviceId, Attributes: [key] }));
    },
  };
}
