// The whole configuration lives in one state object, the server's Config, which round-trips
// through the URL: the server parses the query and sends back the canonical one, written here.
export function query() {
  const params = new URLSearchParams(location.search);
  params.delete("token");
  return params.toString();
}

export function token() {
  return new URLSearchParams(location.search).get("token") || "";
}

export function writeUrl(canonical) {
  const params = new URLSearchParams(canonical);
  const t = token();
  const readable = params.toString().replaceAll("%2C", ",").replaceAll("%3A", ":");
  history.replaceState(null, "", `${location.pathname}?${t ? `token=${encodeURIComponent(t)}&` : ""}${readable}`);
  return readable;
}

// URL flags hide views and controls: ?hide=controls,editing gives a focused page.
export function applyHidden(hide) {
  for (const el of document.querySelectorAll("[data-view]")) el.classList.toggle("view-hidden", hide.includes(el.dataset.view));
}

// Elements marked data-kind="2d regression" show only for those kinds of data.
export function applyKind(kind) {
  for (const el of document.querySelectorAll("[data-kind]")) {
    el.style.display = el.dataset.kind.split(" ").includes(kind) ? "" : "none";
  }
}
