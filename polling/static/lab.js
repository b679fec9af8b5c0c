// The lab page: the same events reach four panes by short polling, long
// polling, Server-Sent Events and WebSocket. Every piece of data goes into the page with
// textContent, never innerHTML: an event's text is never parsed as HTML.
"use strict";

// A pane shows one transport's events and counters.
function pane(id) {
  const el = document.getElementById(id);
  const p = {
    latencySum: 0, received: 0, lost: 0,
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
    // showLost counts events that left the server's ring before this pane
    // asked for them (X-Events-Lost, or the WebSocket's {"lost": ...}).
    showLost(lost) {
      p.lost += lost.to - lost.from + 1;
      const range = "#" + lost.from + "-#" + lost.to;
      el.querySelector(".lost").textContent = p.lost + " (last: " + range + ")";
      const li = document.createElement("li");
      li.className = "lost";
      li.textContent = "lost " + range + ": gone from the server before this page asked";
      p.log.prepend(li);
    },
    // setCounts shows the server's counts of this transport's requests
    // and bytes since the baseline.
    setCounts(requests, bytes) {
      el.querySelector(".requests").textContent = requests.toLocaleString("en");
      el.querySelector(".bytes").textContent = bytes.toLocaleString("en");
    },
    // reset starts the page's own counts (latency, events lost) again.
    reset() {
      p.received = 0; p.latencySum = 0; p.lost = 0;
      el.querySelector(".latency").textContent = "–";
      el.querySelector(".lost").textContent = "0";
    },
  };
  return p;
}

const transports = ["poll", "longpoll", "sse", "ws"];
const panes = Object.fromEntries(transports.map((t) => [t, pane(t)]));
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ANCHOR: get_events
// getEvents fetches a poll: {events, lost, more}. lost is the range of ids
// the server no longer had (header X-Events-Lost: "6-81"), or null; more
// says the answer was cut short at 1 MiB (X-Events-More: true), so ask
// again at once. It returns null when the server answers 400, which it does
// to a cursor ahead of its newest event: the server was restarted and
// counts from 1 again.
async function getEvents(url) {
  const res = await fetch(url);
  if (res.status === 400) return null;
  if (!res.ok) throw new Error(res.status + " " + (await res.text()));
  const range = /^(\d+)-(\d+)$/.exec(res.headers.get("X-Events-Lost") || "");
  return {
    events: await res.json(),
    lost: range && { from: Number(range[1]), to: Number(range[2]) },
    more: res.headers.get("X-Events-More") === "true",
  };
}
// ANCHOR_END: get_events

// showAll shows an answer in a pane and returns the new cursor.
function showAll(pane, got, since) {
  if (got.lost) pane.showLost(got.lost);
  for (const e of got.events) { pane.show(e); since = e.id; }
  return since;
}

// newestId is the id of the server's newest event, from /stats.
async function newestId() {
  return (await (await fetch("stats")).json()).last;
}

// ANCHOR: shortpoll
// Short polling: ask, show what came, wait the interval, ask again (at
// once if the answer said there is more).
async function shortPoll(since) {
  for (;;) {
    let more = false;
    try {
      const got = await getEvents("poll?since=" + since);
      if (got === null) since = 0; // a new server: its events are all new
      else { since = showAll(panes.poll, got, since); more = got.more; }
    } catch (err) { await wait(1000); }
    if (!more) await wait(Number(document.getElementById("interval").value) || 1000);
  }
}
// ANCHOR_END: shortpoll

// ANCHOR: longpoll
// Long polling: ask, and ask again the moment the answer arrives.
async function longPoll(since) {
  for (;;) {
    try {
      const got = await getEvents("longpoll?since=" + since);
      if (got === null) since = 0;
      else since = showAll(panes.longpoll, got, since);
    } catch (err) { await wait(1000); }
  }
}
// ANCHOR_END: longpoll

