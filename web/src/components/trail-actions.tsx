import { DeleteTrailCommand, StartLoggingCommand, StopLoggingCommand, type Trail } from "@aws-sdk/client-cloudtrail";
import type { Clients } from "../lib/aws.js";
import { ConfirmDialog } from "./action-dialog.js";

/** Starts or stops a trail's logging (by ARN, so a trail of another home region is named exactly). */
export async function setLogging(clients: Clients, trail: Trail, on: boolean): Promise<void> {
  const input = { Name: trail.TrailARN };
  await clients.cloudTrail.send(on ? new StartLoggingCommand(input) : new StopLoggingCommand(input));
}

/** Delete trail, after the user confirms; its delivered files stay in the bucket. */
export function DeleteTrailDialog(props: { clients: Clients; trail: Trail; onDone: () => void; onClose: () => void }) {
  return (
    <ConfirmDialog
      title="Delete trail"
      submitLabel="Delete"
      run={async () => {
        await props.clients.cloudTrail.send(new DeleteTrailCommand({ Name: props.trail.TrailARN }));
      }}
      onDone={props.onDone}
      onClose={props.onClose}
    >
      <p>
        Delete trail <strong>{props.trail.Name}</strong>? It stops delivering events; the log files already in{" "}
        <span class="mono">{props.trail.S3BucketName}</span> stay there.
      </p>
    </ConfirmDialog>
  );
}
