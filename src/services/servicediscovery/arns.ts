export type CloudMapResourceKind = "namespace" | "service";

export function cloudMapArn(region: string, accountId: string, kind: CloudMapResourceKind, id: string): string {
  return `arn:${partitionOf(region)}:servicediscovery:${region}:${accountId}:${kind}/${id}`;
}

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export interface ParsedArn {
  region: string;
  accountId: string;
  kind: string;
  id: string;
}

/** Splits `arn:<partition>:servicediscovery:<region>:<account>:<kind>/<id>`; undefined if it is not one. */
export function parseCloudMapArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(":");
  if (parts.length !== 6 || parts[0] !== "arn" || parts[2] !== "servicediscovery") return undefined;
  const [, , , region, accountId, resource] = parts as [string, string, string, string, string, string];
  const slash = resource.indexOf("/");
  if (slash <= 0 || !region || !/^\d{12}$/.test(accountId)) return undefined;
  return { region, accountId, kind: resource.slice(0, slash), id: resource.slice(slash + 1) };
}

/**
 * Inputs typed `Arn` take a bare ID or a full ARN. An ARN naming another account, region or kind
 * cannot name a resource of this caller here, so it resolves to nothing (the caller answers "not found").
 */
export function idFromIdOrArn(value: string, kind: CloudMapResourceKind, accountId: string, region: string): string | undefined {
  if (!value.startsWith("arn:")) return value;
  const arn = parseCloudMapArn(value);
  if (!arn || arn.kind !== kind || arn.accountId !== accountId || arn.region !== region) return undefined;
  return arn.id;
}
