/* Tenderspot's hold timer. No inline script (CSP): everything is read from data- attributes on [data-timer].
 *
 * Without JavaScript the runner is plain pages and forms (the log form shows, the timer stays hidden). With it:
 * Start hold -> the server records the start -> lead-in -> countdown (pause/resume, Done ends early) -> end cue
 * (tone, vibration, visual change) -> the log form shows with the held seconds filled in. htmx posts the form; if
 * the request fails, the form stays as entered with a "Try again" button (static/js/retry.js).
 */
(function () {
  "use strict";

  var TICK_MS = 200;
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function csrfToken(root) {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function formatSeconds(total) {
    var s = Math.max(0, Math.ceil(total));
    var m = Math.floor(s / 60);
    var r = s % 60;
    return m > 0 ? m + ":" + (r < 10 ? "0" : "") + r : String(s);
  }

  function Timer(el) {
    this.el = el;
    this.panel = el.closest("#runner-panel") || document;
    this.form = this.panel.querySelector("[data-log-form]");
    this.hold = parseInt(el.dataset.hold, 10) || 0;
    this.leadIn = parseInt(el.dataset.leadIn, 10) || 0;
    this.sound = el.dataset.sound === "1";
    this.clock = el.querySelector("[data-timer-clock]");
    this.phaseText = el.querySelector("[data-timer-phase]");
    this.bar = el.querySelector("[data-timer-bar]");
    this.live = el.querySelector("[data-timer-live]");
    this.buttons = {};
    var self = this;
    el.querySelectorAll("[data-action]").forEach(function (b) { self.buttons[b.dataset.action] = b; });
    this.phase = "idle"; // idle | lead | hold | paused | ended
    this.elapsed = 0;    // seconds of the current phase already run (lead-in or hold)
    this.held = 0;       // seconds held, kept when the hold ends early
    this.since = null;   // performance.now() when the running phase last resumed
    this.interval = null;
    this.wakeLock = null;
    this.announcedLast10 = false;
    this.audio = null;
  }

  Timer.prototype.init = function () {
    var self = this;
    if (this.el.dataset.logOpen === "1") {
      // The server sent the form back (a correction is needed): the form is what matters, not the timer.
      this.phase = "ended";
      this.showLog(null);
      return;
    }
    this.el.hidden = false;
    if (this.form) {
      this.form.hidden = true;
    }
    this.buttons.start.addEventListener("click", function () { self.start(); });
    this.buttons.pause.addEventListener("click", function () { self.pause(); });
    this.buttons.resume.addEventListener("click", function () { self.resume(); });
    this.buttons.done.addEventListener("click", function () { self.finish(true); });
    this.buttons["log-now"].addEventListener("click", function () {
      self.stopTicking();
      self.phase = "ended";
      self.el.hidden = true;
      self.showLog(null);
    });
    this.render();
  };

  Timer.prototype.announce = function (text) {
    // Clear first so that the same words are read again.
    var live = this.live;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  };

  Timer.prototype.runningSeconds = function () {
    return this.elapsed + (this.since === null ? 0 : (performance.now() - this.since) / 1000);
  };

  Timer.prototype.recordStart = function () {
    var body = new FormData();
    body.append("position", this.el.dataset.position);
    fetch(this.el.dataset.holdUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(this.panel), "HX-Request": "true" }
    }).catch(function () { /* The hold still runs; the server then trusts the clamped figure only. */ });
  };

  Timer.prototype.start = function () {
    if (this.phase !== "idle") { return; }
    this.unlockAudio();
    this.recordStart();
    this.el.classList.add("is-running");
    this.elapsed = 0;
    this.since = performance.now();
    if (this.leadIn > 0) {
      this.phase = "lead";
      this.announce("Get into position. The hold starts in " + this.leadIn + " seconds.");
    } else {
      this.beginHold();
    }
    this.keepAwake();
    this.tickEvery();
    this.render();
    // Keep keyboard focus on the timer (the Start button is now hidden) so Space and Enter work as described.
    this.el.setAttribute("tabindex", "-1");
    this.el.focus({ preventScroll: true });
  };

  Timer.prototype.beginHold = function () {
    this.phase = "hold";
    this.elapsed = 0;
    this.since = performance.now();
    this.announcedLast10 = this.hold <= 10;
    this.announce("Hold started: " + this.hold + " seconds.");
  };

  Timer.prototype.tickEvery = function () {
    var self = this;
    window.clearInterval(this.interval);
    this.interval = window.setInterval(function () { self.tick(); }, TICK_MS);
  };

  Timer.prototype.stopTicking = function () {
    window.clearInterval(this.interval);
    this.interval = null;
    this.releaseWake();
  };

  Timer.prototype.tick = function () {
    var run = this.runningSeconds();
    if (this.phase === "lead" && run >= this.leadIn) {
      this.beginHold();
    } else if (this.phase === "hold") {
      var left = this.hold - run;
      if (!this.announcedLast10 && left <= 10) {
        this.announcedLast10 = true;
        this.announce("10 seconds left.");
      }
      if (left <= 0) {
        this.finish(false);
        return;
      }
    }
    this.render();
  };

  Timer.prototype.pause = function () {
    if (this.phase !== "lead" && this.phase !== "hold") { return; }
    this.elapsed = this.runningSeconds();
    this.since = null;
    this.pausedFrom = this.phase;
    this.phase = "paused";
    this.stopTicking();
    this.announce("Paused.");
    this.render();
  };

  Timer.prototype.resume = function () {
    if (this.phase !== "paused") { return; }
    this.phase = this.pausedFrom;
    this.since = performance.now();
    this.keepAwake();
    this.tickEvery();
    this.announce("Resumed.");
    this.render();
  };

  Timer.prototype.finish = function (early) {
    if (this.phase === "idle" || this.phase === "ended") { return; }
    var wasHolding = this.phase === "hold" || (this.phase === "paused" && this.pausedFrom === "hold");
    var run = this.runningSeconds();
    this.held = wasHolding ? Math.min(this.hold, Math.round(run)) : 0;
    this.phase = "ended";
    this.since = null;
    this.stopTicking();
    this.el.classList.remove("is-running");
    this.el.classList.add("is-ended");
    if (!reducedMotion) { this.el.classList.add("is-flash"); }
    if (!early) { this.cue(); }
    this.announce(early ? "Hold ended after " + this.held + " seconds. Log how it went." : "Hold done. Log how it went.");
    this.render();
    this.showLog(this.held);
  };

  Timer.prototype.render = function () {
    var b = this.buttons;
    var phase = this.phase;
    var shown;
    if (phase === "lead" || (phase === "paused" && this.pausedFrom === "lead")) {
      shown = this.leadIn - this.runningSeconds();
      this.phaseText.textContent = phase === "paused" ? "Paused (getting ready)" : "Get into position";
      this.bar.value = 0;
    } else if (phase === "hold" || phase === "paused") {
      var run = this.runningSeconds();
      shown = this.hold - run;
      this.phaseText.textContent = phase === "paused" ? "Paused" : "Hold";
      this.bar.value = Math.min(this.hold, run);
    } else if (phase === "ended") {
      shown = 0;
      this.phaseText.textContent = "Hold done";
      this.bar.value = this.hold;
    } else {
      shown = this.hold;
      this.phaseText.textContent = "Ready when you are";
    }
    this.clock.textContent = formatSeconds(shown);
    this.el.dataset.phase = phase;
    b.start.hidden = phase !== "idle";
    b.pause.hidden = !(phase === "lead" || phase === "hold");
    b.resume.hidden = phase !== "paused";
    b.done.hidden = !(phase === "lead" || phase === "hold" || phase === "paused");
    b["log-now"].hidden = phase !== "idle";
  };

  Timer.prototype.showLog = function (held) {
    if (!this.form) { return; }
    if (held !== null) {
      var input = this.form.querySelector("input[name=held_seconds]");
      if (input) { input.value = String(held); }
    }
    this.form.hidden = false;
    var heading = this.form.querySelector("h3");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      if (reducedMotion) {
        heading.focus(); // jumps, without animation
      } else {
        heading.focus({ preventScroll: true });
        heading.scrollIntoView({ behavior: "smooth", block: "start" });
      }
    }
  };

  Timer.prototype.unlockAudio = function () {
    if (!this.sound || this.audio) { return; }
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) { return; }
    try { this.audio = new Ctx(); } catch (e) { this.audio = null; }
  };

  Timer.prototype.cue = function () {
    if (this.sound && this.audio) {
      try {
        var ctx = this.audio;
        var osc = ctx.createOscillator();
        var gain = ctx.createGain();
        osc.type = "sine";
        osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.0001, ctx.currentTime);
        gain.gain.exponentialRampToValueAtTime(0.3, ctx.currentTime + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.5);
        osc.connect(gain).connect(ctx.destination);
        osc.start();
        osc.stop(ctx.currentTime + 0.55);
      } catch (e) { /* no sound: the visual change and the announcement remain */ }
    }
    if (navigator.vibrate) {
      try { navigator.vibrate([200, 100, 200]); } catch (e) { /* not allowed here */ }
    }
  };

  Timer.prototype.keepAwake = function () {
    var self = this;
    if (!("wakeLock" in navigator) || this.wakeLock) { return; }
    navigator.wakeLock.request("screen").then(function (lock) {
      self.wakeLock = lock;
      // The browser drops the lock when the page is hidden; it is asked for again when the page shows.
      lock.addEventListener("release", function () { if (self.wakeLock === lock) { self.wakeLock = null; } });
    }).catch(function () {});
  };

  Timer.prototype.releaseWake = function () {
    if (this.wakeLock) {
      this.wakeLock.release().catch(function () {});
      this.wakeLock = null;
    }
  };

  Timer.prototype.onKey = function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    // Typing in the form, or Space/Enter on a focused control, keep their usual meaning.
    if (target && target.closest && target.closest("input, textarea, select, button, a, [contenteditable]")) { return; }
    if (event.key === " " || event.code === "Space") {
      if (this.phase === "ended") { return; }
      event.preventDefault();
      if (this.phase === "idle") { this.start(); }
      else if (this.phase === "paused") { this.resume(); }
      else { this.pause(); }
    } else if (event.key === "Enter") {
      if (this.phase === "lead" || this.phase === "hold" || this.phase === "paused") {
        event.preventDefault();
        this.finish(true);
      }
    }
  };

  var current = null;

  function setup(root) {
    var el = (root || document).querySelector ? (root || document).querySelector("[data-timer]") : null;
    if (!el && root && root.matches && root.matches("[data-timer]")) { el = root; }
    if (!el || el.dataset.ready === "1") { return; }
    el.dataset.ready = "1";
    if (current) { current.stopTicking(); }
    current = new Timer(el);
    current.init();
  }

  document.addEventListener("visibilitychange", function () {
    if (current && document.visibilityState === "visible" && (current.phase === "lead" || current.phase === "hold")) {
      current.keepAwake();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (current && document.body.contains(current.el)) { current.onKey(event); }
  });

  // After htmx swaps in a new panel (the next step, or the same one with errors): set up its timer, move focus.
  document.addEventListener("htmx:afterSettle", function () {
    var panel = document.getElementById("runner-panel");
    if (!panel || panel.dataset.seen === "1") { return; }
    panel.dataset.seen = "1";
    setup(panel);
    var invalid = panel.querySelector(".is-invalid input:not([type=hidden]), [role=alert]:not([hidden])");
    var heading = panel.querySelector("#runner-heading");
    var target = invalid || heading;
    if (target) {
      if (!target.matches("input")) { target.setAttribute("tabindex", "-1"); }
      target.focus();
    }
  });

  document.addEventListener("htmx:load", function (event) { setup(event.detail && event.detail.elt); });
  function firstSetup() {
    var panel = document.getElementById("runner-panel");
    if (panel) { panel.dataset.seen = "1"; }
    setup(document);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", firstSetup);
  } else {
    firstSetup();
  }
})();
