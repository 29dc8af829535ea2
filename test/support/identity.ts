import { Sha256 } from "@aws-crypto/sha256-js";
import { IAMClient, CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { CairnProcess, Credentials } from "./cairn-process.js";
import type { RawRequest } from "./raw.js";

/** The same Cairn, seen by another caller: hand it to any client helper (`cloudMap(as(cairn, creds))`). */
export function as(cairn: CairnProcess, credentials: Credentials): CairnProcess {
  return { ...cairn, credentials };
}

export function iam(cairn: CairnProcess): IAMClient {
  return new IAMClient({ endpoint: cairn.url, region: "us-east-1", credentials: cairn.credentials, maxAttempts: 1 });
}

export function sts(cairn: CairnProcess, region = "us-east-1"): STSClient {
  return new STSClient({ endpoint: cairn.url, region, credentials: cairn.credentials, maxAttempts: 1 });
}

/** Creates an IAM user with one inline policy and an access key; returns the key. */
export async function userWithPolicy(cairn: CairnProcess, userName: string, policy: object | undefined, path = "/"): Promise<Credentials> {
  const client = iam(cairn);
  await client.send(new CreateUserCommand({ UserName: userName, Path: path }));
  if (policy) await client.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: "inline", PolicyDocument: JSON.stringify(policy) }));
  const { AccessKey } = await client.send(new CreateAccessKeyCommand({ UserName: userName }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

export function allow(actions: string | string[], resources: string | string[] = "*", condition?: object): object {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: resources, ...(condition ? { Condition: condition } : {}) }] };
}

/** An awsQuery form request signed by the SDK's own signer, for checking the XML wire format byte by byte. */
export async function signedQueryRequest(endpoint: string, credentials: Credentials, service: "iam" | "sts", form: Record<string, string>): Promise<RawRequest> {
  const url = new URL(endpoint);
  const body = new URLSearchParams(form).toString();
  const request = new HttpRequest({
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: "/",
    headers: { host: url.host, "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body,
  });
  const signer = new SignatureV4({ credentials, region: "us-east-1", service, sha256: Sha256 });
  const signed = await signer.sign(request);
  return { url: endpoint, headers: signed.headers as Record<string, string>, body };
}
