import type { IncomingMessage } from "node:http";
import type { WireResponse } from "../protocol/codec.js";
import { accessDenied, renderAuthFailure } from "../protocol/auth-failures.js";
import type { Store } from "../store/store.js";
import { jsonAnswer, type VerifyCairnCall } from "./signed-call.js";

/** The signing name a reset is scoped to (`curl --aws-sigv4 "aws:amz:us-east-1:cairn"`). */
export const CAIRN_SIGNING_NAME = "cairn";

/**
 * Empties the store of everything the APIs created. This node's memory (discovery view, DNS answers, cached keys and
 * policies) hears the deletions from the store's change stream before the transaction returns, so the reset is
 * answered once memory is empty too; other nodes on PostgreSQL hear them through the database's notifications.
 */
export function storeReset(store: Store) {
  return async (): Promise<void> => {
    await store.transaction((tx) => tx.accounts.emptyAllButRoot());
  };
}

/** `POST /_cairn/reset`: refusals are awsJson errors (400, as Cloud Map's); only for the root key itself (not an IAM user, not a session), answered once the store is empty. */
export async function handleReset(req: IncomingMessage, verify: VerifyCairnCall, reset: () => Promise<void>): Promise<WireResponse> {
  const { principal } = await verify(req, CAIRN_SIGNING_NAME);
  if (principal.type !== "Root" || principal.session) {
    throw renderAuthFailure(accessDenied(`User: ${principal.arn} is not authorized to perform: cairn:Reset (only the account's root access key may reset Cairn)`), "json");
  }
  await reset();
  return jsonAnswer(200, { status: "empty" });
}
