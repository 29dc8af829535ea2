import fs from "node:fs";
import path from "node:path";
import { PRIVATE_FILE_MODE, makePrivateDir } from "../private-files.js";
import type { ApiModel } from "../protocol/model-types.js";
import type { PolicyOwner } from "../store/iam-records.js";
import type { Store } from "../store/store.js";
import { checkMembers, documentText, InitFileError, list, object, refused, type Entry } from "./init-file.js";
import type { CallApi } from "./internal-call.js";

/** Where the secret access keys `--init` creates are written (0600), by user name. */
export const INIT_KEYS_FILE = "init-access-keys.json";

const NAMESPACE_OPERATIONS: Record<string, string> = {
  HTTP: "CreateHttpNamespace",
  DNS_PRIVATE: "CreatePrivateDnsNamespace",
  DNS_PUBLIC: "CreatePublicDnsNamespace",
};

const TOP_LEVEL = ["region", "namespaces", "policies", "users", "roles", "trails"];

export interface InitDeps {
  file: string;
  call: CallApi;
  store: Store;
  accountId: string;
  region: string;
  dataDir: string;
  models: { servicediscovery: ApiModel; iam: ApiModel; cloudtrail: ApiModel };
}

/**
 * Creates what the file declares and is missing, in file order, each through the API as the root user; what exists
 * (by name, or by instance id) is left as it is, so a second start changes nothing.
 */
