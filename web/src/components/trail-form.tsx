import { useState } from "preact/hooks";
import {
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  UpdateTrailCommand,
  type GetEventSelectorsCommandOutput,
  type ReadWriteType,
  type Trail,
} from "@aws-sdk/client-cloudtrail";
import type { Clients } from "../lib/aws.js";
import { ActionDialog } from "./action-dialog.js";
import { AttributesEditor, type AttributePair } from "./attributes-editor.js";

type Management = ReadWriteType | "None";

/** The management events a trail's basic selectors record ("None" when they exclude them). */
function managementOf(selectors: GetEventSelectorsCommandOutput | undefined): Management {
  const first = selectors?.EventSelectors?.[0];
  if (!first) return "All";
  return first.IncludeManagementEvents === false ? "None" : (first.ReadWriteType ?? "All");
}

/**
 * Create trail (no `trail`) or Edit trail. Creating follows AWS's console: the trail applies to all regions,
 * takes global service events and validates its log files unless unchecked, and starts logging at once.
 */
export function TrailFormDialog(props: {
  clients: Clients;
  trail?: Trail;
  selectors?: GetEventSelectorsCommandOutput;
  onClose: () => void;
  onDone: (name: string) => void;
}) {
  const { clients, trail } = props;
  const editing = trail !== undefined;
  const advanced = Boolean(props.selectors?.AdvancedEventSelectors?.length);
  const [name, setName] = useState(trail?.Name ?? "");
  const [bucket, setBucket] = useState(trail?.S3BucketName ?? "");
  const [prefix, setPrefix] = useState(trail?.S3KeyPrefix ?? "");
  const [validation, setValidation] = useState(trail?.LogFileValidationEnabled ?? true);
  const [multiRegion, setMultiRegion] = useState(trail?.IsMultiRegionTrail ?? true);
  const [globalEvents, setGlobalEvents] = useState(trail?.IncludeGlobalServiceEvents ?? true);
  const [management, setManagement] = useState<Management>(managementOf(props.selectors));
  const [tags, setTags] = useState<AttributePair[]>([]);

  const submit = async (): Promise<void> => {
    const settings = {
      Name: editing ? trail.TrailARN! : name.trim(),
      S3BucketName: bucket.trim(),
      // An unchanged (or, on create, empty) prefix is not sent.
      ...(prefix.trim() !== (trail?.S3KeyPrefix ?? "") ? { S3KeyPrefix: prefix.trim() } : {}),
      EnableLogFileValidation: validation,
      IsMultiRegionTrail: multiRegion,
      IncludeGlobalServiceEvents: globalEvents,
    };
    let arn: string;
    if (editing) {
      arn = (await clients.cloudTrail.send(new UpdateTrailCommand(settings))).TrailARN ?? trail.TrailARN!;
    } else {
      const TagsList = tags.filter((t) => t.key.trim()).map((t) => ({ Key: t.key.trim(), Value: t.value }));
      const created = await clients.cloudTrail.send(new CreateTrailCommand({ ...settings, TagsList }));
      arn = created.TrailARN!;
    }
    if (!advanced && management !== managementOf(props.selectors)) {
      const EventSelectors = [{ ReadWriteType: management === "None" ? "All" : management, IncludeManagementEvents: management !== "None" }];
      await clients.cloudTrail.send(new PutEventSelectorsCommand({ TrailName: arn, EventSelectors }));
    }
    if (!editing) await clients.cloudTrail.send(new StartLoggingCommand({ Name: arn }));
    props.onDone(editing ? trail.Name! : name.trim());
  };

  return (
    <ActionDialog title={editing ? "Edit trail" : "Create trail"} submitLabel={editing ? "Save changes" : "Create trail"} onSubmit={submit} onClose={props.onClose}>
      <label for="trail-name">Trail name</label>
      <input id="trail-name" required value={name} disabled={editing} onInput={(e) => setName(e.currentTarget.value)} spellcheck={false} />
      <label for="trail-bucket">S3 bucket</label>
      <input id="trail-bucket" required value={bucket} onInput={(e) => setBucket(e.currentTarget.value)} spellcheck={false} />
      <label for="trail-prefix">
        Prefix <span class="optional">(optional)</span>
      </label>
      <input id="trail-prefix" value={prefix} onInput={(e) => setPrefix(e.currentTarget.value)} spellcheck={false} />
      <fieldset>
        <legend>Trail settings</legend>
        <label class="choice">
          <input type="checkbox" checked={multiRegion} onChange={(e) => setMultiRegion(e.currentTarget.checked)} />
          Multi-region trail (applies to all regions)
        </label>
        <label class="choice">
          <input type="checkbox" checked={globalEvents} onChange={(e) => setGlobalEvents(e.currentTarget.checked)} />
          Include global service events (IAM, STS)
        </label>
        <label class="choice">
          <input type="checkbox" checked={validation} onChange={(e) => setValidation(e.currentTarget.checked)} />
          Log file validation
        </label>
      </fieldset>
      <label for="trail-management">Management events</label>
      {advanced ? (
        <p class="hint" id="trail-management">
          This trail uses advanced event selectors; they are kept as they are.
        </p>
      ) : (
        <select id="trail-management" value={management} onChange={(e) => setManagement(e.currentTarget.value as Management)}>
          <option value="All">Read and write</option>
          <option value="ReadOnly">Read only</option>
          <option value="WriteOnly">Write only</option>
          <option value="None">None</option>
        </select>
      )}
      {editing ? null : (
        <AttributesEditor pairs={tags} onChange={setTags} legend="Tags" noun="Tag" />
      )}
    </ActionDialog>
  );
}
