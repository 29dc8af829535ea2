import { GetOperationCommand, type ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";

/**
 * Cloud Map's namespace and instance changes are asynchronous operations: wait until the operation is done, as
 * AWS's console does, and turn a failed operation into an error. (Cairn completes them within the call.)
 */
export async function waitForOperation(client: ServiceDiscoveryClient, operationId: string | undefined): Promise<void> {
  if (!operationId) return;
  for (let delay = 250; ; delay = Math.min(delay * 2, 2000)) {
    const { Operation } = await client.send(new GetOperationCommand({ OperationId: operationId }));
    if (Operation?.Status === "SUCCESS") return;
    if (Operation?.Status === "FAIL") {
      const error = new Error(Operation.ErrorMessage ?? "The operation failed.");
      error.name = Operation.ErrorCode ?? "OperationFailed";
      throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
