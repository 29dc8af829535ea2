import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateRoleCommand, GetRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { startCairn, type CairnProcess, type Credentials } from "../support/cairn-process.js";
import { allow, as, iam, sts, userWithPolicy } from "../support/identity.js";

/** An attacker's RoleArn must name the role exactly; otherwise AWS answers AccessDenied on the ARN as sent. */
async function refused(cairn: CairnProcess, attacker: Credentials, callerArn: string, roleArn: string, reason?: RegExp): Promise<void> {
  await assert.rejects(sts(as(cairn, attacker)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "attack" })), (e: Error & { $metadata: { httpStatusCode?: number } }) => {
    assert.equal(e.name, "AccessDenied", `${roleArn}: ${e.name} ${e.message}`);
    assert.equal(e.$metadata.httpStatusCode, 403);
    assert.ok(e.message.startsWith(`User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`), e.message);
    if (reason) assert.match(e.message, reason);
    return true;
  });
}

describe("IAM escalation: AssumeRole authorises against the role's real ARN", () => {
  let cairn: CairnProcess;
  let account: string;
  let adminArn: string;
  before(async () => {
    cairn = await startCairn();
    account = cairn.accountId;
    const trustAccount = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "sts:AssumeRole" }] });
    adminArn = (await iam(cairn).send(new CreateRoleCommand({ RoleName: "Admin", AssumeRolePolicyDocument: trustAccount }))).Role!.Arn!;
    await iam(cairn).send(new PutRolePolicyCommand({ RoleName: "Admin", PolicyName: "all", PolicyDocument: JSON.stringify(allow("*")) }));
    await iam(cairn).send(new CreateRoleCommand({ RoleName: "Worker", Path: "/dev/", AssumeRolePolicyDocument: trustAccount }));
  });
  after(async () => {
    await cairn.stop();
  });

  it("a user allowed only role/dev/* cannot assume role/Admin by sending role/dev/Admin", async () => {
    const dev = await userWithPolicy(cairn, "dev-only", allow("sts:AssumeRole", `arn:aws:iam::${account}:role/dev/*`));
    const devArn = `arn:aws:iam::${account}:user/dev-only`;
    // The legitimate path still works.
    const worker = await sts(as(cairn, dev)).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/dev/Worker`, RoleSessionName: "ok" }));
    assert.equal(worker.AssumedRoleUser?.Arn, `arn:aws:sts::${account}:assumed-role/Worker/ok`);
    await refused(cairn, dev, devArn, `arn:aws:iam::${account}:role/dev/Admin`);
    await refused(cairn, dev, devArn, `arn:aws:iam::${account}:role/dev/x/Admin`);
    await refused(cairn, dev, devArn, `arn:aws:iam::${account}:role/dev/ADMIN`);
    await refused(cairn, dev, devArn, adminArn, /because no identity-based policy allows the sts:AssumeRole action$/);
  });

  it("an explicit Deny on role/Admin is not passed with role/ADMIN, role/x/Admin or another account", async () => {
    const policy = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" },
        { Effect: "Deny", Action: "sts:AssumeRole", Resource: adminArn },
      ],
    };
    const denied = await userWithPolicy(cairn, "denied", policy);
    const deniedArn = `arn:aws:iam::${account}:user/denied`;
    await refused(cairn, denied, deniedArn, adminArn, /with an explicit deny in an identity-based policy$/);
    for (const variant of [`arn:aws:iam::${account}:role/ADMIN`, `arn:aws:iam::${account}:role/admin`, `arn:aws:iam::${account}:role/x/Admin`, `arn:aws:iam::999999999999:role/Admin`]) {
      await refused(cairn, denied, deniedArn, variant);
    }
    // The role itself is untouched and still trusts the account.
    assert.equal((await iam(cairn).send(new GetRoleCommand({ RoleName: "Admin" }))).Role?.Arn, adminArn);
    await sts(as(cairn, denied)).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/dev/Worker`, RoleSessionName: "ok" }));
  });
});
