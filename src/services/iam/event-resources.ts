/**
 * LookupEvents' `Resources` of IAM events, as CloudTrail names them: users, groups and roles by name, managed
 * policies (and permissions boundaries) by ARN, inline policies by name, access keys by ID. Taken from the members
 * every IAM operation uses for them, so that a lookup follows an entity through all of its calls.
 */
import type { EventResource } from "../../store/records.js";

const INPUT_MEMBERS: readonly [member: string, type: string][] = [
  ["UserName", "AWS::IAM::User"],
  ["NewUserName", "AWS::IAM::User"],
  ["GroupName", "AWS::IAM::Group"],
  ["RoleName", "AWS::IAM::Role"],
  ["PolicyArn", "AWS::IAM::Policy"],
  ["PermissionsBoundary", "AWS::IAM::Policy"],
  ["PolicyName", "AWS::IAM::Policy"],
  ["AccessKeyId", "AWS::IAM::AccessKey"],
];

type Output = { AccessKey?: { AccessKeyId?: string; UserName?: string }; Policy?: { Arn?: string }; User?: { UserName?: string }; Role?: { RoleName?: string } };

export function iamEventResources(input: Record<string, unknown>, output: Output | undefined): EventResource[] {
  const out: EventResource[] = [];
  const add = (type: string, name: unknown) => {
    if (typeof name === "string" && name !== "" && !out.some((r) => r.type === type && r.name === name)) out.push({ type, name });
  };
  // CreatePolicy's name is only the start of the ARN that names the policy from then on.
  const createdPolicy = output?.Policy?.Arn;
  for (const [member, type] of INPUT_MEMBERS) {
    if (member === "PolicyName" && createdPolicy) continue;
    add(type, input[member]);
  }
  add("AWS::IAM::Policy", createdPolicy);
  add("AWS::IAM::AccessKey", output?.AccessKey?.AccessKeyId);
  add("AWS::IAM::User", output?.AccessKey?.UserName);
  add("AWS::IAM::User", output?.User?.UserName);
  add("AWS::IAM::Role", output?.Role?.RoleName);
  return out;
}
