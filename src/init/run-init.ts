import type { RootPrincipal } from "../auth/principal.js";
import type { ApiDef } from "../services/operation.js";
import type { Pipeline } from "../server/pipeline.js";
import type { Router } from "../server/router.js";
import type { Store } from "../store/store.js";
import { applyInit } from "./apply-init.js";
import { InitFileError, readInitFile } from "./init-file.js";
import { internalCaller } from "./internal-call.js";

/** CloudTrail's userAgent of every call `--init` makes. */
export const INIT_USER_AGENT = "cairn-init";

/** `--init FILE`: applies the file as the account's root user, before the server accepts requests. */
export async function runInitFile(
  file: string,
  deps: {
    apis: readonly ApiDef[];
    router: Router;
    pipeline: Pipeline;
    store: Store;
    accountId: string;
    defaultRegion: string;
    regions: readonly string[];
    dataDir: string;
  },
): Promise<void> {
  const root = readInitFile(file);
  const region = root.region === undefined ? deps.defaultRegion : String(root.region);
  if (!deps.regions.includes(region)) throw new InitFileError(`--init ${file}: $.region: ${region} is not a served region`);
  const principal: RootPrincipal = {
    type: "Root",
    accountId: deps.accountId,
    arn: `arn:aws:iam::${deps.accountId}:root`,
    principalId: deps.accountId,
    // CloudTrail's userIdentity.accessKeyId: the root key, as if the operator had made the calls with it.
    accessKeyId: (await deps.store.transaction((tx) => tx.accounts.rootAccessKeyId(deps.accountId), { readOnly: true })) ?? "",
  };
  const call = internalCaller(deps, { principal, region, userAgent: INIT_USER_AGENT, sourceIp: "127.0.0.1" });
  const model = (name: string) => deps.apis.find((a) => a.signingName === name)!.model;
  await applyInit(root, {
    file,
    call,
    store: deps.store,
    accountId: deps.accountId,
    region,
    dataDir: deps.dataDir,
    models: { servicediscovery: model("servicediscovery"), iam: model("iam"), cloudtrail: model("cloudtrail") },
  });
}
