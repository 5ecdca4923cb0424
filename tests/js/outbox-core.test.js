// The outbox's decisions (static/js/outbox-core.js): order, answers, what the user is told. Run: node --test tests/js/*.test.js
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const O = require("../../static/js/outbox-core.js");

function entry(id, createdAt, extra) {
  return Object.assign({ id: id, createdAt: createdAt, order: 0, status: "waiting", user: "u1" }, extra || {});
}

test("entries go in the order they were saved, whatever the order they are read", () => {
  const entries = [entry("release:1:3", 30), entry("release:1:1", 10), entry("release:1:2", 10, { order: 1 })];
  assert.deepEqual(O.inOrder(entries).map((e) => e.id), ["release:1:1", "release:1:2", "release:1:3"]);
});

test("only the signed-in user's waiting entries are sent", () => {
  const entries = [
    entry("a", 1),
    entry("b", 2, { status: "saved" }),
    entry("c", 3, { status: "rejected" }),
    entry("d", 4, { user: "someone-else" }),
    entry("e", 5),
  ];
  assert.deepEqual(O.toSend(entries, "u1").map((e) => e.id), ["a", "e"]);
  assert.deepEqual(O.toSend(entries, "anonymous"), []);
});

test("a replay of a stored entry is a success; an expired sign-in keeps everything", () => {
  assert.equal(O.classify(201, "basic"), "stored");
  assert.equal(O.classify(200, "basic"), "stored");
  assert.equal(O.classify(0, "opaqueredirect"), "signin");
  assert.equal(O.classify(403, "basic"), "signin");
  assert.equal(O.classify(422, "basic"), "rejected");
  assert.equal(O.classify(409, "basic"), "rejected");
  assert.equal(O.classify(404, "basic"), "rejected");
  assert.equal(O.classify(500, "basic"), "retry");
  assert.equal(O.classify(503, "basic"), "retry");
});

test("the user is told how many entries wait, and to log in when that is what they need", () => {
  const two = [entry("a", 1), entry("b", 2), entry("c", 3, { status: "saved" })];
  assert.equal(O.summary(two, "u1", null).text, "2 entries saved on this phone, will sync.");
  assert.equal(O.summary(two, "u1", "offline").text, "2 entries saved on this phone, will sync when your server can be reached again.");
  assert.equal(O.summary(two, "u1", "signin").text, "2 entries waiting — log in to send them.");
  assert.equal(O.summary(two, "anonymous", null).text, "2 entries waiting — log in to send them.");
  assert.equal(O.summary([entry("a", 1)], null, null).text, "1 entry waiting — log in to send it.");
  assert.equal(O.summary([entry("c", 3, { status: "saved" })], "u1", null).text, "");
  assert.equal(O.summary(two, "u1", null).waiting, 2);
});

test("counts agree with their number", () => {
  assert.equal(O.counted(1, "entry", "entries"), "1 entry");
  assert.equal(O.counted(2, "entry", "entries"), "2 entries");
  assert.equal(O.counted(0, "entry", "entries"), "0 entries");
});

test("another person's entries on a shared phone are never counted, listed or sent for this one", () => {
  const mixed = [entry("a", 1, { user: "alice" }), entry("b", 2, { user: "bob" }), entry("c", 3, { user: "alice" })];
  assert.deepEqual(O.ownedBy(mixed, "bob").map((e) => e.id), ["b"]);
  assert.deepEqual(O.ownedBy(mixed, "anonymous"), []);
  assert.deepEqual(O.ownedBy(mixed, null), []);
  assert.equal(O.summary(mixed, "bob", null).text, "1 entry saved on this phone, will sync.");
  assert.equal(O.summary(mixed, "bob", null).waiting, 1);
  assert.equal(O.summary([entry("a", 1, { user: "alice" })], "bob", null).text, "");
  assert.equal(O.summary([entry("a", 1, { user: "alice" })], "bob", "signin").text, "");
  assert.deepEqual(O.toSend(mixed, "bob").map((e) => e.id), ["b"]);
});

test("an entry held back by a gate (the safety notice, a red flag's question) is no sign-in problem and goes again", () => {
  assert.equal(O.classify(409, "basic"), "rejected");
  const held = entry("q", 1, { status: "rejected", error: "Please answer the question first.", retry: true });
  const refused = entry("r", 2, { status: "rejected", error: "This session has ended." });
  assert.deepEqual(O.toSend([held, refused], "u1").map((e) => e.id), ["q"]);
  assert.equal(O.summary([held], "u1", null).text, "");
  assert.equal(O.stateText(held), "not saved: Please answer the question first.");
});

test("each entry says where it stands", () => {
  assert.equal(O.stateText(entry("a", 1)), "saved on this phone, will sync");
  assert.equal(O.stateText(entry("a", 1, { status: "saved" })), "saved");
  assert.equal(O.stateText(entry("a", 1, { status: "rejected", error: "This session has ended." })),
    "not saved: This session has ended.");
});

