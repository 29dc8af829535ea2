import { errors as ctErrors } from "../../generated/cloudtrail.js";
import type * as ct from "../../generated/cloudtrail.js";
import { noResourceType, operation } from "../operation.js";

/**
 * ListPublicKeys: the region's digest-signing keys whose validity overlaps the
 * range (default: now). It only lists: a region has keys once a trail has signed a digest there (AWS: "public keys
 * whose private keys were used to sign the digest files"). `Value` is the PKCS#1 DER, sent as base64 once.
 */
export const ListPublicKeys = operation<ct.ListPublicKeysRequest, ct.ListPublicKeysResponse>({
  authorize: noResourceType,
  validationErrors: { StartTime: ctErrors.InvalidTimeRangeException, EndTime: ctErrors.InvalidTimeRangeException },
  async handle(input, ctx) {
    const now = ctx.now.getTime();
    const start = input.StartTime?.getTime() ?? now;
    const end = input.EndTime?.getTime() ?? now;
    if (start > end) throw ctErrors.InvalidTimeRangeException("Start time must be at or before end time.");
    const keys = await ctx.tx.signingKeys.list(ctx.region);
    return {
      PublicKeyList: keys
        .filter((k) => k.validFrom <= end && k.validTo >= start)
        .map((k) => ({
          Value: new Uint8Array(k.publicKeyDer),
          ValidityStartTime: new Date(k.validFrom),
          ValidityEndTime: new Date(k.validTo),
          Fingerprint: k.fingerprint,
        })),
    };
  },
});
