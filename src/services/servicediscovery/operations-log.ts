import type { OperationContext } from "../operation.js";
import type { OperationType } from "../../store/records.js";
import { newOperationId } from "./ids.js";

/**
 * Records the asynchronous operation behind a namespace, service or instance change. Cairn applies the
 * change inside the call's transaction, so the operation is born SUCCESS; GetOperation still shows it. The row is
 * written alongside what follows (StoreTx.defer): its ID is known at once.
 */
export function completedOperation(
  ctx: OperationContext,
  type: OperationType,
  targets: { namespaceId?: string; serviceId?: string; instanceId?: string },
): string {
  const id = newOperationId(ctx.now);
  ctx.tx.defer(ctx.tx.operations.insert({
    id,
    accountId: ctx.accountId,
    region: ctx.region,
    type,
    status: "SUCCESS",
    ...targets,
    createDate: ctx.now,
    updateDate: ctx.now,
  }));
  return id;
}

/**
 * Idempotency for calls with a client token: a repeated token replays the first call's result instead
 * of doing the work twice.
 */
export async function idempotent<T>(
  ctx: OperationContext,
  operation: string,
  token: string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (token === undefined) return work();
  const earlier = await ctx.tx.tokens.get(ctx.accountId, ctx.region, operation, token);
  if (earlier !== undefined) return earlier as T;
  const result = await work();
  ctx.tx.defer(ctx.tx.tokens.put(ctx.accountId, ctx.region, operation, token, result, ctx.now));
  return result;
}
