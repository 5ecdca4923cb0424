/* Tenderspot's hold timer. No inline script (CSP): everything is read from data- attributes on [data-timer].
 *
 * Without JavaScript the runner is plain pages and forms (the log form shows, the timer stays hidden). With it:
 * Start hold -> the server records the start -> lead-in -> countdown (pause/resume, Done ends early) -> end cue
 * (tone, vibration, visual change) -> the log form shows with the held seconds filled in. htmx posts the form; if
 * the request fails, the form stays as entered with a "Try again" button (static/js/retry.js).
 * The phases and their timing are the pure state machine in static/js/timer-state.js (loaded first); this file is
 * the DOM around it: buttons, keys, announcements, the tone, the wake lock.
 */
(function () {
  "use strict";

  var TICK_MS = 200;
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function csrfToken(root) {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  var T = window.TimerState; // the pure state machine: static/js/timer-state.js

  function Timer(el) {
    this.el = el;
    this.panel = el.closest("#runner-panel") || document;
    this.form = this.panel.querySelector("[data-log-form]");
    this.hold = parseInt(el.dataset.hold, 10) || 0;
    this.leadIn = parseInt(el.dataset.leadIn, 10) || 0;
    this.sound = el.dataset.sound === "1";
    this.autoStart = el.dataset.autoStart === "1";
    // Spoken cues are sound too: the tone setting switches them off with it.
    this.speak = this.sound && el.dataset.speak === "1";
    this.speechLabel = el.dataset.speechLabel || "";
    this.clock = el.querySelector("[data-timer-clock]");
    this.phaseText = el.querySelector("[data-timer-phase]");
    this.bar = el.querySelector("[data-timer-bar]");
    this.live = el.querySelector("[data-timer-live]");
    this.buttons = {};
    var self = this;
    el.querySelectorAll("[data-action]").forEach(function (b) { self.buttons[b.dataset.action] = b; });
    this.state = T.create(this.hold, this.leadIn);
    this.interval = null;
    this.wakeLock = null;
  }

  Object.defineProperty(Timer.prototype, "phase", { get: function () { return this.state.phase; } });

  Timer.prototype.init = function () {
    var self = this;
    // Keys are for keyboards. The stylesheet hides the hint where the main pointer is coarse; a phone-sized touch
    // screen whose browser reports otherwise (some do, and emulators) drops it here.
    if (navigator.maxTouchPoints > 0 && window.matchMedia && window.matchMedia("(max-width: 767.98px)").matches) {
      this.el.querySelectorAll(".runner-key-hint").forEach(function (hint) { hint.hidden = true; });
    }
    if (this.el.dataset.logOpen === "1") {
      // The server sent the form back (a correction is needed): the form is what matters, not the timer, whose
      // "Ready when you are" and Start would invite doing the hold again (its seconds are kept in the form).
      this.state = T.done(T.start(this.state, 0).state, 0).state;
      this.el.hidden = true;
      this.showLog(null);
      return;
    }
    this.el.hidden = false;
    if (this.form) {
      this.form.hidden = true;
    }
    this.buttons.start.addEventListener("click", function () { self.start(); });
    this.buttons.pause.addEventListener("click", function () { self.act(T.pause); });
    this.buttons.resume.addEventListener("click", function () { self.act(T.resume); });
    this.buttons.done.addEventListener("click", function () { self.act(T.done); });
    this.buttons["log-now"].addEventListener("click", function () {
      self.stopTicking();
      self.state = T.done(T.start(self.state, 0).state, 0).state;
      self.el.hidden = true;
      self.showLog(null);
    });
    var ago = parseInt(this.el.dataset.holdStartedMsAgo, 10);
    var stopped = parseInt(this.el.dataset.holdStoppedMs, 10);
    var ended = this.endedHere();
    if (ended && ago >= 0 && ended.at >= Date.now() - ago) {
      // "Done" was pressed for this hold before the reload: the log form, with the seconds really held.
      this.state = T.endedWith(this.state, ended.held);
      this.render();
      this.showLog(ended.held);
      return;
    }
    if (ago >= 0 && stopped >= 0) {
      // The server recorded a pause (or an early Done) of this hold and the tab kept nothing (a lost tab, a
      // reload after an error): it shows paused where it stopped, never run on to the full hold.
      this.pausedAt(ago, stopped / 1000);
      return;
    }
    // A reload (or a return to the page) during a hold: carry on from the start the server recorded. A start
    // long past (the page was left for a while) is not continued: the step waits for its Start again.
    if (ago >= 0 && ago <= (this.leadIn + this.hold + 60) * 1000) {
      this.continueFrom(ago / 1000);
      return;
    }
    this.render();
  };

  // Where this step's end is kept across a reload, or a tab the phone closed and opened again (the server records a
  // pause and an early Done alike): this browser only, cleared with the site's data at log-out, and dropped after a
  // day (HOLD_END_KEPT_MS) by the next runner page.
  var HOLD_END_PREFIX = "tenderspot-hold-end:";
  var HOLD_END_KEPT_MS = 24 * 60 * 60 * 1000;

  Timer.prototype.storageKey = function () {
    return HOLD_END_PREFIX + this.el.dataset.holdUrl + ":" + this.el.dataset.position;
  };

  Timer.prototype.endedHere = function () {
    try {
      var kept = JSON.parse(window.localStorage.getItem(this.storageKey()) || "null");
      return kept && typeof kept.at === "number" && typeof kept.held === "number" ? kept : null;
    } catch (e) { return null; }
  };

  Timer.prototype.keepEnd = function (held) {
    try {
      window.localStorage.setItem(this.storageKey(), JSON.stringify({ at: Date.now(), held: held }));
    } catch (e) { /* private mode or full: a reload then shows the hold paused where the server saw it stop */ }
  };

  function dropOldHoldEnds() {
    try {
      var old = [];
      for (var i = 0; i < window.localStorage.length; i++) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(HOLD_END_PREFIX) === 0) {
          var kept = JSON.parse(window.localStorage.getItem(key) || "null");
          if (!kept || !(Date.now() - kept.at < HOLD_END_KEPT_MS)) { old.push(key); }
        }
      }
      old.forEach(function (key) { window.localStorage.removeItem(key); });
    } catch (e) { /* nothing kept, nothing to drop */ }
  }

  /** The hold as the server left it: started `agoMs` ago, paused after `ran` seconds (lead-in included). */
  Timer.prototype.pausedAt = function (agoMs, ran) {
    var now = performance.now();
    this.state = T.resumeAt(this.state, ran, now);
    this.setHoldStart(Date.now() - agoMs);
    if (this.state.phase === "ended") {
      this.render();
      this.showLog(this.state.held);
      return;
    }
    this.state = T.pause(this.state, now).state;
    this.el.classList.add("is-running");
    this.render();
    this.announce("Paused.");
  };

  /** The phone's clock at the hold's start goes with the log: an offline hold's start the server never saw. */
  Timer.prototype.setHoldStart = function (ms) {
    var input = this.form && this.form.querySelector("input[name=hold_started_time]");
    if (input) { input.value = String(Math.round(ms)); }
  };

  Timer.prototype.continueFrom = function (secondsAgo) {
    this.setHoldStart(Date.now() - secondsAgo * 1000);
    this.state = T.resumeAt(this.state, secondsAgo, performance.now());
    if (this.state.phase === "ended") {
      // It ran out while the page was away: no tone now, the log form with the full hold.
      this.render();
      this.showLog(this.state.held);
      return;
    }
    // No audio context here: this runs on page load, before any tap (the first tap makes it, see below).
    this.el.classList.add("is-running");
    this.keepAwake();
    this.tickEvery();
    this.render();
    var left = Math.ceil(this.state.hold - T.running(this.state, performance.now()));
    this.announce(this.state.phase === "lead" ? "Get into position." : "The hold goes on: " + left + " seconds left.");
    this.el.setAttribute("tabindex", "-1");
    this.el.focus({ preventScroll: true });
  };

  Timer.prototype.announce = function (text) {
    // Clear first so that the same words are read again.
    var live = this.live;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  };

  /** Applies one state-machine step at the current time, then acts on what it caused. */
  Timer.prototype.act = function (step) {
    var out = step(this.state, performance.now());
    this.state = out.state;
    for (var i = 0; i < out.events.length; i++) { this.on(out.events[i]); }
    this.render();
  };

  Timer.prototype.on = function (event) {
    var state = this.state;
    if (event === "lead") {
      this.announce("Get into position. The hold starts in " + state.leadIn + " seconds.");
    } else if (event === "hold") {
      this.announce("Hold started: " + state.hold + " seconds.");
      this.say(this.speechLabel + ": hold");
    } else if (event === "last10") {
      this.announce("10 seconds left.");
    } else if (event === "paused") {
      this.stopTicking();
      this.record("stop");
      this.announce("Paused.");
    } else if (event === "resumed") {
      this.record("resume");
      this.keepAwake();
      this.tickEvery();
      this.announce("Resumed.");
    } else if (event === "ended") {
      this.stopTicking();
      this.el.classList.remove("is-running");
      // The end cue's colour and flash are for a hold run to its end; a hold stopped early stays calm (render).
      if (!reducedMotion && !state.early) { this.el.classList.add("is-flash"); }
      this.keepEnd(state.held);
      if (state.early) { this.record("stop"); } // the server then bounds the log by it, whatever the tab keeps
      if (!state.early) { this.cue(); }
      this.say(this.speechLabel + ": done");
      this.announce(state.early ? "Hold ended after " + state.held + " seconds. Log how it went." : "Hold done. Log how it went.");
      this.showLog(state.held);
    }
  };

  /** Tells the server about the hold: "start", "stop" (a pause, or Done before the end) or "resume". */
  Timer.prototype.record = function (action) {
    var body = new FormData();
    body.append("position", this.el.dataset.position);
    body.append("action", action);
    fetch(this.el.dataset.holdUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      // A plain request (not htmx's): the answer is 204 and nothing is swapped in. A session closed meanwhile
      // answers with a redirect, not followed here: its message waits for the next page the runner shows.
      redirect: "manual",
      headers: { "X-CSRFToken": csrfToken(this.panel) }
    }).catch(function () { /* The hold still runs; the server then trusts the clamped figure only. */ });
  };

  Timer.prototype.start = function () {
    if (this.state.phase !== "idle") { return; }
    unlockAudio(this.sound);
    this.setHoldStart(Date.now());
    this.record("start");
    this.el.classList.add("is-running");
    this.keepAwake();
    this.tickEvery();
    this.act(T.start);
    // Keep keyboard focus on the timer (the Start button is now hidden) so Space and Enter work as described.
    this.el.setAttribute("tabindex", "-1");
    this.el.focus({ preventScroll: true });
  };

  Timer.prototype.tickEvery = function () {
    var self = this;
    window.clearInterval(this.interval);
    this.interval = window.setInterval(function () { self.act(T.tick); }, TICK_MS);
  };

  Timer.prototype.stopTicking = function () {
    window.clearInterval(this.interval);
    this.interval = null;
    this.releaseWake();
  };

  Timer.prototype.render = function () {
    var v = T.view(this.state, performance.now());
    var b = this.buttons;
    this.phaseText.textContent = v.label;
    this.clock.textContent = v.clock;
    this.bar.value = v.bar;
    this.el.dataset.phase = v.phase;
    this.el.classList.toggle("is-ended", v.phase === "ended" && !v.stoppedEarly);
    this.el.classList.toggle("is-stopped", v.stoppedEarly);
    b.start.hidden = !v.buttons.start;
    b.pause.hidden = !v.buttons.pause;
    b.resume.hidden = !v.buttons.resume;
    b.done.hidden = !v.buttons.done;
    b["log-now"].hidden = !v.buttons.logNow;
  };

  Timer.prototype.showLog = function (held) {
    if (!this.form) { return; }
    if (held !== null) {
      var input = this.form.querySelector("input[name=held_seconds]");
      if (input) { input.value = String(held); }
    }
    this.form.hidden = false;
    this.form.classList.remove("runner-log-wait");
    var heading = this.form.querySelector("h3");
    var wrong = this.form.querySelector(".is-invalid");
    if (wrong) {
      // Sent back with an answer missing: the first question to answer has the focus, high on the screen, clear of
      // the sticky "Save and go on" (the heading's focus left it under the bar or off the screen).
      var question = wrong.querySelector("legend") || wrong;
      question.setAttribute("tabindex", "-1");
      window.requestAnimationFrame(function () {
        question.focus({ preventScroll: true });
        var top = question.getBoundingClientRect().top + window.scrollY - window.innerHeight / 4;
        window.scrollTo({ top: Math.max(0, top), behavior: "auto" });
      });
    } else if (heading) {
      heading.setAttribute("tabindex", "-1");
      // After the timer has rendered its ended state (its buttons change height above the form): scrolled to
      // before that, the page ends up past the form's heading and its first question.
      var form = this.form;
      window.requestAnimationFrame(function () {
        heading.focus({ preventScroll: true });
        window.scrollTo({ top: logFormScroll(form, heading), behavior: reducedMotion ? "auto" : "smooth" });
      });
    }
  };

  // Where the page stands once the log form opens: at the step's top (its count, point and side) when the form's
  // first question fits below it on the screen, above the sticky "Save and go on"; else at the form's heading.
  var SAVE_BAR_PX = 80;
  function logFormScroll(form, heading) {
    var panel = form.closest("#runner-panel");
    var first = form.querySelector("fieldset legend") || heading;
    var top = function (el) { return el.getBoundingClientRect().top + window.scrollY; };
    if (panel && first.getBoundingClientRect().bottom + window.scrollY - top(panel) <= window.innerHeight - SAVE_BAR_PX) {
      return Math.max(0, top(panel) - 8);
    }
    return Math.max(0, top(heading));
  }

  // One audio context for the page. Browsers create it suspended until a tap, and suspend it again when the
  // phone locks or the app goes to the background: it is resumed on every tap and again before each tone.
  var audio = null;
  // Whether the user has tapped or typed on this page: a context made or resumed before that is refused (and
  // Chromium warns "The AudioContext was not allowed to start"), so nothing touches audio until then.
  var gestured = false;

  function hasGesture() {
    return gestured || Boolean(navigator.userActivation && navigator.userActivation.hasBeenActive);
  }

  function unlockAudio(wanted) {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!wanted || !Ctx) { return null; }
    if (!hasGesture()) { return audio; } // none yet: made on the first tap
    if (!audio) {
      try { audio = new Ctx(); } catch (e) { return null; }
    }
    if (audio.state === "suspended" && audio.resume) { audio.resume().catch(function () {}); }
    return audio;
  }

  function tone(ctx) {
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
  }

  Timer.prototype.cue = function () {
    var ctx = unlockAudio(this.sound);
    if (ctx) {
      try {
        // A suspended context plays nothing: resume it first, then play (and if it cannot resume, the vibration,
        // the visual change and the announcement still mark the end).
        if (ctx.state !== "running" && ctx.resume) {
          ctx.resume().then(function () { tone(ctx); }).catch(function () {});
        } else {
          tone(ctx);
        }
      } catch (e) { /* no sound: the visual change and the announcement remain */ }
    }
    if (navigator.vibrate && hasGesture()) { // refused (with a console warning) before the first tap
      try { navigator.vibrate([200, 100, 200]); } catch (e) { /* not allowed here */ }
    }
  };

  /** Says `text` with the phone's own voice (speech synthesis runs on the device: it works offline). */
  Timer.prototype.say = function (text) {
    if (!this.speak || !this.speechLabel || !window.speechSynthesis || !window.SpeechSynthesisUtterance) { return; }
    try {
      var utterance = new window.SpeechSynthesisUtterance(text);
      utterance.lang = document.documentElement.lang || "en";
      window.speechSynthesis.speak(utterance);
    } catch (e) { /* no voice: the tone, vibration and announcement remain */ }
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
      else if (this.phase === "paused") { this.act(T.resume); }
      else { this.act(T.pause); }
    } else if (event.key === "Enter") {
      if (this.phase === "lead" || this.phase === "hold" || this.phase === "paused") {
        event.preventDefault();
        this.act(T.done);
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

  // The first tap anywhere on the page unlocks audio (a context made outside a tap stays silent on phones).
  ["pointerdown", "keydown"].forEach(function (type) {
    document.addEventListener(type, function () {
      gestured = true;
      if (current && current.sound) { unlockAudio(true); }
    }, { capture: true, passive: true });
  });

  document.addEventListener("keydown", function (event) {
    if (current && document.body.contains(current.el)) { current.onKey(event); }
  });

  // The second tap of a fast double tap lands on the panel the first one brought in, on whatever the next step put
  // under the finger (its Start, or "Log without the timer"). A tap at the same spot as the last one, within
  // DOUBLE_TAP_MS of it and after a new panel arrived, is that second tap: it is ignored. Keyboard clicks (detail
  // 0) and taps elsewhere are never held back.
  var DOUBLE_TAP_MS = 600;
  var DOUBLE_TAP_PX = 40;
  var lastTap = null;
  document.addEventListener("htmx:afterSwap", function () {
    var panel = document.getElementById("runner-panel");
    if (panel && !panel.dataset.arrivedAt) { panel.dataset.arrivedAt = String(performance.now()); }
  });
  document.addEventListener("click", function (event) {
    var panel = document.getElementById("runner-panel");
    if (!panel || !panel.contains(event.target) || event.detail === 0) { return; }
    var now = performance.now();
    var arrived = parseFloat(panel.dataset.arrivedAt);
    if (lastTap && arrived > lastTap.t && now - lastTap.t < DOUBLE_TAP_MS &&
        Math.abs(event.clientX - lastTap.x) < DOUBLE_TAP_PX && Math.abs(event.clientY - lastTap.y) < DOUBLE_TAP_PX) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    lastTap = { x: event.clientX, y: event.clientY, t: now };
  }, true);

  // Hands-free: after a release is logged, the next step's lead-in begins by itself (a setting, off by default).
  var justLogged = false;
  var loggedThroughOutbox = false; // set when the outbox stored a log and the server's next panel is on its way
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    justLogged = !!(elt && elt.matches && elt.matches("[data-log-form]"));
  });

  // After htmx swaps in a new panel (the next step, or the same one with errors): set up its timer, move focus.
  document.addEventListener("htmx:afterSettle", function () {
    var panel = document.getElementById("runner-panel");
    if (!panel || panel.dataset.seen === "1") { return; }
    panel.dataset.seen = "1";
    setup(panel);
    var logged = justLogged || loggedThroughOutbox;
    justLogged = false;
    loggedThroughOutbox = false;
    if (logged && current && current.autoStart && document.body.contains(current.el) && current.phase === "idle" &&
        !current.el.hidden) {
      current.start();
      return; // focus stays on the running timer
    }
    var invalid = panel.querySelector(".is-invalid input:not([type=hidden]), [role=alert]:not([hidden])");
    var heading = panel.querySelector("#runner-heading");
    var target = invalid || heading;
    if (target) {
      if (!target.matches("input")) { target.setAttribute("tabindex", "-1"); }
      target.focus();
    }
  });

  document.addEventListener("htmx:load", function (event) { setup(event.detail && event.detail.elt); });

  // Offline-first: the log, skip and finish forms go through the outbox (static/js/outbox.js), which saves them on
  // the phone and sends them. Once the server has a step, the runner shows the server's next panel (as htmx did);
  // without a connection it shows the next step the page carries in its <template>s, with no request at all.
  var OB = window.TenderspotOutbox;
  var Core = window.OutboxCore;

  function focusHeading(panel) {
    var heading = panel.querySelector("#runner-heading");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  /** The later step's fields carry a prefix in their <template> ("s3_", "finish_"): the usual "id_" once shown. */
  function renameIds(root, prefix) {
    function fix(value) {
      return value.split(" ").map(function (token) {
        return token.indexOf(prefix) === 0 ? "id_" + token.slice(prefix.length) : token;
      }).join(" ");
    }
    var attributes = ["id", "for", "aria-describedby", "aria-labelledby"];
    [root].concat(Array.prototype.slice.call(root.querySelectorAll("*"))).forEach(function (el) {
      attributes.forEach(function (name) {
        var value = el.getAttribute(name);
        if (value && value.indexOf(prefix) >= 0) { el.setAttribute(name, fix(value)); }
      });
    });
  }

  function showFinished(panel, entry) {
    var old = panel.querySelector("[data-step-body]");
    var body = document.createElement("div");
    body.dataset.stepBody = "";
    body.dataset.finished = "";
    var heading = document.createElement("h2");
    heading.id = "runner-heading";
    heading.className = "h4";
    heading.textContent = "Session finished";
    var text = document.createElement("p");
    text.dataset.finishedText = "";
    text.textContent = "Your session is finished and saved on this phone. It will be sent when you are back online.";
    var links = document.createElement("p");
    links.className = "d-flex flex-wrap gap-2";
    var home = document.createElement("a");
    home.className = "btn btn-outline-secondary";
    home.href = "/";
    home.textContent = "Back to your dashboard";
    links.append(home);
    body.append(heading, text, links);
    if (old) { old.replaceWith(body); } else { panel.prepend(body); }
    panel.dataset.runnerMode = "finished";
    if (entry.status === "saved") { finishedSaved(panel, entry); }
    focusHeading(panel);
  }

  /** The finished session reached the server (now, or when the connection came back): say so, link its summary. */
  function finishedSaved(panel, entry) {
    var text = panel.querySelector("[data-finished-text]");
    if (!text || text.dataset.saved === "1") { return; }
    text.dataset.saved = "1";
    text.textContent = "Your session is saved in your journal.";
    var summary = entry.answer && entry.answer.summary;
    if (summary) {
      var link = document.createElement("a");
      link.className = "btn btn-accent";
      link.href = summary;
      link.textContent = "See the summary";
      text.nextElementSibling.prepend(link);
    }
  }

  // Back online, the outbox sends the finish: the "will be sent" words must not stay on the screen.
  document.addEventListener("outbox:changed", function () {
    var panel = document.getElementById("runner-panel");
    if (!OB || !panel || panel.dataset.runnerMode !== "finished") { return; }
    OB.get("finish:" + panel.dataset.session).then(function (entry) {
      if (entry && entry.status === "saved") { finishedSaved(panel, entry); }
    }).catch(function () {});
  });

  /** Shows the step after `from` not logged on the phone or the server, from the page's <template>s (or the end). */
  function advance(panel, from, logged) {
    return OB.forSession(panel.dataset.session).then(function (entries) {
      var done = new Set();
      var finish = null;
      entries.forEach(function (e) {
        if (e.status === "rejected") { return; }
        if (e.kind === "finish") { finish = e; } else if (e.position !== null) { done.add(e.position); }
      });
      if (finish) { showFinished(panel, finish); return; }
      var templates = Array.prototype.slice.call(panel.querySelectorAll("template[data-offline-step]"));
      var available = templates.map(function (t) { return parseInt(t.dataset.offlineStep, 10); });
      var next = Core.nextPosition(available, done, from);
      var template = next === null
        ? panel.querySelector("template[data-offline-finish]")
        : panel.querySelector('template[data-offline-step="' + next + '"]');
      if (!template) { return; }
      var body = template.content.querySelector("[data-step-body]").cloneNode(true);
      if (!show(panel, body, next === null ? "finish_" : "s" + next + "_", next === null ? "finish" : "step")) {
        return;
      }
      if (logged && next !== null && current && current.autoStart && current.phase === "idle") {
        current.start();
        return;
      }
      focusHeading(panel);
    });
  }

  /** Puts `body` (a step or the finish, cloned from the page's <template>) in the panel in place of the step. */
  function show(panel, body, prefix, mode) {
    var old = panel.querySelector("[data-step-body]");
    if (!old) { return false; }
    renameIds(body, prefix);
    if (current) { current.stopTicking(); }
    old.replaceWith(body);
    panel.dataset.runnerMode = mode;
    panel.dataset.arrivedAt = String(performance.now()); // the double-tap guard: a new panel is here
    if (window.htmx) { window.htmx.process(body); }
    setup(body);
    return true;
  }

  // "Finish the session now" before the last step: the page's own finish form, shown in place, so that it works with
  // no connection too (the link leads to the server's finish page, which needs one); it goes through the outbox after
  // what waits on the phone. Its opening words say that the steps not done stay unlogged.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-finish-now]");
    var panel = document.getElementById("runner-panel");
    var template = panel && panel.querySelector("template[data-offline-finish]");
    if (!link || !OB || !template || !panel.contains(link)) { return; }
    event.preventDefault();
    var body = template.content.querySelector("[data-step-body]").cloneNode(true);
    var form = body.querySelector("form[data-outbox-form=finish]");
    while (form && form.previousSibling) { form.previousSibling.remove(); }
    var heading = document.createElement("h2");
    heading.id = "runner-heading";
    heading.className = "h4";
    heading.textContent = "Finish the session";
    var words = document.createElement("p");
    words.textContent = "You can finish here: the steps you have not done stay unlogged.";
    body.prepend(heading, words);
    // The way back to the steps (the server's finish page has one): the runner's page again, from the phone's copy
    // when there is no connection, at the first step not logged.
    var back = document.createElement("p");
    back.className = "mt-3";
    var toSteps = document.createElement("a");
    toSteps.className = "btn btn-outline-secondary";
    toSteps.href = panel.dataset.runUrl || window.location.pathname;
    toSteps.textContent = "Back to the steps";
    back.append(toSteps);
    body.append(back);
    if (show(panel, body, "finish_", "finish")) { focusHeading(panel); }
  });

  // A long plan's steps beyond those the page carries come with the server's page: "Go on" sends what waits on the
  // phone first (so that the server's page starts after it), then loads that page; with no connection yet, it
  // stays and says so, the finish still below it. When the connection comes back it goes on by itself, unless the
  // person has begun the finish form below (their answers there would be lost).
  function goBeyond(panel, go) {
    var note = panel.querySelector("[data-steps-beyond-note]");
    if (note) { note.textContent = "Checking the connection…"; }
    return OB.sync(true).then(function () { return OB.forSession(panel.dataset.session); }).then(function (entries) {
      var waiting = entries.some(function (e) { return e.status === "waiting"; });
      if (navigator.onLine && !waiting) {
        window.location.assign(go.href);
        return;
      }
      if (note) {
        note.textContent = OB.problem() === "signin"
          ? "Please log in again first: what you logged stays on this phone until then."
          : "Your server cannot be reached yet. What you logged stays on this phone; try again once you are " +
            "online, or finish the session below.";
      }
    }).catch(function () {
      if (note) { note.textContent = "Your server cannot be reached yet. Try again once you are online."; }
    });
  }

  document.addEventListener("click", function (event) {
    var go = event.target.closest && event.target.closest("[data-steps-beyond-go]");
    var panel = document.getElementById("runner-panel");
    if (!go || !OB || !panel || !panel.contains(go)) { return; }
    event.preventDefault();
    goBeyond(panel, go);
  });

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-outbox-form=finish]");
    if (form) { form.dataset.begun = "1"; }
  });

  window.addEventListener("online", function () {
    var panel = document.getElementById("runner-panel");
    var go = panel && panel.querySelector("[data-steps-beyond-go]");
    var finish = panel && panel.querySelector("form[data-outbox-form=finish]");
    if (!go || !OB || (finish && finish.dataset.begun)) { return; }
    goBeyond(panel, go);
  });

  function fromServer(panel, form, entry) {
    loggedThroughOutbox = entry.kind === "release";
    return window.htmx.ajax("GET", panel.dataset.runUrl, { target: "#runner-panel", swap: "outerHTML" })
      .then(function () {
        if (document.body.contains(form)) { return advance(panel, entry.position, entry.kind === "release"); }
        showNotice(document.getElementById("runner-panel"), entry.answer && entry.answer.notice);
      });
  }

  /** The answer to an adverse response at the top of `panel`, as the server draws it (runner.html), replacing any
   *  earlier one; no `notice`: only the earlier one goes. */
  function showNotice(panel, notice) {
    if (!panel) { return; }
    panel.querySelectorAll("[data-adverse-response]").forEach(function (old) { old.remove(); });
    if (!notice) { return; }
    var alert = document.createElement("div");
    alert.className = "alert alert-warning";
    alert.setAttribute("role", "alert");
    alert.dataset.adverseResponse = "";
    alert.textContent = notice;
    panel.prepend(alert);
  }

  function afterQueued(event) {
    var form = event.detail.form;
    var entry = event.detail.entry;
    var panel = document.getElementById("runner-panel");
    if (!OB || !panel || !panel.contains(form)) { return; }
    if (current && entry.kind !== "finish") { current.stopTicking(); }
    OB.sync().then(function () { return OB.get(entry.id); }).then(function (kept) {
      if (!document.body.contains(form)) { return; } // another path moved on already
      if (kept && kept.status === "rejected") {
        // The server's own answer (its errors, or the closed session's page) is what the user needs here.
        return OB.remove(entry.id).then(function () {
          form.dataset.outboxBypass = "1";
          form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
          if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
        });
      }
      if (entry.kind === "finish") {
        if (kept && kept.status === "saved" && kept.answer && kept.answer.summary) {
          window.location.assign(kept.answer.summary);
          return;
        }
        showFinished(panel, kept || entry);
        return;
      }
      if (kept && kept.status === "saved" && window.htmx) { return fromServer(panel, form, kept); }
      return advance(panel, entry.position, entry.kind === "release").then(function () { answerOffline(entry); });
    }).catch(function () {
      advance(panel, entry.position, entry.kind === "release").then(function () { answerOffline(entry); });
    });
  }

  /** An adverse response logged on the phone is answered at once, as the server answers one it receives. */
  function answerOffline(entry) {
    var panel = document.getElementById("runner-panel");
    if (!panel || !panel.dataset.adverseCeiling) { return; }
    var notice = Core.adverseMessage(entry, {
      ceiling: panel.dataset.adverseCeiling,
      pressure: panel.dataset.adversePressure,
      lightLimit: panel.dataset.adverseLightLimit,
      light: panel.dataset.adverseLight,
      stopped: panel.dataset.adverseStopped,
      followUp: panel.dataset.adverseFollowUp,
    });
    showNotice(panel, notice);
  }
  document.addEventListener("outbox:queued", afterQueued);

  /** A page kept for offline use may be older than the phone's log: go on to the first step not logged yet. */
  function catchUp(panel) {
    var live = panel.querySelector("[data-step-body]");
    if (!OB || !live || !panel.dataset.session) { return; }
    OB.forSession(panel.dataset.session).then(function (entries) {
      var position = parseInt(live.dataset.position, 10);
      var here = entries.some(function (e) {
        return e.status !== "rejected" && (e.kind === "finish" || e.position === position);
      });
      if (here) { advance(panel, position, false); }
    }).catch(function () {});
  }

  // "Logged so far": the server's lines, and among them in step order the steps this phone logged that the list
  // does not hold (logged offline, or after the page was drawn), with their values and marked "saved on this
  // phone". Once such a step has reached the server, the list is fetched again (data-logged-url): the server's row
  // replaces the phone's line, never beside it.
  var PAGE_LOADED_AT = Date.now();
  var listFreshAt = 0; // when the last fetch of the server's list began: it holds every step saved before then
  var refreshing = false;
  var refreshAgain = false;

  function loggedParts(box) {
    var details = box.querySelector("details.runner-logged");
    if (!details) {
      details = document.createElement("details");
      details.className = "runner-logged mt-4";
      var summary = document.createElement("summary");
      summary.className = "h6";
      summary.dataset.loggedSummary = "";
      var list = document.createElement("div");
      list.className = "runner-logged-list";
      list.dataset.loggedList = "";
      details.append(summary, list);
      box.appendChild(details);
    }
    return { details: details, list: details.querySelector("[data-logged-list]") };
  }

  function phoneLine(entry) {
    var item = document.createElement("div");
    item.className = "runner-logged-item";
    item.dataset.position = String(entry.position);
    item.dataset.skipped = entry.kind === "skip" ? "1" : "0";
    item.dataset.loggedPhone = entry.status;
    var text = document.createElement("span");
    text.textContent = (entry.line || entry.label) + ": " + Core.loggedValues(entry);
    var state = document.createElement("span");
    state.className = "runner-logged-phone";
    state.textContent = entry.status === "saved"
      ? "Saved in your journal."
      : "Saved on this phone, will sync. You can correct it once it is sent.";
    item.append(text, state);
    return item;
  }

  function showLogged() {
    var panel = document.getElementById("runner-panel");
    if (!OB || !panel || !panel.dataset.session || !document.getElementById("runner-logged")) {
      return Promise.resolve();
    }
    return OB.forSession(panel.dataset.session).then(function (entries) {
      var box = document.getElementById("runner-logged");
      if (!box) { return; }
      var onServer = new Set();
      box.querySelectorAll("[data-position]:not([data-logged-phone])").forEach(function (el) {
        onServer.add(parseInt(el.dataset.position, 10));
      });
      var phone = entries.filter(function (e) {
        // A step the server's list held when it was last fetched and no longer holds was deleted since: not shown.
        var fresh = e.status !== "saved" || (e.savedAt || 0) >= listFreshAt;
        return (e.kind === "release" || e.kind === "skip") && e.status !== "rejected" && e.position !== null &&
          fresh && !onServer.has(e.position);
      }).sort(function (a, b) { return a.position - b.position; });
      box.querySelectorAll("[data-logged-phone]").forEach(function (el) { el.remove(); });
      if (!phone.length && !box.querySelector("details.runner-logged")) { return; }
      var parts = loggedParts(box);
      phone.forEach(function (entry) {
        var after = Array.prototype.find.call(parts.list.children, function (el) {
          return el.dataset.position && parseInt(el.dataset.position, 10) > entry.position;
        });
        parts.list.insertBefore(phoneLine(entry), after || null);
      });
      var items = parts.list.querySelectorAll("[data-position]").length;
      var skipped = parts.list.querySelectorAll("[data-position][data-skipped='1']").length;
      parts.details.querySelector("[data-logged-summary]").textContent =
        "Logged so far (" + Core.releaseCounts(items - skipped, skipped) + ")";
      // Steps the server holds that this list does not show: it was drawn before they got there (they waited on
      // the phone, or the page is an older copy). A step sent at once comes back with the server's next panel.
      var behind = phone.some(function (e) {
        return e.status === "saved" && (e.waited || (e.savedAt || 0) < PAGE_LOADED_AT);
      });
      if (behind && !box.querySelector("form")) { refreshLogged(); } // never over a correction being typed
    }).catch(function () {});
  }

  /** The server's list in place of this one (kept open if it was), then the phone's steps still on their way. One
   * fetch at a time: a later one asked for meanwhile follows it, so an older answer never has the last word. */
  function refreshLogged() {
    var box = document.getElementById("runner-logged");
    if (!box) { return; }
    if (refreshing) {
      refreshAgain = true;
      return;
    }
    refreshing = true;
    var began = Date.now();
    fetch(box.dataset.loggedUrl, { credentials: "same-origin", redirect: "manual", headers: { "HX-Request": "true" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("not now"); }
        return response.text();
      }).then(function (html) {
        var current = document.getElementById("runner-logged");
        if (!current || current.querySelector("form")) { return; } // a correction opened meanwhile: left alone
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#runner-logged");
        if (!fresh) { return; }
        var wasOpen = current.querySelector("details.runner-logged[open]") !== null;
        current.replaceWith(fresh);
        listFreshAt = began;
        var details = fresh.querySelector("details.runner-logged");
        if (details && wasOpen) { details.open = true; }
        if (window.htmx) { window.htmx.process(fresh); }
        refreshAgain = true; // the phone's steps still on their way go back in
      }).catch(function () { /* no connection yet: asked again at the next change, or when it is back */ })
      .then(function () {
        refreshing = false;
        if (refreshAgain) {
          refreshAgain = false;
          showLogged();
        }
      });
  }

  document.addEventListener("outbox:changed", function () { showLogged(); });
  window.addEventListener("online", function () { showLogged(); });
  document.addEventListener("htmx:afterSettle", function () { showLogged(); });

  function firstSetup() {
    var panel = document.getElementById("runner-panel");
    if (panel) { panel.dataset.seen = "1"; }
    dropOldHoldEnds();
    setup(document);
    if (panel) {
      catchUp(panel);
      showLogged();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", firstSetup);
  } else {
    firstSetup();
  }
})();
