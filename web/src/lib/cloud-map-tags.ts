import { ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand } from "@aws-sdk/client-servicediscovery";
import type { Clients } from "./aws.js";

/** Tags of a namespace or service (by ARN), in the shape KeyValueCard edits. */
export function cloudMapTags(clients: Clients, arn: string) {
  return {
    load: async (signal: AbortSignal): Promise<Record<string, string>> => {
      const { Tags = [] } = await clients.cloudMap.send(new ListTagsForResourceCommand({ ResourceARN: arn }), { abortSignal: signal });
      return Object.fromEntries(Tags.map((t) => [t.Key!, t.Value ?? ""]));
    },
    put: async (key: string, value: string): Promise<void> => {
      await clients.cloudMap.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: key, Value: value }] }));
    },
    remove: async (key: string): Promise<void> => {
      await clients.cloudMap.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: [key] }));
    },
  };
}
