// The frame inspector of the shared page of "WebSocket in Go".
//
// A page's script sees messages, never frames: so the server reports them.
// Before each connection the page asks its server for a token (POST
// /inspect/new), opens the echo socket with ?inspect=TOKEN, and opens a
// second socket, /inspect?token=TOKEN, on which the server's wire tap sends
// one JSON record per frame, and one for the handshake (package web/tap).
// A server without the tap answers the POST with an error, and the page
// works as before, uninspected.
//
// Everything from the wire is written with textContent, never innerHTML.
"use strict";

window.inspector = (function () {
  const rows = document.querySelector("#frames tbody");
  const status = document.getElementById("inspector-status");
  const request = document.getElementById("handshake-request");
  const response = document.getElementById("handshake-response");
  const key = document.getElementById("handshake-key");
  const accept = document.getElementById("handshake-accept");
  const expected = document.getElementById("handshake-expected");

  // maxRows bounds the panel: the oldest rows go first.
  const maxRows = 1000;

  let watcher = null;
  let count = 0;

  function say(text) {
    status.textContent = text;
  }

  function reset() {
    if (watcher) {
      watcher.onclose = null;
      watcher.close();
      watcher = null;
    }
    rows.replaceChildren();
    for (const el of [request, response, key, accept, expected]) {
      el.textContent = "";
    }
    count = 0;
  }

  // ANCHOR: watch
  // watch returns, as a promise, the URL to open the echo socket at: url
  // with ?inspect=TOKEN when the server gave a token, url itself when it
  // has no inspector (or the page talks to another server, ?ws=).
  function watch(url) {
    reset();
    if (new URLSearchParams(location.search).get("ws")) {
      say("The inspector watches only the server that served this page.");
      return Promise.resolve(url);
    }
    return fetch("/inspect/new", { method: "POST", cache: "no-store" })
      .then((answer) =>
        answer.ok ? answer.json() : Promise.reject(new Error(answer.status)),
      )
      .then((body) => {
        open(body.token);
        const target = new URL(url);
        target.searchParams.set("inspect", body.token);
        return target.toString();
      })
      .catch(() => {
        say("This server has no frame inspector.");
        return url;
      });
  }
  // ANCHOR_END: watch

  function open(token) {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    watcher = new WebSocket(scheme + location.host + "/inspect?token=" + encodeURIComponent(token));
    say("Watching this page's connection.");
    watcher.onmessage = (event) => {
      const record = JSON.parse(event.data);
      switch (record.kind) {
        case "handshake":
          showHandshake(record.handshake);
          break;
        case "frame":
          showFrame(record.frame);
          break;
        case "dropped":
          say(`${record.dropped} records were dropped: the inspector fell behind.`);
          break;
        case "closed":
          say("The TCP connection is closed.");
          break;
      }
    };
    watcher.onclose = (event) => {
      if (event.code !== 1000) {
        say(`The inspector stopped (code ${event.code}).`);
      }
    };
  }

  function showHandshake(h) {
    request.textContent = h.request;
    response.textContent = h.response;
    key.textContent = h.key;
    accept.textContent = h.accept || "(none)";
    const match = h.accept && h.accept === h.expected ? "  ✓ the same" : "  ✗ not what the server sent";
    expected.textContent = h.expected + (h.status === 101 ? match : "");
  }

  // ANCHOR: row
  // showFrame adds a row for one frame. Its data attributes carry the
  // header's fields as numbers, for tests and for your own scripts.
  function showFrame(f) {
    const row = document.createElement("tr");
    row.className = "frame " + f.dir;
    row.dataset.dir = f.dir;
    row.dataset.fin = f.fin ? "1" : "0";
    row.dataset.rsv = String(f.rsv);
    row.dataset.opcode = String(f.opcode);
    row.dataset.mask = f.mask ? "1" : "0";
    row.dataset.len = String(f.len);
    count++;
    const more = f.shown < f.len ? " …" : "";
    const cells = [
      String(count),
      f.dir === "in" ? "→ in" : "← out",
      f.fin ? "1" : "0",
      f.rsv.toString(2).padStart(3, "0"),
      `${f.opcode} ${f.name}`,
      f.mask ? "1" : "0",
      `${f.len} (${f.lenBits}-bit)`,
      f.mask ? f.key : "—",
      f.mask ? f.sent + more : "—",
      f.payload + more,
      describe(f),
    ];
    for (const text of cells) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.append(cell);
    }
    rows.append(row);
    while (rows.children.length > maxRows) {
      rows.firstElementChild.remove();
    }
  }
  // ANCHOR_END: row

  // describe is the last column: a close frame's code and reason, a
  // compressed message inflated (permessage-deflate: RSV1), or the
  // payload's first bytes as text when they are UTF-8.
  function describe(f) {
    if (f.compressed) {
      if (f.inflateError) {
        return "compressed, " + f.inflateError;
      }
      if (!f.fin) {
        return "compressed (permessage-deflate); the message goes on";
      }
      const text = typeof f.text === "string" ? f.text + (f.inflatedLen > 32 ? "…" : "") : "(not UTF-8)";
      return `inflated ${f.inflatedLen} bytes: ${text}`;
    }
    if (f.name === "close") {
      if (f.closeError) {
        return "broken close body: " + f.closeError;
      }
      return `code ${f.closeCode}` + (f.closeReason ? `, reason "${f.closeReason}"` : "");
    }
    if (typeof f.text === "string") {
      return f.text + (f.shown < f.len ? "…" : "");
    }
    return "—";
  }

  return { watch };
})();
