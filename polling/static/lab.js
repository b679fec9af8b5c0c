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

// getEvents fetches a poll. It returns null when the server answers 400,
// which it does to a cursor ahead of its newest event: the server was
// restarted and counts from 1 again.
async function getEvents(url) {
  const res = await fetch(url);
  if (res.status === 400) return null;
  if (!res.ok) throw new Error(res.status + " " + (await res.text()));
  return res.json();
}

// newestId is the id of the server's newest event, from /stats.
async function newestId() {
  return (await (await fetch("stats")).json()).last;
}

// ANCHOR: shortpoll
// Short polling: ask, show what came, wait the interval, ask again.
async function shortPoll(since) {
  for (;;) {
    try {
      panes.poll.countRequest();
      const events = await getEvents("poll?since=" + since);
      if (events === null) since = 0; // a new server: its events are all new
      else for (const e of events) { panes.poll.show(e); since = e.id; }
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
      const events = await getEvents("longpoll?since=" + since);
      if (events === null) since = 0;
      else for (const e of events) { panes.longpoll.show(e); since = e.id; }
    } catch (err) { await wait(1000); }
  }
}
// ANCHOR_END: longpoll

// ANCHOR: websocket
// WebSocket: one request, then the server speaks whenever it has news.
// If the connection closes, connect again from the last event seen.
function webSocket(since) {
  const url = new URL("ws?since=" + since, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(url);
  const status = document.getElementById("ws-status");
  panes.ws.countRequest();
  ws.onopen = () => { status.textContent = "open"; };
  ws.onmessage = (m) => { const e = JSON.parse(m.data); panes.ws.show(e); since = e.id; };
  ws.onclose = async (c) => {
    status.textContent = "closed (" + c.code + "), reconnecting";
    await wait(2000);
    const last = await newestId().catch(() => since);
    webSocket(last < since ? 0 : since); // a new server starts again from 0
  };
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
  const since = await newestId();
  shortPoll(since);
  longPoll(since);
  webSocket(since);
  refreshStats();
})();
