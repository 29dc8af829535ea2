/**
 * The signed-in identity: an access key (and session token, for temporary credentials) and the region to work in.
 * Kept in sessionStorage, so it lives only as long as this browser tab and never reaches disk-backed storage.
 */
export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
}

const KEY = "cairn.console.session";

export function loadSession(): Session | undefined {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<Session>;
    if (typeof value.accessKeyId !== "string" || typeof value.secretAccessKey !== "string" || typeof value.region !== "string") {
      return undefined;
    }
    const session: Session = { accessKeyId: value.accessKeyId, secretAccessKey: value.secretAccessKey, region: value.region };
    if (typeof value.sessionToken === "string" && value.sessionToken) session.sessionToken = value.sessionToken;
    return session;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