export async function applyInit(root: Entry, deps: InitDeps): Promise<void> {
  const { file, call, store, accountId, region, models } = deps;
  for (const key of Object.keys(root)) {
    if (!TOP_LEVEL.includes(key)) throw new InitFileError(`--init ${file}: $.${key}: unknown member (the file takes ${TOP_LEVEL.join(", ")})`);
  }
  const read = <T>(fn: Parameters<Store["transaction"]>[0]) => store.transaction(fn, { readOnly: true }) as Promise<T>;
  const create = async (at: string, signingName: string, operation: string, input: Entry): Promise<Entry> => {
    try {
      return await call(signingName, operation, input);
    } catch (error) {
      throw refused(error, at, file);
    }
  };

  for (const [i, value] of list(root.policies, "$.policies", file).entries()) {
    const at = `$.policies[${i}]`;
    const input = object(value, at, file);
    checkMembers(models.iam, "CreatePolicy", input, [], at, file);
    const exists = await read((tx) => tx.iam.getPolicyByName(accountId, String(input.PolicyName)));
    if (!exists) await create(at, "iam", "CreatePolicy", { ...input, PolicyDocument: documentText(input.PolicyDocument) });
  }

  const ownerPolicies = async (at: string, owner: PolicyOwner, entry: Entry): Promise<void> => {
    const kind = owner.kind === "user" ? "User" : "Role";
    for (const [j, value] of list(entry.Policies, `${at}.Policies`, file).entries()) {
      const where = `${at}.Policies[${j}]`;
      const policy = object(value, where, file);
      checkMembers(models.iam, `Put${kind}Policy`, policy, [], where, file);
      const exists = await read((tx) => tx.iam.getInlinePolicy(accountId, owner, String(policy.PolicyName)));
      if (!exists) await create(where, "iam", `Put${kind}Policy`, { ...policy, [`${kind}Name`]: owner.name, PolicyDocument: documentText(policy.PolicyDocument) });
    }
    const attached = new Set((await read<{ policyArn: string }[]>((tx) => tx.iam.listAttached(accountId, owner))).map((a) => a.policyArn));
    for (const [j, value] of list(entry.AttachedPolicies, `${at}.AttachedPolicies`, file).entries()) {
      // A name is a customer managed policy of this account (on the root path); anything else is an ARN.
      const arn = typeof value === "string" && !value.startsWith("arn:") ? `arn:aws:iam::${accountId}:policy/${value}` : value;
      if (!attached.has(String(arn))) await create(`${at}.AttachedPolicies[${j}]`, "iam", `Attach${kind}Policy`, { [`${kind}Name`]: owner.name, PolicyArn: arn });
    }
  };

  const newKeys: Record<string, { accessKeyId: string; secretAccessKey: string }> = {};
  for (const [i, value] of list(root.users, "$.users", file).entries()) {
    const at = `$.users[${i}]`;
    const { Policies, AttachedPolicies, AccessKey, ...input } = object(value, at, file);
    checkMembers(models.iam, "CreateUser", input, [], at, file);
    const name = String(input.UserName);
    if (!(await read((tx) => tx.iam.getUser(accountId, name)))) await create(at, "iam", "CreateUser", input);
    await ownerPolicies(at, { kind: "user", name }, { Policies, AttachedPolicies });
    if (AccessKey !== undefined && typeof AccessKey !== "boolean") throw new InitFileError(`--init ${file}: ${at}.AccessKey: must be true or false`);
    const keys = await read<unknown[]>((tx) => tx.iam.listAccessKeys(accountId, name));
    if (AccessKey && keys.length === 0) {
      const made = (await create(`${at}.AccessKey`, "iam", "CreateAccessKey", { UserName: name })).AccessKey as Record<string, string>;
      newKeys[name] = { accessKeyId: made.AccessKeyId!, secretAccessKey: made.SecretAccessKey! };
    }
  }
  if (Object.keys(newKeys).length > 0) saveKeys(deps.dataDir, newKeys);

  for (const [i, value] of list(root.roles, "$.roles", file).entries()) {
    const at = `$.roles[${i}]`;
    const { Policies, AttachedPolicies, ...input } = object(value, at, file);
    checkMembers(models.iam, "CreateRole", input, [], at, file);
    const name = String(input.RoleName);
    if (!(await read((tx) => tx.iam.getRole(accountId, name)))) {
      await create(at, "iam", "CreateRole", { ...input, AssumeRolePolicyDocument: documentText(input.AssumeRolePolicyDocument) });
    }
    await ownerPolicies(at, { kind: "role", name }, { Policies, AttachedPolicies });
  }

  for (const [i, value] of list(root.namespaces, "$.namespaces", file).entries()) {
    const at = `$.namespaces[${i}]`;
    const { Type = "HTTP", Services, ...input } = object(value, at, file);
    const operation = NAMESPACE_OPERATIONS[String(Type)];
    if (!operation) throw new InitFileError(`--init ${file}: ${at}.Type: must be HTTP, DNS_PRIVATE or DNS_PUBLIC, not ${JSON.stringify(Type)}`);
    checkMembers(models.servicediscovery, operation, input, [], at, file);
    const find = () =>
      read<{ id: string } | undefined>(async (tx) => (await tx.namespaces.list(accountId, region)).find((n) => n.name.toLowerCase() === String(input.Name).toLowerCase()));
    let namespace = await find();
    if (!namespace) {
      await create(at, "servicediscovery", operation, input);
      namespace = await find();
    }
    for (const [j, serviceValue] of list(Services, `${at}.Services`, file).entries()) {
      const where = `${at}.Services[${j}]`;
      const { Instances, ...service } = object(serviceValue, where, file);
      checkMembers(models.servicediscovery, "CreateService", service, [], where, file);
      const namespaceId = namespace!.id;
      const findService = () =>
        read<{ id: string } | undefined>(async (tx) => (await tx.services.list(accountId, region, { namespaceId }, 100_000)).find((s) => s.name === service.Name));
      const serviceId =
        (await findService())?.id ?? String(((await create(where, "servicediscovery", "CreateService", { ...service, NamespaceId: namespaceId })).Service as Entry).Id);
      for (const [k, instanceValue] of list(Instances, `${where}.Instances`, file).entries()) {
        const there = `${where}.Instances[${k}]`;
        const instance = object(instanceValue, there, file);
        checkMembers(models.servicediscovery, "RegisterInstance", instance, [], there, file);
        if (!(await read((tx) => tx.instances.get(serviceId, String(instance.InstanceId))))) {
          await create(there, "servicediscovery", "RegisterInstance", { ...instance, ServiceId: serviceId });
        }
      }
    }
  }

  for (const [i, value] of list(root.trails, "$.trails", file).entries()) {
    const at = `$.trails[${i}]`;
    // A trail's rules (which events it logs) and whether it logs are set by their own calls after CreateTrail.
    const { StartLogging, EventSelectors, AdvancedEventSelectors, InsightSelectors, ...input } = object(value, at, file);
    checkMembers(models.cloudtrail, "CreateTrail", input, [], at, file);
    const exists = await read((tx) => tx.trails.byArn(accountId, `arn:aws:cloudtrail:${region}:${accountId}:trail/${String(input.Name)}`));
    if (exists) continue;
    await create(at, "cloudtrail", "CreateTrail", input);
    if (EventSelectors !== undefined || AdvancedEventSelectors !== undefined) {
      await create(`${at}.${EventSelectors !== undefined ? "EventSelectors" : "AdvancedEventSelectors"}`, "cloudtrail", "PutEventSelectors", {
        TrailName: input.Name,
        EventSelectors,
        AdvancedEventSelectors,
      });
    }
    if (InsightSelectors !== undefined) await create(`${at}.InsightSelectors`, "cloudtrail", "PutInsightSelectors", { TrailName: input.Name, InsightSelectors });
    if (StartLogging === true) await create(`${at}.StartLogging`, "cloudtrail", "StartLogging", { Name: input.Name });
  }
}

/** Adds new keys to the keys file (0600), keeping those earlier starts wrote. */
function saveKeys(dataDir: string, keys: Record<string, { accessKeyId: string; secretAccessKey: string }>): void {
  makePrivateDir(dataDir);
  const file = path.join(dataDir, INIT_KEYS_FILE);
  const earlier = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>) : {};
  fs.writeFileSync(file, JSON.stringify({ ...earlier, ...keys }, null, 2) + "\n", { mode: PRIVATE_FILE_MODE });
}
