import { randomBytes } from "node:crypto";
import { newAccessKeyId, newSecretAccessKey } from "../../auth/bootstrap.js";
import type { Principal } from "../../auth/principal.js";
import type { OperationContext } from "../operation.js";

const EXPIRED_GRACE_MS = 24 * 3600_000;

export interface IssuedCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
}


/**
 * Mints temporary credentials for `principal` and stores them sealed, so that any node sharing the store can
 * verify them. The session token is opaque: random bytes, checked against the stored (sealed) copy.
 */
export async function issueCredentials(
  ctx: OperationContext,
  principal: Omit<Principal, "accessKeyId">,
  durationSeconds: number,
): Promise<IssuedCredentials> {
  // Each issue clears a few long-expired sessions, so the table stays as large as the live ones. A day's grace keeps
  // answering ExpiredToken (rather than an unknown key) to clients that have not refreshed yet.
  await ctx.tx.iam.deleteSessionsExpiredBefore(new Date(ctx.now.getTime() - EXPIRED_GRACE_MS), 20);
  const accessKeyId = newAccessKeyId("ASIA");
  const secret = newSecretAccessKey();
  const token = randomBytes(192).toString("base64");
  // Expirations are whole seconds, as AWS gives them.
  const expiration = new Date(Math.floor(ctx.now.getTime() / 1000) * 1000 + durationSeconds * 1000);
  await ctx.tx.iam.createSession({
    accessKeyId,
    accountId: principal.accountId,
    secretAccessKey: ctx.deps.box.seal(secret),
    sessionToken: ctx.deps.box.seal(token),
    principal: JSON.stringify(principal),
    expiration,
    createdAt: ctx.now,
  });
  return { AccessKeyId: accessKeyId, SecretAccessKey: secret, SessionToken: token, Expiration: expiration };
}
