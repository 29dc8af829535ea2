import assert from "node:assert/strict";
import {
  CreateHttpNamespaceCommand,
  CreatePrivateDnsNamespaceCommand,
  CreatePublicDnsNamespaceCommand,
  CreateServiceCommand,
  GetNamespaceCommand,
  GetOperationCommand,
  RegisterInstanceCommand,
  type CreateServiceCommandInput,
  type Service,
  type ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { createdNamespaceId, uniqueName } from "./cloudmap.js";

export interface TestNamespace {
  id: string;
  arn: string;
  name: string;
  httpName: string;
}

/** Creates a namespace of the given kind and reads back its ID, ARN and HttpName. */
export async function namespace(sd: ServiceDiscoveryClient, kind: "http" | "private" | "public" = "http", name?: string): Promise<TestNamespace> {
  const chosen = name ?? (kind === "http" ? uniqueName("ns") : `${uniqueName("ns")}.${kind === "private" ? "internal" : "example.com"}`);
  const command =
    kind === "http"
      ? new CreateHttpNamespaceCommand({ Name: chosen })
      : kind === "private"
        ? new CreatePrivateDnsNamespaceCommand({ Name: chosen, Vpc: "vpc-0123456789" })
        : new CreatePublicDnsNamespaceCommand({ Name: chosen });
  const id = await createdNamespaceId(sd, command);
  const ns = (await sd.send(new GetNamespaceCommand({ Id: id }))).Namespace!;
  return { id, arn: ns.Arn!, name: chosen, httpName: ns.Properties!.HttpProperties!.HttpName! };
}

export async function service(sd: ServiceDiscoveryClient, input: Partial<CreateServiceCommandInput> & { NamespaceId: string }): Promise<Service> {
  const { Service } = await sd.send(new CreateServiceCommand({ Name: uniqueName("svc"), ...input }));
  assert.ok(Service?.Id, "CreateService returns the service");
  return Service;
}

/** Registers an instance and checks that its operation succeeded; returns the operation ID. */
export async function register(
  sd: ServiceDiscoveryClient,
  serviceId: string,
  instanceId: string,
  attributes: Record<string, string> = {},
  creatorRequestId?: string,
): Promise<string> {
  const { OperationId } = await sd.send(new RegisterInstanceCommand({ ServiceId: serviceId, InstanceId: instanceId, Attributes: attributes, CreatorRequestId: creatorRequestId }));
  const op = (await sd.send(new GetOperationCommand({ OperationId }))).Operation!;
  assert.equal(op.Status, "SUCCESS");
  return OperationId!;
}
