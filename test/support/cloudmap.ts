import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { GetOperationCommand, type ServiceDiscoveryClient, type ServiceDiscoveryServiceException } from "@aws-sdk/client-servicediscovery";

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/** Sends a namespace create and follows its operation to the namespace ID. */
export async function createdNamespaceId(sd: ServiceDiscoveryClient, command: object): Promise<string> {
  const { OperationId } = (await sd.send(command as never)) as { OperationId?: string };
  const op = await sd.send(new GetOperationCommand({ OperationId }));
  assert.equal(op.Operation!.Status, "SUCCESS");
  return op.Operation!.Targets!.NAMESPACE!;
}

/** Awaits a call that must fail with the given AWS error code (and message pattern). */
export async function expectError<T>(call: Promise<T>, code: string, message?: RegExp): Promise<ServiceDiscoveryServiceException> {
  try {
    await call;
  } catch (error) {
    const e = error as ServiceDiscoveryServiceException;
    assert.equal(e.name, code, `expected ${code}, got ${e.name}: ${e.message}`);
    if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}