// ANCHOR: eventsource
// Server-Sent Events: one long GET that the server writes events into. The
// browser's EventSource parses "id:" and "data:", and when the stream ends
// it reconnects by itself, after the server's "retry:", sending the last
// id it saw as Last-Event-ID. The server starts there: nothing is missed.
// An event of type "lost" names ids that left the ring before we asked.
function serverSentEvents(since) {
  const es = new EventSource("sse?since=" + since);
  const status = document.getElementById("sse-status");
  let lastId = null, opens = 0;
  es.onopen = () => {
    status.textContent = "open";
    if (opens++ > 0) {
      document.getElementById("sse-reconnects").textContent = String(opens - 1);
      const resumed = document.getElementById("sse-resumed");
      resumed.textContent = lastId === null ? "–" : "#" + lastId;
    }
  };
  es.onmessage = (m) => { panes.sse.show(JSON.parse(m.data)); lastId = m.lastEventId; };
  es.addEventListener("lost", (m) => panes.sse.showLost(JSON.parse(m.data)));
  es.onerror = () => {
    // CONNECTING: the browser will retry by itself. CLOSED: the server
    // answered with an error (400 to a cursor from an earlier server), so
    // start again from 0, as the other panes do.
    if (es.readyState === EventSource.CONNECTING) {
      status.textContent = "reconnecting";
      return;
    }
    status.textContent = "closed, starting again";
    es.close();
    wait(2000).then(() => serverSentEvents(0));
  };
}
// ANCHOR_END: eventsource

// ANCHOR: websocket
// WebSocket: one request, then the server speaks whenever it has news.
// Each message is an event, or {"lost": {"from": 6, "to": 81}} before the
// first event after a gap. If the connection closes, connect again from
// the last event seen.
// The shared page's frame inspector (web/inspector.js) watches the socket:
// watch gives the URL a token, and the frames show below the panes.
async function webSocket(since) {
  const url = new URL("ws?since=" + since, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(await inspector.watch(url.toString()));
  const status = document.getElementById("ws-status");
  ws.onopen = () => { status.textContent = "open"; };
  ws.onmessage = (m) => {
    const e = JSON.parse(m.data);
    if (e.lost) { panes.ws.showLost(e.lost); return; }
    panes.ws.show(e);
    since = e.id;
  };
  ws.onclose = async (c) => {
    status.textContent = "closed (" + c.code + "), reconnecting";
    await wait(2000);
    const last = await newestId().catch(() => since);
    webSocket(last < since ? 0 : since); // a new server starts again from 0
  };
}
// ANCHOR_END: websocket

// The counters of requests and bytes are the server's own (/stats), less
// the baseline: the server's counts when this page opened, or when Reset
// was pressed. Both come from the same source over the same span, so
// bytes per request is a fair division; every page open on this server
// adds to them.
let baseline = null;
let latest = null;
const zero = { requests: 0, bytes_in: 0, bytes_out: 0 };

function showCounts() {
  if (latest === null || baseline === null) return;
  if (transports.some((t) => latest[t].requests < baseline[t].requests)) {
    // A new server counts from zero again.
    baseline = Object.fromEntries(transports.map((t) => [t, zero]));
  }
  for (const t of transports) {
    panes[t].setCounts(latest[t].requests - baseline[t].requests,
      latest[t].bytes_in + latest[t].bytes_out - baseline[t].bytes_in - baseline[t].bytes_out);
  }
}

async function refreshStats() {
  for (;;) {
    try {
      latest = await (await fetch("stats")).json();
      showCounts();
    } catch (err) { /* the server is gone; try again */ }
    await wait(1000);
  }
}

document.getElementById("reset").addEventListener("click", () => {
  baseline = latest;
  for (const t of transports) panes[t].reset();
  showCounts();
});

document.getElementById("publish-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const res = await fetch("publish", { method: "POST", body: document.getElementById("text").value });
  const out = document.getElementById("published");
  out.textContent = res.ok ? "published #" + (await res.json()).id : "refused: " + (await res.text());
});

// All four start from the same cursor: the newest event when the page
// opened, or the page's ?since=N, to replay from event N.
(async () => {
  const asked = new URLSearchParams(location.search).get("since");
  latest = baseline = await (await fetch("stats")).json(); // before the first request
  const since = /^\d+$/.test(asked || "") ? Number(asked) : baseline.last;
  shortPoll(since);
  longPoll(since);
  serverSentEvents(since);
  webSocket(since);
  refreshStats();
})();
