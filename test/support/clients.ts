import { ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import type { CairnProcess } from "./cairn-process.js";

/** The official SDK client, pointed at Cairn the way the README tells users to. */
export function cloudMap(cairn: CairnProcess, region = "us-east-1"): ServiceDiscoveryClient {
  return new ServiceDiscoveryClient({
    endpoint: cairn.url,
    region,
    credentials: cairn.credentials,
    disableHostPrefix: true,
    maxAttempts: 1,
  });
}
