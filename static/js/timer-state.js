/* The hold timer's state machine, with no DOM and no clock of its own: every function takes the state and the time
 * now (milliseconds, from any monotonic clock) and returns the next state, plus the events it caused. The DOM layer
 * (static/js/timer.js) reads the time, calls these, and acts on the events (announce, tone, show the log form).
 * Unit tests: tests/js/timer-state.test.js (`node --test tests/js/*.test.js`).
 *
 * Phases: idle -> lead (the lead-in, "Get into position") -> hold -> ended; lead and hold can be paused and
 * resumed; done() ends early from lead, hold or paused. Events: "lead" (lead-in began), "hold" (hold began),
 * "last10" (10 seconds of the hold left), "paused", "resumed", "ended" (with `held` seconds and `early`).
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.TimerState = factory();
  }
})(this, function () {
  "use strict";

  /** A timer for a hold of `hold` seconds after a lead-in of `leadIn` seconds, not yet started. */
  function create(hold, leadIn) {
    return {
      phase: "idle",
      hold: Math.max(0, hold | 0),
      leadIn: Math.max(0, leadIn | 0),
      elapsed: 0, // seconds of the current phase (lead or hold) run before `since`
      since: null, // the time (ms) the running phase last (re)started; null while paused, idle or ended
      pausedFrom: null, // "lead" or "hold" while paused
      held: 0, // seconds held, once ended
      early: false, // ended by done() before the hold ran out
      warned: false // the "10 seconds left" event has been given
    };
  }

  function copy(state, changes) {
    var next = {};
    Object.keys(state).forEach(function (key) { next[key] = state[key]; });
    Object.keys(changes).forEach(function (key) { next[key] = changes[key]; });
    return next;
  }

  /** Seconds run in the current phase at `now`. */
  function running(state, now) {
    return state.elapsed + (state.since === null ? 0 : Math.max(0, now - state.since) / 1000);
  }

  function beginHold(state, since, elapsed) {
    return copy(state, { phase: "hold", since: since, elapsed: elapsed, warned: state.hold <= 10 });
  }

  /** Starts the lead-in (or the hold at once when there is none). Only from idle. */
  function start(state, now) {
    if (state.phase !== "idle") { return { state: state, events: [] }; }
    if (state.leadIn > 0) {
      return { state: copy(state, { phase: "lead", since: now, elapsed: 0 }), events: ["lead"] };
    }
    return { state: beginHold(state, now, 0), events: ["hold"] };
  }

  /** Moves time on to `now`: the lead-in becomes the hold, the hold warns and ends. Several steps may happen in one
   * tick (a phone that slept through the lead-in and the hold). */
  function tick(state, now) {
    var events = [];
    if (state.phase === "lead") {
      var lead = running(state, now);
      if (lead < state.leadIn) { return { state: state, events: events }; }
      // The hold began when the lead-in ran out, not at this (possibly late) tick.
      state = beginHold(state, now, lead - state.leadIn);
      events.push("hold");
    }
    if (state.phase === "hold") {
      var run = running(state, now);
      if (!state.warned && state.hold - run <= 10) {
        state = copy(state, { warned: true });
        events.push("last10");
      }
      if (run >= state.hold) {
        state = copy(state, { phase: "ended", since: null, elapsed: state.hold, held: state.hold, early: false });
        events.push("ended");
      }
    }
    return { state: state, events: events };
  }

  function pause(state, now) {
    if (state.phase !== "lead" && state.phase !== "hold") { return { state: state, events: [] }; }
    return {
      state: copy(state, { phase: "paused", pausedFrom: state.phase, elapsed: running(state, now), since: null }),
      events: ["paused"]
    };
  }

  function resume(state, now) {
    if (state.phase !== "paused") { return { state: state, events: [] }; }
    return { state: copy(state, { phase: state.pausedFrom, pausedFrom: null, since: now }), events: ["resumed"] };
  }

  /** Ends the hold now ("Done"): the seconds held so far count (none during the lead-in). */
  function done(state, now) {
    if (state.phase === "idle" || state.phase === "ended") { return { state: state, events: [] }; }
    var holding = state.phase === "hold" || (state.phase === "paused" && state.pausedFrom === "hold");
    var held = holding ? Math.min(state.hold, Math.round(running(state, now))) : 0;
    return {
      state: copy(state, { phase: "ended", since: null, pausedFrom: null, held: held, early: true }),
      events: ["ended"]
    };
  }

  /** The ended state of a hold whose end this tab kept across a reload: `held` seconds, early when short of it. */
  function endedWith(state, held) {
    var kept = Math.max(0, Math.min(state.hold, held));
    return copy(state, { phase: "ended", since: null, pausedFrom: null, held: kept, early: kept < state.hold });
  }

  /** The state of a hold that was started `ago` seconds before `now` (a reload continues from the server's record
   * of the start): the lead-in and the hold as if they had run since, ended if both are over. */
  function resumeAt(state, ago, now) {
    var started = start(state, now - Math.max(0, ago) * 1000).state;
    return tick(copy(started, { warned: started.phase === "hold" ? state.hold <= 10 : false }), now).state;
  }

  /** What the display shows at `now`: the phase's words, the seconds on the clock, the progress bar's value and
   * which buttons are shown. */
  function view(state, now) {
    var phase = state.phase;
    var from = phase === "paused" ? state.pausedFrom : phase;
    var run = running(state, now);
    var shown;
    var label;
    var bar = 0;
    if (from === "lead") {
      shown = state.leadIn - run;
      label = phase === "paused" ? "Paused" : "Get into position";
    } else if (from === "hold") {
      shown = state.hold - run;
      label = phase === "paused" ? "Paused" : "Hold";
      bar = Math.min(state.hold, run);
    } else if (phase === "ended" && state.early) {
      // Stopped before the end: what was held, never a finished-looking "Done 0" with a full bar.
      shown = state.held;
      label = "Stopped at " + state.held + " of " + state.hold + " s";
      bar = state.held;
    } else if (phase === "ended") {
      shown = 0;
      label = "Done";
      bar = state.hold;
    } else {
      shown = state.hold;
      label = "Ready when you are";
    }
    var active = phase === "lead" || phase === "hold" || phase === "paused";
    return {
      phase: phase,
      stoppedEarly: phase === "ended" && state.early,
      label: label,
      clock: formatSeconds(shown),
      bar: bar,
      buttons: {
        start: phase === "idle",
        pause: phase === "lead" || phase === "hold",
        resume: phase === "paused",
        done: active,
        logNow: phase === "idle"
      }
    };
  }

  /** "45", "120": whole seconds rounded up (a clock never shows 0 while time is left). Seconds only, never
   * "2:00": holds are at most a few minutes, counted in seconds everywhere else, and three digits stay large. */
  function formatSeconds(total) {
    return String(Math.max(0, Math.ceil(total - 1e-9)));
  }

  return {
    create: create,
    start: start,
    tick: tick,
    pause: pause,
    resume: resume,
    done: done,
    endedWith: endedWith,
    resumeAt: resumeAt,
    running: running,
    view: view,
    formatSeconds: formatSeconds
  };
});
