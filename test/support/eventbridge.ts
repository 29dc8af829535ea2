import http from "node:http";
import type { AddressInfo } from "node:net";
import { CreateApiDestinationCommand, CreateConnectionCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand, type Target } from "@aws-sdk/client-eventbridge";
import type { CairnProcess } from "./cairn-process.js";
import { uniqueName } from "./cloudmap.js";

/** The official EventBridge client, pointed at Cairn. */
export function eventBridge(cairn: Pick<CairnProcess, "url" | "credentials">, region = "us-east-1"): EventBridgeClient {
  return new EventBridgeClient({ endpoint: cairn.url, region, credentials: cairn.credentials, maxAttempts: 1 });
}

/** Loopback only, and the flag that lets API destinations reach it. */
export const LOOPBACK_TARGETS = ["--health-check-targets", "127.0.0.0/8"];

export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json(): any;
}

/** A local HTTP receiver for API destinations: records each request; `answer` picks the status (default 200). */
export interface Receiver {
  url: string;
  received: Received[];
  answer: (request: Received) => number | Promise<number>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: "", received: [], answer: () => 200, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const request: Received = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, json: () => JSON.parse(body) };
      receiver.received.push(request);
      const status = await receiver.answer(request);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/** A connection (API key), an API destination to `endpoint`, and a rule with it as target `t1`. */
export async function ruleToReceiver(
  eb: EventBridgeClient,
  endpoint: string,
  rule: { EventPattern: string; State?: "ENABLED" | "DISABLED" | "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"; Name?: string },
  target: Partial<Target> = {},
): Promise<{ ruleName: string; ruleArn: string; destinationArn: string }> {
  const name = rule.Name ?? uniqueName("rule");
  const { ConnectionArn } = await eb.send(
    new CreateConnectionCommand({ Name: uniqueName("conn"), AuthorizationType: "API_KEY", AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "x-api-key", ApiKeyValue: "s3cret-key" } } }),
  );
  const { ApiDestinationArn } = await eb.send(
    new CreateApiDestinationCommand({ Name: uniqueName("dest"), ConnectionArn, InvocationEndpoint: endpoint, HttpMethod: "POST" }),
  );
  const { RuleArn } = await eb.send(new PutRuleCommand({ Name: name, EventPattern: rule.EventPattern, State: rule.State }));
  const put = await eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: "t1", Arn: ApiDestinationArn, ...target }] }));
  if (put.FailedEntryCount !== 0) throw new Error(`PutTargets failed: ${JSON.stringify(put.FailedEntries)}`);
  return { ruleName: name, ruleArn: RuleArn!, destinationArn: ApiDestinationArn! };
}
