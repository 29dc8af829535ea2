import { useState } from "preact/hooks";
import { ListNamespacesCommand } from "@aws-sdk/client-servicediscovery";
import { createClients, isRefusedCall } from "../lib/aws.js";
import { useServedRegions } from "../lib/regions.js";
import type { Session } from "../lib/session.js";
import { ErrorBanner } from "../components/status.js";

/**
 * Sign-in with an access key. The key is tried with one signed call before it is kept: a key Cairn does not
 * accept, or no answer from Cairn at all, is reported here, while a key that is merely not allowed that call is
 * still a valid sign-in.
 */
export function SignIn({ onSignIn }: { onSignIn: (session: Session) => void }) {
  const [accessKeyId, setAccessKeyId] = useState("");
  const [secretAccessKey, setSecretAccessKey] = useState("");
  const [sessionToken, setSessionToken] = useState("");
  const [region, setRegion] = useState("us-east-1");
  const regions = useServedRegions() ?? [region];
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const session: Session = { accessKeyId: accessKeyId.trim(), secretAccessKey: secretAccessKey.trim(), region };
    if (sessionToken.trim()) session.sessionToken = sessionToken.trim();
    setBusy(true);
    setError(undefined);
    try {
      await createClients(session).cloudMap.send(new ListNamespacesCommand({ MaxResults: 1 }));
      onSignIn(session);
    } catch (failure) {
      if (isRefusedCall(failure)) return onSignIn(session);
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <form class="card sign-in-card" onSubmit={submit} aria-busy={busy}>
        <h1>Sign in to Cairn</h1>
        <p class="hint">Use an access key for this Cairn. It is kept in this browser tab only and forgotten when you sign out or close the tab.</p>
        <label for="access-key-id">Access key ID</label>
        <input id="access-key-id" name="accessKeyId" autocomplete="username" spellcheck={false} required value={accessKeyId} onInput={(e) => setAccessKeyId(e.currentTarget.value)} />
        <label for="secret-access-key">Secret access key</label>
        <input id="secret-access-key" name="secretAccessKey" type="password" autocomplete="current-password" required value={secretAccessKey} onInput={(e) => setSecretAccessKey(e.currentTarget.value)} />
        <label for="session-token">
          Session token <span class="optional">(optional, for temporary credentials)</span>
        </label>
        <textarea id="session-token" name="sessionToken" rows={2} spellcheck={false} value={sessionToken} onInput={(e) => setSessionToken(e.currentTarget.value)} />
        <label for="sign-in-region">Region</label>
        <select id="sign-in-region" name="region" required value={region} onChange={(e) => setRegion(e.currentTarget.value)}>
          {regions.map((r) => (
            <option value={r} key={r}>
              {r}
            </option>
          ))}
        </select>
        {error !== undefined ? <ErrorBanner error={error} title="Sign-in failed." /> : null}
        <button type="submit" class="button button-primary button-block" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
