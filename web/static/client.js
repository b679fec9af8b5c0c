// The shared browser client of "WebSocket in Go".
//
// One page, served by every server in the workbook. It opens a WebSocket,
// lets you send text or binary messages, and writes each of the four events
// the browser reports (open, message, error, close) into the page's log;
// inspector.js, loaded first, shows the frames underneath.
// Everything the server sends is written with textContent, never innerHTML:
// a message is text to show, not markup to run.
"use strict";

(function () {
  const log = document.getElementById("log");
  const form = document.getElementById("form");
  const input = document.getElementById("message");
  const binary = document.getElementById("binary");
  const connectButton = document.getElementById("connect");
  const urlLabel = document.getElementById("url");

  // Names for the close codes of RFC 6455 §7.4.1, so the log explains itself.
  const closeNames = {
    1000: "normal closure",
    1001: "going away",
    1002: "protocol error",
    1003: "unsupported data",
    1005: "no status code received",
    1006: "abnormal closure: the connection dropped without a close frame",
    1007: "invalid payload data",
    1008: "policy violation",
    1009: "message too big",
    1011: "internal server error",
  };

  let sock = null;
  let pending = false; // asking the server for an inspector token

  // ANCHOR: url
  // The page talks to the server that served it, at /ws, unless the address
  // bar says otherwise: ?ws=ws://localhost:5678/ws points it at another one.
  function socketURL() {
    const override = new URLSearchParams(location.search).get("ws");
    if (override) {
      return override;
    }
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + location.host + "/ws";
  }
  // ANCHOR_END: url

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

  function hex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
  }

  // ANCHOR: events
  // connect opens the socket at url, with a token for the frame inspector
  // if the server has one (inspector.js).
  function connect() {
    const url = socketURL();
    urlLabel.textContent = url;
    show("info", "connecting to " + url);
    pending = true;
    inspector.watch(url).then((target) => {
      pending = false;
      open(url, target);
    });
  }

  function open(url, target) {
    sock = new WebSocket(target);
    sock.binaryType = "arraybuffer";

    sock.onopen = () => {
      show("open", "connected to " + url);
      update();
    };

    sock.onmessage = (event) => {
      if (typeof event.data === "string") {
        show("message", event.data);
      } else {
        const bytes = new Uint8Array(event.data);
        show("message", `binary, ${bytes.length} bytes: ${hex(bytes)}`);
      }
    };

    // The browser hides the reason for an error on purpose (a page must not
    // learn why a connection to another host failed); the close event that
    // always follows carries the code.
    sock.onerror = () => {
      show("error", "the connection failed or broke; see the close event below");
    };

    sock.onclose = (event) => {
      const name = closeNames[event.code] || "unregistered code";
      const reason = event.reason ? `, reason "${event.reason}"` : "";
      show("close", `connection closed with code ${event.code} (${name})${reason}`);
      sock = null;
      update();
    };
    update();
  }
  // ANCHOR_END: events

  // ANCHOR: send
  function send() {
    if (!sock || sock.readyState !== WebSocket.OPEN) {
      show("error", "not connected: press Connect first");
      return;
    }
    const text = input.value;
    if (binary.checked) {
      const bytes = new TextEncoder().encode(text);
      sock.send(bytes);
      show("sent", `binary, ${bytes.length} bytes: ${hex(bytes)}`);
    } else {
      sock.send(text);
      show("sent", text);
    }
  }
  // ANCHOR_END: send

  function update() {
    connectButton.textContent = sock ? "Disconnect" : "Connect";
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send();
  });

  // The page reconnects only when you ask: a server that went away stays
  // gone until you press Connect, so you can read what happened.
  connectButton.addEventListener("click", () => {
    if (sock) {
      sock.close(1000, "user disconnected");
    } else if (!pending) {
      connect();
    }
  });

  connect();
})();
