// The lab page: the same events reach three panes by short polling, long
// polling and WebSocket. Every piece of data goes into the page with
// textContent, never innerHTML: an event's text is never parsed as HTML.
"use strict";

// A pane shows one transport's events and counters.
function pane(id) {
  const el = document.getElementById(id);
  const p = {
    requests: 0, latencySum: 0, received: 0,
    log: document.getElementById(id + "-log"),
    // show adds an event with its latency: now minus the server's time.
    show(e) {
      const ms = Date.now() - Date.parse(e.time);
      p.received++;
      p.latencySum += ms;
      const li = document.createElement("li");
      const lat = document.createElement("span");
      lat.className = "ms";
      lat.textContent = ms + " ms";
      li.append(lat, "#" + e.id + " " + e.data);
      p.log.prepend(li);
      while (p.log.children.length > 200) p.log.lastChild.remove();
      el.querySelector(".latency").textContent = Math.round(p.latencySum / p.received) + " ms";
    },
    countRequest() { el.querySelector(".requests").textContent = String(++p.requests); },
    setBytes(n) { el.querySelector(".bytes").textContent = n.toLocaleString("en"); },
  };
  return p;
}

const panes = { poll: pane("poll"), longpoll: pane("longpoll"), ws: pane("ws") };
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ANCHOR: shortpoll
// Short polling: ask, show what came, wait the interval, ask again.
async function shortPoll(since) {
  for (;;) {
    try {
      panes.poll.countRequest();
      const events = await (await fetch("poll?since=" + since)).json();
      for (const e of events) { panes.poll.show(e); since = e.id; }
    } catch (err) { await wait(1000); }
    await wait(Number(document.getElementById("interval").value) || 1000);
  }
}
// ANCHOR_END: shortpoll

// ANCHOR: longpoll
// Long polling: ask, and ask again the moment the answer arrives.
async function longPoll(since) {
  for (;;) {
    try {
      panes.longpoll.countRequest();
      const events = await (await fetch("longpoll?since=" + since)).json();
      for (const e of events) { panes.longpoll.show(e); since = e.id; }
    } catch (err) { await wait(1000); }
  }
}
// ANCHOR_END: longpoll

// ANCHOR: websocket
// WebSocket: one request, then the server speaks whenever it has news.
function webSocket(since) {
  const url = new URL("ws?since=" + since, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(url);
  const status = document.getElementById("ws-status");
  panes.ws.countRequest();
  ws.onopen = () => { status.textContent = "open"; };
  ws.onmessage = (m) => panes.ws.show(JSON.parse(m.data));
  ws.onclose = (c) => { status.textContent = "closed (" + c.code + ")"; };
}
// ANCHOR_END: websocket

// The counters of bytes come from the server's own accounting.
async function refreshStats() {
  for (;;) {
    try {
      const stats = await (await fetch("stats")).json();
      for (const t of ["poll", "longpoll", "ws"]) panes[t].setBytes(stats[t].bytes_in + stats[t].bytes_out);
    } catch (err) { /* the server is gone; try again */ }
    await wait(1000);
  }
}

document.getElementById("publish-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const res = await fetch("publish", { method: "POST", body: document.getElementById("text").value });
  const out = document.getElementById("published");
  out.textContent = res.ok ? "published #" + (await res.json()).id : "refused: " + (await res.text());
});

// All three start from the same cursor: the newest event when the page opened.
(async () => {
  const since = (await (await fetch("stats")).json()).last;
  shortPoll(since);
  longPoll(since);
  webSocket(since);
  refreshStats();
})();
