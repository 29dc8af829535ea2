import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { createClients, type Clients } from "./lib/aws.js";
import { useServedRegions } from "./lib/regions.js";
import { href, useRoute, type Route } from "./lib/route.js";
import { clearSession, loadSession, saveSession, type Session } from "./lib/session.js";
import { Dashboard } from "./pages/dashboard.js";
import { EventHistory } from "./pages/event-history.js";
import { InstancePage } from "./pages/instance.js";
import { NamespacePage } from "./pages/namespace.js";
import { Namespaces } from "./pages/namespaces.js";
import { Operations } from "./pages/operations.js";
import { ServicePage } from "./pages/service.js";
import { SignIn } from "./pages/sign-in.js";
import { TrailPage } from "./pages/trail.js";
import { Trails } from "./pages/trails.js";

export function App() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const route = useRoute();
  const clients = useMemo(() => (session ? createClients(session) : undefined), [session]);
  const served = useServedRegions();
  const content = useRef<HTMLDivElement>(null);
  const firstRoute = useRef(true);
  // The page itself, not its search (Event history keeps its search in the URL too).
  const place = JSON.stringify({ ...route, query: undefined });
  useEffect(() => {
    // After navigating, start keyboard and screen-reader users at the new page rather than on a vanished link.
    if (firstRoute.current) firstRoute.current = false;
    else content.current?.focus();
  }, [place]);

  const signIn = (next: Session): void => {
    saveSession(next);
    setSession(next);
  };
  const signOut = (): void => {
    clearSession();
    setSession(undefined);
    window.location.hash = "";
  };

  const changeRegion = (region: string): void => {
    // A namespace or service belongs to one region: leave its page for the new region's namespace list.
    if (route.page === "namespace" || route.page === "service" || route.page === "instance") window.location.hash = href({ page: "namespaces" });
    if (route.page === "trail") window.location.hash = href({ page: "trails" });
    signIn({ ...session!, region });
  };

  if (!session || !clients) return <SignIn onSignIn={signIn} />;

  const regions = served ?? [session.region];
  const section = { dashboard: "dashboard", events: "events", trails: "trails", trail: "trails", namespaces: "cloudmap", operations: "cloudmap", namespace: "cloudmap", service: "cloudmap", instance: "cloudmap" }[route.page];
  return (
    <>
      <button type="button" class="skip-link" onClick={() => document.getElementById("content")?.focus()}>
        Skip to content
      </button>
      <header class="topbar">
        <span class="brand">Cairn</span>
        <nav aria-label="Main">
          <a href={href({ page: "dashboard" })} aria-current={section === "dashboard" ? "page" : undefined}>
            Dashboard
          </a>
          <a href={href({ page: "namespaces" })} aria-current={section === "cloudmap" ? "page" : undefined}>
            Cloud Map
          </a>
          <a href={href({ page: "events" })} aria-current={section === "events" ? "page" : undefined}>
            Event history
          </a>
          <a href={href({ page: "trails" })} aria-current={section === "trails" ? "page" : undefined}>
            Trails
          </a>
        </nav>
        <div class="topbar-end">
          <label for="region-select" class="visually-hidden">
            Region
          </label>
          <select id="region-select" value={session.region} onChange={(e) => changeRegion(e.currentTarget.value)}>
            {regions.map((r) => (
              <option value={r} key={r}>
                {r}
              </option>
            ))}
          </select>
          <span class="identity mono" title="Signed in with this access key">
            {session.accessKeyId}
          </span>
          <button type="button" class="button button-small" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <div id="content" tabIndex={-1} ref={content}>
        <Page route={route} clients={clients} region={session.region} clientsFor={(region) => createClients({ ...session, region })} />
      </div>
    </>
  );
}

function Page({ route, clients, region, clientsFor }: { route: Route; clients: Clients; region: string; clientsFor: (region: string) => Clients }) {
  switch (route.page) {
    case "dashboard":
      return <Dashboard clients={clients} region={region} clientsFor={clientsFor} />;
    case "operations":
      return <Operations clients={clients} region={region} />;
    case "namespaces":
      return <Namespaces clients={clients} region={region} />;
    case "namespace":
      return <NamespacePage clients={clients} region={region} namespaceId={route.namespaceId} />;
    case "service":
      return <ServicePage clients={clients} region={region} namespaceId={route.namespaceId} serviceId={route.serviceId} />;
    case "instance":
      return <InstancePage clients={clients} region={region} {...route} />;
    case "events":
      return <EventHistory clients={clients} region={region} search={route.query ?? ""} />;
    case "trails":
      return <Trails clients={clients} region={region} />;
    case "trail":
      return <TrailPage clients={clients} region={region} trail={route.trail} />;
  }
}
