// The chat page of "WebSocket in Go", chapter "Past one machine".
//
// It joins a room on one of the chat servers and shows what is said there.
// When its server goes away it joins again on the next one, with since set
// to the id of the last message it showed: the server replays what was said
// meanwhile, so the log has no gap and no duplicate.
// Before every connect, first or after a failover, it asks that server for
// a single-use ticket (POST /ticket with its session cookie) and opens the
// socket with it: /ws?ticket=TICKET.
// Everything the server sends is written with textContent, never innerHTML:
// a message is text to show, not markup to run.
"use strict";

(function () {
  const log = document.getElementById("log");
  const joinForm = document.getElementById("join");
  const form = document.getElementById("form");
  const nameInput = document.getElementById("name");
  const roomInput = document.getElementById("room");
  const input = document.getElementById("message");
  const names = document.getElementById("names");
  const urlLabel = document.getElementById("url");
  const params = new URLSearchParams(location.search);

  // ANCHOR: servers
  // The servers to try, in order: ?servers=ws://a/ws,ws://b/ws, or the
  // one that served the page.
  function serverList() {
    const list = (params.get("servers") || "").split(",").map((s) => s.trim()).filter((s) => s);
    if (list.length > 0) {
      return list;
    }
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    return [scheme + location.host + "/ws"];
  }
  // ANCHOR_END: servers

  const servers = serverList();
  let current = 0;      // index in servers
  let sock = null;
  let joined = null;    // {room, name} once the user pressed Join
  let lastId = null;    // the id of the last message shown: the cursor
  let retries = 0;

  function show(kind, text) {
    const item = document.createElement("li");
    item.className = kind;
    const label = document.createElement("span");
    label.className = "kind";
    label.textContent = kind;
    item.append(label, " ", text);
    log.append(item);
    item.scrollIntoView({ block: "nearest" });
  }

  // ANCHOR: ticket
  // ticketURL is where the server of the socket url gives tickets:
  // ws://host/ws asks http://host/ticket, wss:// asks https://.
  function ticketURL(url) {
    const u = new URL(url);
    u.protocol = u.protocol === "wss:" ? "https:" : "http:";
    u.pathname = u.pathname.replace(/\/ws$/, "") + "/ticket";
    u.search = "";
    return u.href;
  }

  // ticketFor asks the server of url for a fresh ticket, with this
  // browser's session cookie (credentials: "include", so that it goes to
  // another chat server too). No custom header, no body: a CORS "simple
  // request", without a preflight. A 401 means the session is gone
  // (expired, or the store started afresh): loading the page's address
  // again starts a new one, as a reload would, and it asks once more.
  async function ticketFor(url) {
    const ask = () => fetch(ticketURL(url), {
      method: "POST", credentials: "include", cache: "no-store",
    });
    let resp = await ask();
    if (resp.status === 401) {
      await fetch(location.href, { cache: "no-store" });
      resp = await ask();
    }
    const body = await resp.text();
    if (!resp.ok) {
      throw new Error(body.trim() || `status ${resp.status}`);
    }
    return body;
  }
  // ANCHOR_END: ticket

  // ANCHOR: connect
  // connect asks for a ticket, then opens the socket with it. The log and
  // the label show the URL without the ticket: a ticket is a secret, if
  // only for 30 seconds.
  async function connect() {
    const url = servers[current];
    urlLabel.textContent = url;
    show("info", lastId === null
      ? "connecting to " + url
      : `connecting to ${url}, since ${lastId}`);
    let ticket;
    try {
      ticket = await ticketFor(url);
    } catch (err) {
      show("error", `no ticket from ${ticketURL(url)}: ${err.message}`);
      failover();
      return;
    }
    const s = new WebSocket(url + "?ticket=" + encodeURIComponent(ticket));
    sock = s;
    s.onopen = () => {
      retries = 0;
      show("open", "connected to " + url);
      const join = { type: "join", room: joined.room, name: joined.name };
      if (lastId !== null) {
        join.since = lastId; // resume: replay everything after it
      }
      s.send(JSON.stringify(join));
    };
    s.onmessage = (event) => receive(JSON.parse(event.data));
    s.onclose = (event) => {
      const reason = event.reason ? `, reason "${event.reason}"` : "";
      show("close", `connection closed with code ${event.code}${reason}`);
      if (sock === s && joined) {
        failover();
      }
    };
  }

  // failover joins again on the next server after a short wait, longer
  // after every failure in a row (up to 5 s).
  function failover() {
    current = (current + 1) % servers.length;
    const wait = Math.min(5000, 250 * 2 ** retries);
    retries++;
    setTimeout(connect, wait);
  }
  // ANCHOR_END: connect

  // ANCHOR: receive
  function receive(msg) {
    switch (msg.type) {
      case "message":
        lastId = msg.id;
        show("message", `#${msg.id} ${msg.from}: ${msg.text}`);
        break;
      case "presence":
        names.textContent = msg.names.join(", ");
        break;
      case "error":
        show("error", msg.text);
        break;
      default:
        show("error", "unknown message from the server: " + JSON.stringify(msg));
    }
  }
  // ANCHOR_END: receive

  joinForm.addEventListener("submit", (event) => {
    event.preventDefault();
    if (joined) {
      return;
    }
    joined = { room: roomInput.value.trim(), name: nameInput.value.trim() };
    nameInput.disabled = roomInput.disabled = true;
    document.getElementById("connect").disabled = true;
    connect();
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!sock || sock.readyState !== WebSocket.OPEN) {
      show("error", "not connected: press Join first");
      return;
    }
    sock.send(JSON.stringify({ type: "say", text: input.value }));
    input.value = "";
  });

  nameInput.value = params.get("name") || "guest-" + Math.floor(Math.random() * 10000);
  roomInput.value = params.get("room") || roomInput.value;
  urlLabel.textContent = servers[current];
  if (params.get("name")) {
    joinForm.requestSubmit();
  }
})();
