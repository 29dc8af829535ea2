import { test } from "node:test";
import assert from "node:assert/strict";
import { lookupUsername, userIdentity } from "../../src/audit/user-identity.js";
import type { Principal, SessionFacts } from "../../src/auth/principal.js";

const ACCOUNT = "210987654321";
const session: SessionFacts = { origin: "GetSessionToken", creationDate: "2025-03-04T03:12:00Z", mfaAuthenticated: false };
const attributes = { creationDate: "2025-03-04T03:12:00Z", mfaAuthenticated: "false" };

const cases: Array<{ name: string; principal: Principal; identity: Record<string, unknown>; username: string | undefined }> = [
  {
    name: "Root with its own key",
    principal: { type: "Root", accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, principalId: ACCOUNT, accessKeyId: "AKIAROOT" },
    identity: { type: "Root", principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: "AKIAROOT" },
    username: "root",
  },
  {
    name: "IAMUser through GetSessionToken",
    principal: { type: "IAMUser", accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/dev/maria`, principalId: "AIDA1", accessKeyId: "ASIA1", userName: "maria", session },
    identity: {
      type: "IAMUser",
      principalId: "AIDA1",
      arn: `arn:aws:iam::${ACCOUNT}:user/dev/maria`,
      accountId: ACCOUNT,
      accessKeyId: "ASIA1",
      userName: "maria",
      sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes },
    },
    username: "maria",
  },
  {
    name: "AssumedRole invoked by a service",
    principal: {
      type: "AssumedRole",
      accountId: ACCOUNT,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Task/t1`,
      principalId: "AROA1:t1",
      accessKeyId: "ASIA2",
      roleName: "Task",
      roleArn: `arn:aws:iam::${ACCOUNT}:role/Task`,
      sessionName: "t1",
      session: { ...session, origin: "AssumeRole", issuer: { type: "Role", principalId: "AROA1", arn: `arn:aws:iam::${ACCOUNT}:role/Task`, accountId: ACCOUNT, userName: "Task" } },
      invokedBy: "ecs.amazonaws.com",
    },
    identity: {
      type: "AssumedRole",
      principalId: "AROA1:t1",
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Task/t1`,
      accountId: ACCOUNT,
      accessKeyId: "ASIA2",
      sessionContext: {
        sessionIssuer: { type: "Role", principalId: "AROA1", arn: `arn:aws:iam::${ACCOUNT}:role/Task`, accountId: ACCOUNT, userName: "Task" },
        webIdFederationData: {},
        attributes,
      },
      invokedBy: "ecs.amazonaws.com",
    },
    username: "t1",
  },
  {
    name: "AssumedRole with a source identity",
    principal: {
      type: "AssumedRole",
      accountId: ACCOUNT,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Ops/s1`,
      principalId: "AROA2:s1",
      accessKeyId: "ASIA4",
      roleName: "Ops",
      roleArn: `arn:aws:iam::${ACCOUNT}:role/Ops`,
      sessionName: "s1",
      session: { ...session, origin: "AssumeRole", sourceIdentity: "alice", issuer: { type: "Role", principalId: "AROA2", arn: `arn:aws:iam::${ACCOUNT}:role/Ops`, accountId: ACCOUNT, userName: "Ops" } },
    },
    identity: {
      type: "AssumedRole",
      principalId: "AROA2:s1",
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Ops/s1`,
      accountId: ACCOUNT,
      accessKeyId: "ASIA4",
      sessionContext: {
        sessionIssuer: { type: "Role", principalId: "AROA2", arn: `arn:aws:iam::${ACCOUNT}:role/Ops`, accountId: ACCOUNT, userName: "Ops" },
        webIdFederationData: {},
        attributes,
        sourceIdentity: "alice",
      },
    },
    username: "s1",
  },
  {
    name: "FederatedUser issued by root",
    principal: {
      type: "FederatedUser",
      accountId: ACCOUNT,
      arn: `arn:aws:sts::${ACCOUNT}:federated-user/ana`,
      principalId: `${ACCOUNT}:ana`,
      accessKeyId: "ASIA3",
      federatedName: "ana",
      session: { ...session, origin: "GetFederationToken", issuer: { type: "Root", principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT } },
    },
    identity: {
      type: "FederatedUser",
      principalId: `${ACCOUNT}:ana`,
      arn: `arn:aws:sts::${ACCOUNT}:federated-user/ana`,
      accountId: ACCOUNT,
      accessKeyId: "ASIA3",
      sessionContext: { sessionIssuer: { type: "Root", principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT }, webIdFederationData: {}, attributes },
    },
    username: "ana",
  },
  {
    name: "AWSService",
    principal: { type: "AWSService", accountId: ACCOUNT, arn: "ecs.amazonaws.com", principalId: "ecs.amazonaws.com", accessKeyId: "AKIASVC", service: "ecs.amazonaws.com" },
    identity: { type: "AWSService", invokedBy: "ecs.amazonaws.com" },
    username: undefined,
  },
];

for (const c of cases) {
  test(`userIdentity: ${c.name}`, () => {
    const identity = userIdentity(c.principal);
    assert.deepEqual(identity, c.identity);
    // Field order is AWS's, and JSON keeps it.
    assert.equal(JSON.stringify(identity), JSON.stringify(c.identity));
    assert.equal(lookupUsername(c.principal), c.username);
  });
}