test("the runner goes on to the first step not logged yet, then to the end", () => {
  const available = [2, 3, 4];
  assert.equal(O.nextPosition(available, new Set([1]), 1), 2);
  assert.equal(O.nextPosition(available, new Set([1, 2, 3]), 1), 4);
  assert.equal(O.nextPosition(available, new Set([1, 2, 3, 4]), 1), null);
  assert.equal(O.nextPosition(available, new Set(), 4), null);
});

test("saved entries are forgotten after a day, waiting ones never", () => {
  const now = 10 * O.KEEP_SAVED_MS;
  const entries = [
    entry("old", 0, { status: "saved", savedAt: now - O.KEEP_SAVED_MS - 1 }),
    entry("new", 0, { status: "saved", savedAt: now - 1000 }),
    entry("waiting", 0),
  ];
  assert.deepEqual(O.expired(entries, now), ["old"]);
});

test("the log-out question says 'log out' as the site's menu does, its counts and pronouns agreeing", () => {
  const one = O.logOutWords(1);
  assert.equal(one.title, "Send your entry before you log out?");
  assert.equal(one.text, "1 entry is saved only on this phone. Logging out deletes it from this phone.");
  assert.equal(one.send, "Send it now, then log out");
  assert.equal(one.discard, "Log out and discard it");
  assert.equal(one.confirm, "Discard 1 entry for good? It was never sent.");
  assert.match(one.left(1), /^1 entry could not be sent now/);
  const two = O.logOutWords(2);
  assert.equal(two.title, "Send your entries before you log out?");
  assert.equal(two.text, "2 entries are saved only on this phone. Logging out deletes them from this phone.");
  assert.equal(two.send, "Send them now, then log out");
  assert.equal(two.discard, "Log out and discard them");
  assert.equal(two.confirm, "Discard 2 entries for good? They were never sent.");
  assert.match(two.left(2), /^2 entries could not be sent now/);
  for (const words of [one, two]) {
    const all = [words.title, words.text, words.send, words.discard, words.stay, words.confirm, words.left(1)].join(" ");
    assert.doesNotMatch(all, /sign/i);
  }
});

test("a step logged on the phone is listed with the server's words for its values", () => {
  const logged = (body, extra) => O.loggedValues(Object.assign({ kind: "release", body: body, hold: 45 }, extra || {}));
  assert.equal(logged("position=1&tender=yes&pressure=4&pain_now=3&held_seconds=25"), "25 s, tender, pressure 4, pain 3");
  assert.equal(
    logged("position=1&tender=no&pressure=8&pain_now=6&held_seconds=12&stopped_early=on"),
    "12 s, not tender, pressure 8, pain 6, stopped early"
  );
  // Logged without the timer and no seconds typed: "not timed", as the server stores it, never the 45 s planned.
  assert.equal(logged("position=1&tender=yes&pressure=5&pain_now=2&held_seconds="), "not timed, tender, pressure 5, pain 2");
  assert.equal(logged("position=1&tender=yes&pressure=5&pain_now=2"), "not timed, tender, pressure 5, pain 2");
  assert.equal(O.loggedValues({ kind: "skip", body: "position=2" }), "skipped");
});

test("held and skipped counts read as on every page", () => {
  assert.equal(O.releaseCounts(2, 0), "2 held");
  assert.equal(O.releaseCounts(1, 1), "1 held, 1 skipped");
});

test("an adverse response logged offline gets the server's answer at once; others get none", () => {
  const texts = { ceiling: "7", pressure: "Ease off.", stopped: "Right to stop.", followUp: "Ask if it rises." };
  const release = (body) => ({ kind: "release", body: body });
  assert.equal(O.adverseMessage(release("pressure=8&pain_now=3"), texts), "Ease off. Ask if it rises.");
  assert.equal(O.adverseMessage(release("pressure=7&stopped_early=on"), texts), "Right to stop. Ask if it rises.");
  assert.equal(O.adverseMessage(release("pressure=9&stopped_early=on"), texts), "Ease off. Right to stop. Ask if it rises.");
  assert.equal(O.adverseMessage(release("pressure=7&pain_now=9"), texts), "");
  assert.equal(O.adverseMessage({ kind: "skip", body: "pressure=9" }, texts), "");
});

test("with the light-pressure rule, a pressure above its limit gets that rule's answer", () => {
  const texts = { ceiling: "7", pressure: "Ease off.", stopped: "Right to stop.", followUp: "Ask if it rises.",
    lightLimit: "3", light: "Light only." };
  const release = (body) => ({ kind: "release", body: body });
  assert.equal(O.adverseMessage(release("pressure=4"), texts), "Light only. Ask if it rises.");
  // Above the ceiling too: both (the ceiling's words were left out under the rule).
  assert.equal(O.adverseMessage(release("pressure=9"), texts), "Light only. Ease off. Ask if it rises.");
  assert.equal(O.adverseMessage(release("pressure=3"), texts), "");
});
