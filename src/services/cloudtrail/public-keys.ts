import type * as ct from "../../generated/cloudtrail.js";
import type { SecretBox } from "../../auth/secret-box.js";
import { currentSigningKey } from "../../delivery/signing-keys.js";
import { ServiceError } from "../../protocol/errors.js";
import { operation } from "../operation.js";

/**
 * ListPublicKeys (spec cloudtrail.md §4.7, §6.6): the region's digest-signing keys whose validity overlaps the
 * range (default: now). `Value` is the PKCS#1 DER, which the codec sends as base64 once.
 */
export function listPublicKeys(box: SecretBox) {
  return operation<ct.ListPublicKeysRequest, ct.ListPublicKeysResponse>({
    readOnly: true,
    recorded: true,
    validationErrors: { StartTime: "InvalidTimeRangeException", EndTime: "InvalidTimeRangeException" },
    async handle(input, ctx) {
      const now = ctx.now.getTime();
      const start = input.StartTime?.getTime() ?? now;
      const end = input.EndTime?.getTime() ?? now;
      if (start > end) throw new ServiceError("InvalidTimeRangeException", "Start time must be at or before end time.");
      // The region always has a current key, so a validator finds one even before the first digest.
      await currentSigningKey(ctx.tx, ctx.region, now, box);
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
}
