import { IAMClient, CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { STSClient, type Credentials as StsCredentials } from "@aws-sdk/client-sts";
import type { CairnProcess, Credentials } from "./cairn-process.js";
import { signedPost, type RawRequest } from "./raw.js";

/** The same Cairn, seen by another caller: hand it to any client helper (`cloudMap(as(cairn, creds))`). */
export function as(cairn: CairnProcess, credentials: Credentials): CairnProcess {
  return { ...cairn, credentials };
}

export function iam(cairn: CairnProcess): IAMClient {
  return new IAMClient({ endpoint: cairn.url, region: "us-east-1", credentials: cairn.credentials, maxAttempts: 1 });
}

/** The credentials an STS answer carries, as the SDK clients take them. */
export const sessionCredentials = (c: StsCredentials | undefined): Credentials => ({ accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! });

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
export function signedQueryRequest(endpoint: string, credentials: Credentials, service: "iam" | "sts", form: Record<string, string>): Promise<RawRequest> {
  const body = new URLSearchParams(form).toString();
  return signedPost(endpoint, credentials, body, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, { service });
}
