// Speaker notes for instructors, hidden from students by default (as in
// Comprehensive Rust's course). Turn them on with ?notes=1 in the address
// (?notes=0 turns them off) or with the key N; the choice is kept in
// localStorage, so it follows the instructor from page to page.
(function () {
  "use strict";
  var storageKey = "websocket-in-go-speaker-notes";
  var root = document.documentElement;

  function stored() {
    try {
      return localStorage.getItem(storageKey) === "on";
    } catch (e) {
      return false; // storage refused (a private window): notes stay hidden
    }
  }

  function store(on) {
    try {
      if (on) {
        localStorage.setItem(storageKey, "on");
      } else {
        localStorage.removeItem(storageKey);
      }
    } catch (e) {
      // nothing to remember with
    }
  }

  function apply(on) {
    root.classList.toggle("speaker-notes-on", on);
    var notes = document.querySelectorAll("details.speaker-notes");
    for (var i = 0; i < notes.length; i++) {
      notes[i].open = on;
    }
  }

  var asked = new URLSearchParams(window.location.search).get("notes");
  if (asked === "1" || asked === "0") {
    store(asked === "1");
  }
  apply(stored());

  document.addEventListener("keydown", function (e) {
    if (e.key !== "n" && e.key !== "N") {
      return;
    }
    if (e.altKey || e.ctrlKey || e.metaKey) {
      return;
    }
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) {
      return; // typing N into the search box
    }
    var on = !root.classList.contains("speaker-notes-on");
    store(on);
    apply(on);
  });
})();
