import { useEffect, useState } from "preact/hooks";

/** The console's pages, addressed by the URL fragment so links, reloads and the back button all work. */
export type Route =
  | { page: "dashboard" }
  | { page: "namespaces" }
  | { page: "operations" }
  | { page: "namespace"; namespaceId: string }
  | { page: "service"; namespaceId: string; serviceId: string }
  | { page: "instance"; namespaceId: string; serviceId: string; instanceId: string }
  | { page: "events"; query?: string }
  | { page: "trails" }
  | { page: "trail"; trail: string };

export function parseRoute(hash: string): Route {
  const [path = "", query = ""] = hash.replace(/^#\/?/, "").split("?", 2);
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "events") return { page: "events", query };
  if (parts[0] === "trails" && parts[1]) return { page: "trail", trail: parts[1] };
  if (parts[0] === "trails") return { page: "trails" };
  if (parts[0] === "namespaces" && parts[1] && parts[2] === "services" && parts[3] && parts[4] === "instances" && parts[5]) {
    return { page: "instance", namespaceId: parts[1], serviceId: parts[3], instanceId: parts[5] };
  }
  if (parts[0] === "namespaces" && parts[1] && parts[2] === "services" && parts[3]) {
    return { page: "service", namespaceId: parts[1], serviceId: parts[3] };
  }
  if (parts[0] === "namespaces" && parts[1]) return { page: "namespace", namespaceId: parts[1] };
  if (parts[0] === "namespaces") return { page: "namespaces" };
  if (parts[0] === "operations") return { page: "operations" };
  return { page: "dashboard" };
}

export function href(route: Route): string {
  switch (route.page) {
    case "dashboard":
      return "#/";
    case "namespaces":
      return "#/namespaces";
    case "operations":
      return "#/operations";
    case "namespace":
      return `#/namespaces/${encodeURIComponent(route.namespaceId)}`;
    case "service":
      return `#/namespaces/${encodeURIComponent(route.namespaceId)}/services/${encodeURIComponent(route.serviceId)}`;
    case "instance":
      return `${href({ page: "service", namespaceId: route.namespaceId, serviceId: route.serviceId })}/instances/${encodeURIComponent(route.instanceId)}`;
    case "events":
      return route.query ? `#/events?${route.query}` : "#/events";
    case "trails":
      return "#/trails";
    case "trail":
      return `#/trails/${encodeURIComponent(route.trail)}`;
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
