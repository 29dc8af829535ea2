import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ListNamespacesCommand } from "@aws-sdk/client-servicediscovery";
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateUserCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand, GetFederationTokenCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { startCairn, type CairnProcess, type Credentials } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { expectError } from "../support/cloudmap.js";
import { allow, as, iam, sts, sessionCredentials, userWithPolicy } from "../support/identity.js";


function trust(aws: string | string[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: aws }, Action: "sts:AssumeRole" }] });
}

async function trustedPrincipals(cairn: CairnProcess, roleName: string): Promise<unknown> {
  const { Role } = await iam(cairn).send(new GetRoleCommand({ RoleName: roleName }));
  const doc = JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)) as { Statement: { Principal: { AWS: unknown } }[] };
  return doc.Statement[0]!.Principal.AWS;
}

/** Deletes a user with one inline policy named "inline" and the given keys. */
async function deleteUser(cairn: CairnProcess, userName: string, keys: Credentials[]): Promise<void> {
  for (const key of keys) await iam(cairn).send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: key.accessKeyId }));
  await iam(cairn).send(new DeleteUserPolicyCommand({ UserName: userName, PolicyName: "inline" }));
  await iam(cairn).send(new DeleteUserCommand({ UserName: userName }));
}

describe("IAM principals are their unique ids", () => {
  let cairn: CairnProcess;
  let account: string;
  before(async () => {
    cairn = await startCairn();
    account = cairn.accountId;
  });
  after(async () => {
    await cairn.stop();
  });

  it("a role session is allowed nothing once its role is deleted, even when a namesake with more rights is created", async () => {
    const caller = await userWithPolicy(cairn, "assumer", allow("sts:AssumeRole"));
    const create = async (policy: object) => {
      await iam(cairn).send(new CreateRoleCommand({ RoleName: "Deployer", AssumeRolePolicyDocument: trust(`arn:aws:iam::${account}:root`) }));
      await iam(cairn).send(new PutRolePolicyCommand({ RoleName: "Deployer", PolicyName: "p", PolicyDocument: JSON.stringify(policy) }));
    };
    await create(allow("servicediscovery:ListNamespaces"));
    const deployerArn = `arn:aws:iam::${account}:role/Deployer`;
    const { Role: oldDeployer } = await iam(cairn).send(new GetRoleCommand({ RoleName: "Deployer" }));
    // A role that trusts Deployer (role chaining) must not trust a later Deployer.
    await iam(cairn).send(new CreateRoleCommand({ RoleName: "Chained", AssumeRolePolicyDocument: trust(deployerArn) }));
    const session = sessionCredentials((await sts(as(cairn, caller)).send(new AssumeRoleCommand({ RoleArn: deployerArn, RoleSessionName: "s1" }))).Credentials);
    await cloudMap(as(cairn, session)).send(new ListNamespacesCommand({}));
    await iam(cairn).send(new DeleteRolePolicyCommand({ RoleName: "Deployer", PolicyName: "p" }));
    await iam(cairn).send(new DeleteRoleCommand({ RoleName: "Deployer" }));
    assert.equal(await trustedPrincipals(cairn, "Chained"), oldDeployer!.RoleId);
    await create(allow("*"));
    const namesake = sessionCredentials((await sts(as(cairn, caller)).send(new AssumeRoleCommand({ RoleArn: deployerArn, RoleSessionName: "s2" }))).Credentials);
    await assert.rejects(
      sts(as(cairn, namesake)).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/Chained`, RoleSessionName: "s3" })),
      (e: Error) => e.name === "AccessDenied" && /because no role trust policy allows the sts:AssumeRole action/.test(e.message),
    );

    await expectError(cloudMap(as(cairn, session)).send(new ListNamespacesCommand({})), "UnrecognizedClientException", /The security token included in the request is invalid/);
    await expectError(iam(as(cairn, session)).send(new ListUsersCommand({})), "InvalidClientTokenId");
    await expectError(sts(as(cairn, session)).send(new GetCallerIdentityCommand({})), "InvalidClientTokenId");
  });

  it("a user's GetSessionToken and GetFederationToken sessions die with the user and never take a re-created namesake's policies", async () => {
    const temp = await userWithPolicy(cairn, "temp", allow(["sts:GetSessionToken", "sts:GetFederationToken", "servicediscovery:ListNamespaces"]));
    const session = sessionCredentials((await sts(as(cairn, temp)).send(new GetSessionTokenCommand({}))).Credentials);
    const federated = sessionCredentials((await sts(as(cairn, temp)).send(new GetFederationTokenCommand({ Name: "fed", Policy: JSON.stringify(allow("*")) }))).Credentials);
    await cloudMap(as(cairn, session)).send(new ListNamespacesCommand({}));
    await cloudMap(as(cairn, federated)).send(new ListNamespacesCommand({}));
    await deleteUser(cairn, "temp", [temp]);
    await iam(cairn).send(new CreateUserCommand({ UserName: "temp" }));
    await iam(cairn).send(new PutUserPolicyCommand({ UserName: "temp", PolicyName: "inline", PolicyDocument: JSON.stringify(allow("*")) }));

    for (const creds of [session, federated]) {
      await expectError(cloudMap(as(cairn, creds)).send(new ListNamespacesCommand({})), "UnrecognizedClientException");
      await expectError(sts(as(cairn, creds)).send(new GetCallerIdentityCommand({})), "InvalidClientTokenId");
    }
  });

  it("refuses a trust policy naming a user or role that does not exist, exactly as stored", async () => {
    await userWithPolicy(cairn, "real", undefined, "/team/");
    const ghost = `arn:aws:iam::${account}:user/ghost`;
    await expectError(
      iam(cairn).send(new CreateRoleCommand({ RoleName: "Haunted", AssumeRolePolicyDocument: trust([`arn:aws:iam::${account}:root`, ghost]) })),
      "MalformedPolicyDocumentException",
      new RegExp(`^Invalid principal in policy: "AWS":"${ghost}"$`),
    );
    await expectError(iam(cairn).send(new GetRoleCommand({ RoleName: "Haunted" })), "NoSuchEntityException");
    // The right name on the wrong path, or in the wrong case, is not the user.
    for (const wrong of [`arn:aws:iam::${account}:user/real`, `arn:aws:iam::${account}:user/team/REAL`, `arn:aws:iam::${account}:role/Nothing`]) {
      await expectError(iam(cairn).send(new CreateRoleCommand({ RoleName: "Haunted", AssumeRolePolicyDocument: trust(wrong) })), "MalformedPolicyDocumentException", /^Invalid principal in policy: "AWS":/);
    }
    await iam(cairn).send(new CreateRoleCommand({ RoleName: "Haunted", AssumeRolePolicyDocument: trust(`arn:aws:iam::${account}:user/team/real`) }));
    await expectError(iam(cairn).send(new UpdateAssumeRolePolicyCommand({ RoleName: "Haunted", PolicyDocument: trust(ghost) })), "MalformedPolicyDocumentException", /Invalid principal in policy/);
    assert.equal(await trustedPrincipals(cairn, "Haunted"), `arn:aws:iam::${account}:user/team/real`);
  });

  it("a trust policy naming a deleted user is rewritten to its unique id, so a re-created namesake is not trusted", async () => {
    const bob = await userWithPolicy(cairn, "bob", allow("servicediscovery:ListNamespaces"));
    const bobArn = `arn:aws:iam::${account}:user/bob`;
    const { User } = await iam(cairn).send(new GetUserCommand({ UserName: "bob" }));
    await iam(cairn).send(new CreateRoleCommand({ RoleName: "ForBob", AssumeRolePolicyDocument: trust(bobArn) }));
    await sts(as(cairn, bob)).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/ForBob`, RoleSessionName: "bob" }));
    await deleteUser(cairn, "bob", [bob]);
    assert.equal(await trustedPrincipals(cairn, "ForBob"), User!.UserId);
    // The id names no one: handed back in a new document it is refused like any unknown principal.
    await expectError(iam(cairn).send(new UpdateAssumeRolePolicyCommand({ RoleName: "ForBob", PolicyDocument: trust(User!.UserId!) })), "MalformedPolicyDocumentException", /Invalid principal in policy: "AWS":"AIDA/);

    const newBob = await userWithPolicy(cairn, "bob", allow("servicediscovery:ListNamespaces"));
    await assert.rejects(
      sts(as(cairn, newBob)).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/ForBob`, RoleSessionName: "bob" })),
      (e: Error) => e.name === "AccessDenied" && /because no role trust policy allows the sts:AssumeRole action/.test(e.message),
    );
  });

  it("a trust policy follows a renamed user to its new ARN", async () => {
    const carol = await userWithPolicy(cairn, "carol", undefined);
    await iam(cairn).send(new CreateRoleCommand({ RoleName: "ForCarol", AssumeRolePolicyDocument: trust(`arn:aws:iam::${account}:user/carol`) }));
    await iam(cairn).send(new UpdateUserCommand({ UserName: "carol", NewUserName: "carol2", NewPath: "/moved/" }));
    assert.equal(await trustedPrincipals(cairn, "ForCarol"), `arn:aws:iam::${account}:user/moved/carol2`);
    const assumed = await sts(as(cairn, carol)).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/ForCarol`, RoleSessionName: "c1" }));
    assert.equal(assumed.AssumedRoleUser?.Arn, `arn:aws:sts::${account}:assumed-role/ForCarol/c1`);
    // A new "carol" is not the one the role trusts.
    const impostor = await userWithPolicy(cairn, "carol", allow("sts:AssumeRole", `arn:aws:iam::${account}:role/Other`));
    await assert.rejects(sts(as(cairn, impostor)).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/ForCarol`, RoleSessionName: "c1" })), /AccessDenied|not authorized/);
  });

  it("UpdateUser is authorised on both the current and the new name and path", async () => {
    const helpdesk = await userWithPolicy(cairn, "helpdesk", allow("iam:UpdateUser", `arn:aws:iam::${account}:user/dev/*`));
    await iam(cairn).send(new CreateUserCommand({ UserName: "victim", Path: "/dev/" }));
    await iam(cairn).send(new CreateAccessKeyCommand({ UserName: "victim" }));
    const attack = (input: { NewPath?: string; NewUserName?: string }) => iam(as(cairn, helpdesk)).send(new UpdateUserCommand({ UserName: "victim", ...input }));
    await expectError(
      attack({ NewPath: "/" }),
      "AccessDenied",
      new RegExp(`^User: arn:aws:iam::${account}:user/helpdesk is not authorized to perform: iam:UpdateUser on resource: arn:aws:iam::${account}:user/victim because`),
    );
    await expectError(attack({ NewPath: "/admins/", NewUserName: "root-ish" }), "AccessDenied", /on resource: arn:aws:iam::\d{12}:user\/admins\/root-ish because/);
    assert.equal((await iam(cairn).send(new GetUserCommand({ UserName: "victim" }))).User?.Arn, `arn:aws:iam::${account}:user/dev/victim`);
    // Within /dev/ the helpdesk may rename.
    await attack({ NewUserName: "victim2" });
    assert.equal((await iam(cairn).send(new GetUserCommand({ UserName: "victim2" }))).User?.Arn, `arn:aws:iam::${account}:user/dev/victim2`);
  });
});
