import { errors as sdErrors } from "../../generated/servicediscovery.js";
import type * as sd from "../../generated/servicediscovery.js";
import { operation } from "../operation.js";
import * as facts from "./authorization.js";
import { requireService, serviceResource } from "./service-lookup.js";

/** A service's own key/value attributes: not tags, not instance attributes; deleted with the service. */
export const GetServiceAttributes = operation<sd.GetServiceAttributesRequest, sd.GetServiceAttributesResponse>({
  authorize: facts.serviceByServiceId({}),
  async handle(input, ctx) {
    const svc = await requireService(ctx, input.ServiceId);
    // A service without attributes answers an empty map rather than leaving the member out.
    return { ServiceAttributes: { ServiceArn: svc.arn, ResourceOwner: svc.accountId, Attributes: await ctx.tx.serviceAttributes.get(svc.id) } };
  },
  resources: (input) => [serviceResource(input.ServiceId)],
});

/** Adds or overwrites keys; a service holds at most `limits.serviceAttributesPerService` of them afterwards. */
export const UpdateServiceAttributes = operation<sd.UpdateServiceAttributesRequest, sd.UpdateServiceAttributesResponse>({
  authorize: facts.serviceByServiceId({ createdBy: true }),
  async handle(input, ctx) {
    const svc = await requireService(ctx, input.ServiceId);
    const existing = await ctx.tx.serviceAttributes.get(svc.id);
    const keys = new Set([...Object.keys(existing), ...Object.keys(input.Attributes)]);
    const limit = ctx.limits.serviceAttributesPerService;
    if (keys.size > limit) {
      throw sdErrors.ServiceAttributesLimitExceededException(`A service can have at most ${limit} attributes; this update would leave ${keys.size}.`,
      );
    }
    await ctx.tx.serviceAttributes.put(svc.id, input.Attributes);
    return {};
  },
  resources: (input) => [serviceResource(input.ServiceId)],
});

/** Removes keys; keys the service does not have are ignored. */
export const DeleteServiceAttributes = operation<sd.DeleteServiceAttributesRequest, sd.DeleteServiceAttributesResponse>({
  authorize: facts.serviceByServiceId({ createdBy: true }),
  async handle(input, ctx) {
    const svc = await requireService(ctx, input.ServiceId);
    await ctx.tx.serviceAttributes.remove(svc.id, input.Attributes);
    return {};
  },
  resources: (input) => [serviceResource(input.ServiceId)],
});
