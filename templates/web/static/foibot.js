// foibot web page: the only script. Served from our own origin (CSP script-src 'self').
// While an approved draft is on its way out, refresh its sending status every two
// seconds from /drafts/ID/status, until it is sent (or failed). Text only: values are
// set with textContent, never as HTML. Without JavaScript, reloading the page does it.
"use strict";

(function () {
  const INTERVAL_MS = 2000;
  const MAX_POLLS = 300; // ten minutes, then the operator reloads

  function outboxText(s) {
    if (s.outbox_running) return "sending now…";
    if (s.outbox_last) return s.outbox_last + " (" + s.outbox_last_at + ")";
    return "waiting for the outbox";
  }

  function show(box, s) {
    const fields = {
      status: s.status,
      sent_at: s.sent_at,
      attempts: String(s.attempts),
      error: s.error || "-",
      sent_copy_at: s.sent_copy_at,
      outbox_last: outboxText(s),
    };
    for (const [name, value] of Object.entries(fields)) {
      for (const el of box.querySelectorAll('[data-field="' + name + '"]')) {
        el.textContent = value;
      }
    }
    const status = box.querySelector('[data-field="status"]');
    if (status) status.className = "status status-" + s.status;
    box.className = "send-status status-" + s.status;
    // Forms that no longer apply (approve, edit, reject once it is sent) are hidden.
    for (const el of document.querySelectorAll("[data-show-when]")) {
      el.hidden = !el.dataset.showWhen.split(" ").includes(s.status);
    }
  }

  function poll(box, count) {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (s) {
        show(box, s);
        const busy = s.in_flight || s.outbox_running;
        if (busy && count < MAX_POLLS) {
          window.setTimeout(function () { poll(box, count + 1); }, INTERVAL_MS);
        }
      })
      .catch(function () { /* offline or logged out: the operator can reload */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const box = document.getElementById("send-status");
    if (box && box.dataset.inFlight === "yes") poll(box, 0);
  });
})();
