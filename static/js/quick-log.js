/* The quick log through the outbox (static/js/outbox.js): saved on the phone at once, sent when it can be. Online,
 * the page goes on to the summary as before; offline, it says the log is saved on this phone and offers another.
 * A form whose red-flag check is incomplete goes to the server as before (which says what is missing). */
(function () {
  "use strict";
  var OB = window.TenderspotOutbox;
  var form = document.getElementById("quick-log-form");
  if (!OB || !form) { return; }

  function checkComplete(f) {
    var none = f.querySelector("input[name=none_apply]");
    var names = {};
    f.querySelectorAll("input[type=radio][name^=rf_]").forEach(function (r) { names[r.name] = names[r.name] || r.checked; });
    var answered = Object.keys(names).map(function (k) { return names[k]; });
    var reported = f.querySelector("input[type=radio][name^=rf_][value=yes]:checked, input[type=radio][name^=rf_][value=unsure]:checked");
    return (none && none.checked) || !!reported || answered.every(Boolean);
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // Runs before the outbox's own submit handler (window before document, both capturing).
  window.addEventListener("submit", function (event) {
    var f = event.target;
    if (f.id !== "quick-log-form") { return; }
    if (checkComplete(f)) { delete f.dataset.outboxBypass; } else { f.dataset.outboxBypass = "1"; }
  }, true);

  function savedHere(f, entry) {
    var box = document.createElement("div");
    box.className = "alert alert-success lead-narrow";
    box.setAttribute("role", "status");
    box.dataset.quickLogSaved = "";
    var reported = /(?:^|&)rf_[a-z_]+=(?:yes|unsure)(?:&|$)/.test(entry.body);
    box.textContent = reported
      ? "Saved on this phone, will sync. You reported a warning sign: please stop and read the safety advice at " +
        "the foot of this page now."
      : "Saved on this phone, will sync. It joins your journal when you are back online.";
    var again = document.createElement("button");
    again.type = "button";
    again.className = "btn btn-outline-secondary ms-2";
    again.textContent = "Log another";
    again.addEventListener("click", function () {
      f.reset();
      f.querySelector("input[name=key]").value = newKey(); // a new entry, never the same key twice
      f.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
      f.hidden = false;
      box.remove();
    });
    box.appendChild(again);
    f.hidden = true;
    f.parentNode.insertBefore(box, f);
    box.setAttribute("tabindex", "-1");
    box.focus();
  }

  document.addEventListener("outbox:queued", function (event) {
    var f = event.detail.form;
    var entry = event.detail.entry;
    if (f.id !== "quick-log-form") { return; }
    OB.sync().then(function () { return OB.get(entry.id); }).then(function (kept) {
      if (kept && kept.status === "saved" && kept.answer && kept.answer.summary) {
        window.location.assign(kept.answer.summary);
      } else if (kept && kept.status === "rejected") {
        return OB.remove(entry.id).then(function () {
          f.dataset.outboxBypass = "1";
          f.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
          if (f.requestSubmit) { f.requestSubmit(); } else { f.submit(); }
        });
      } else {
        savedHere(f, entry);
      }
    });
  });
})();
