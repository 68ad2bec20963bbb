// Trellis dev server: reloads this page when the site is rebuilt, swaps
// stylesheets when only CSS changed, and shows build errors over the page.
// Injected by `trellis serve` only; never part of a built site.
(() => {
  "use strict";
  const script = document.currentScript;
  const here = new URL(script.src);
  let build = here.searchParams.get("build");
  const eventsUrl = new URL("events", here);
  let source = null;
  let retry = null;
  // What the stream said last, for tests and for a look from the console.
  const state = (window.__trellisReload = { connected: false, build });

  const OVERLAY_ID = "trellis-overlay";

  function hideOverlay() {
    const old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
  }

  function el(tag, style, text) {
    const node = document.createElement(tag);
    Object.assign(node.style, style);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Built from text nodes only: messages quote the mentor's file, which is
  // never to be parsed as HTML.
  function showOverlay(diagnostics, lastGoodServed) {
    hideOverlay();
    const box = el("div", {
      position: "fixed", inset: "0", zIndex: "2147483647", overflow: "auto",
      background: "rgba(20, 20, 24, 0.97)", color: "#f4f4f5",
      font: "14px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace",
      padding: "2rem",
    });
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-label", "Build failed");
    const close = el("button", {
      position: "absolute", top: "1rem", right: "1rem", font: "inherit",
      background: "transparent", color: "inherit", border: "1px solid #71717a",
      borderRadius: "4px", cursor: "pointer", padding: "0.2rem 0.6rem",
    }, "Close");
    close.addEventListener("click", hideOverlay);
    box.appendChild(close);
    box.appendChild(el("h2", { margin: "0 0 0.5rem", color: "#fca5a5", font: "inherit", fontSize: "1.3em" },
      "Build failed"));
    box.appendChild(el("p", { margin: "0 0 1.5rem", color: "#a1a1aa" },
      (lastGoodServed ? "The last good build is still served. " : "") +
      "Fix the file and save: this page updates by itself."));
    for (const d of diagnostics) {
      const item = el("div", { margin: "0 0 1.25rem", paddingLeft: "0.8rem",
        borderLeft: "3px solid " + (d.severity === "error" ? "#f87171" : "#fbbf24") });
      const where = d.line > 0 ? `${d.file}:${d.line}:${Math.max(d.column, 1)}` : d.file;
      item.appendChild(el("div", { color: "#93c5fd" }, where));
      item.appendChild(el("div", { whiteSpace: "pre-wrap" }, `${d.severity}[${d.code}]: ${d.message}`));
      if (d.help) item.appendChild(el("div", { color: "#a1a1aa", whiteSpace: "pre-wrap" }, `help: ${d.help}`));
      box.appendChild(item);
    }
    document.documentElement.appendChild(box);
  }

  function swapStylesheets() {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("trellis", Date.now().toString(36));
      link.href = url.href;
    }
  }

  function connect() {
    clearTimeout(retry);
    source = new EventSource(eventsUrl);
    source.addEventListener("hello", (e) => {
      const now = JSON.parse(e.data).build;
      if (build && now !== build) location.reload();
      build = now;
      Object.assign(state, { connected: true, build });
    });
    source.addEventListener("reload", () => location.reload());
    source.addEventListener("css", (e) => {
      build = JSON.parse(e.data).build;
      hideOverlay();
      swapStylesheets();
    });
    // A server event named "error" and a lost connection share the event
    // name; only the server's carries data.
    source.addEventListener("error", (e) => {
      if (typeof e.data === "string") {
        const failed = JSON.parse(e.data);
        showOverlay(failed.diagnostics, failed.last_good_served);
        return;
      }
      state.connected = false;
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (e.g. the server answered while restarting):
        // keep trying; the next hello names a new build and reloads.
        retry = setTimeout(connect, 1000);
      }
    });
  }

  window.addEventListener("pagehide", () => {
    clearTimeout(retry);
    if (source) source.close();
  });
  window.addEventListener("pageshow", (e) => {
    if (e.persisted) connect();
  });
  connect();
})();
