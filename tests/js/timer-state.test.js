// The hold timer's state machine (static/js/timer-state.js): time in, state out. Run: node --test tests/js/*.test.js
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const T = require("../../static/js/timer-state.js");

const S = 1000; // one second in ms

function run(state, steps) {
  // Applies [name, atMs] steps in order and collects every event.
  const events = [];
  for (const [name, at] of steps) {
    const out = T[name](state, at);
    state = out.state;
    events.push(...out.events.map((e) => `${e}@${at / S}`));
  }
  return { state, events };
}

test("a new timer is idle and shows the whole hold", () => {
  const v = T.view(T.create(45, 5), 0);
  assert.equal(v.phase, "idle");
  assert.equal(v.clock, "45");
  assert.deepEqual(v.buttons, { start: true, pause: false, resume: false, done: false, logNow: true });
});

test("lead-in, then the hold, a warning at 10 s left, then the end", () => {
  const { state, events } = run(T.create(30, 5), [
    ["start", 0], ["tick", 4.9 * S], ["tick", 5 * S], ["tick", 24 * S], ["tick", 25 * S], ["tick", 35 * S]
  ]);
  assert.deepEqual(events, ["lead@0", "hold@5", "last10@25", "ended@35"]);
  assert.equal(state.phase, "ended");
  assert.equal(state.held, 30);
  assert.equal(state.early, false);
});

test("no lead-in starts the hold at once", () => {
  const { state, events } = run(T.create(20, 0), [["start", 0]]);
  assert.deepEqual(events, ["hold@0"]);
  assert.equal(T.view(state, 0.5 * S).label, "Hold");
});

test("a late tick (a phone that slept) counts the hold from the end of the lead-in", () => {
  const { state, events } = run(T.create(30, 5), [["start", 0], ["tick", 20 * S]]);
  assert.deepEqual(events, ["lead@0", "hold@20"]);
  assert.equal(T.view(state, 20 * S).clock, "15");
  const later = run(state, [["tick", 40 * S]]);
  assert.deepEqual(later.events, ["last10@40", "ended@40"]);
});

test("pause stops the clock and resume carries on from where it stood", () => {
  const { state } = run(T.create(30, 0), [["start", 0], ["pause", 10 * S]]);
  assert.equal(T.view(state, 100 * S).clock, "20");
  assert.equal(T.view(state, 100 * S).label, "Paused");
  assert.deepEqual(T.view(state, 0).buttons, { start: false, pause: false, resume: true, done: true, logNow: false });
  const resumed = run(state, [["resume", 100 * S], ["tick", 105 * S]]).state;
  assert.equal(T.view(resumed, 105 * S).clock, "15");
});

test("pausing in the lead-in says Paused and keeps the lead-in's time", () => {
  const { state } = run(T.create(30, 5), [["start", 0], ["pause", 2 * S]]);
  const v = T.view(state, 60 * S);
  assert.equal(v.label, "Paused");
  assert.equal(v.clock, "3");
});

test("done ends early with the whole seconds held; none during the lead-in", () => {
  assert.equal(run(T.create(30, 0), [["start", 0], ["done", 12.4 * S]]).state.held, 12);
  assert.equal(run(T.create(30, 5), [["start", 0], ["done", 3 * S]]).state.held, 0);
  const paused = run(T.create(30, 0), [["start", 0], ["pause", 8 * S], ["done", 50 * S]]).state;
  assert.equal(paused.held, 8);
  assert.equal(paused.early, true);
});

test("actions out of turn change nothing", () => {
  const idle = T.create(30, 0);
  for (const name of ["pause", "resume", "done", "tick"]) {
    assert.equal(T[name](idle, 5 * S).state.phase, "idle");
  }
  const ended = run(idle, [["start", 0], ["done", 1 * S]]).state;
  for (const name of ["start", "pause", "resume", "done", "tick"]) {
    const out = T[name](ended, 9 * S);
    assert.equal(out.state.phase, "ended");
    assert.deepEqual(out.events, []);
  }
});

test("the clock rounds up and counts in seconds", () => {
  assert.equal(T.formatSeconds(0.2), "1");
  assert.equal(T.formatSeconds(0), "0");
  assert.equal(T.formatSeconds(65), "65");
  assert.equal(T.formatSeconds(179.5), "180");
  assert.equal(T.formatSeconds(-3), "0");
});

test("a reload continues a hold from the server's recorded start", () => {
  const base = T.create(60, 5);
  const mid = T.resumeAt(base, 20, 1000 * S);
  assert.equal(mid.phase, "hold");
  assert.equal(T.view(mid, 1000 * S).clock, "45");
  assert.equal(mid.warned, false);
  const inLead = T.resumeAt(base, 2, 1000 * S);
  assert.equal(inLead.phase, "lead");
  assert.equal(T.view(inLead, 1000 * S).clock, "3");
  const over = T.resumeAt(base, 600, 1000 * S);
  assert.equal(over.phase, "ended");
  assert.equal(over.held, 60);
});

test("the state given is never changed", () => {
  const state = T.create(30, 5);
  const frozen = JSON.stringify(state);
  T.start(state, 0);
  assert.equal(JSON.stringify(state), frozen);
});

test("a hold stopped early shows what was held, not a finished Done 0", () => {
  const { state } = run(T.create(60, 0), [["start", 0], ["done", 7.2 * S]]);
  const v = T.view(state, 30 * S);
  assert.equal(v.label, "Stopped at 7 of 60 s");
  assert.equal(v.clock, "7");
  assert.equal(v.bar, 7);
  assert.equal(v.stoppedEarly, true);
  const full = T.view(run(T.create(60, 0), [["start", 0], ["tick", 61 * S]]).state, 61 * S);
  assert.deepEqual([full.label, full.clock, full.bar, full.stoppedEarly], ["Done", "0", 60, false]);
});

test("an end kept across a reload is early only when short of the hold", () => {
  assert.equal(T.view(T.endedWith(T.create(60, 5), 7), 0).label, "Stopped at 7 of 60 s");
  assert.equal(T.view(T.endedWith(T.create(60, 5), 60), 0).label, "Done");
  assert.equal(T.endedWith(T.create(60, 5), 99).held, 60);
});
