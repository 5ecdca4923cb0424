/* The outbox's decisions, with no DOM, no IndexedDB and no network: which entries go next and in what order, what a
 * server answer means for an entry, what the phone tells the user, which step a runner shows next. The storage and
 * the sending are static/js/outbox.js; unit tests: tests/js/outbox-core.test.js (`node --test tests/js/*.test.js`).
 *
 * An entry: { id, kind ("release" | "skip" | "finish" | "quick"), url, body (form-encoded), label, user (the opaque
 * key of who saved it), session, position, createdAt (ms, the phone's clock), order (a tiebreak), status
 * ("waiting" | "saved" | "rejected"), error, savedAt, line and hold (a runner step's name in "Logged so far" and its
 * prescribed hold) }. Its id is its idempotency key: "release:<session>:<step>"
 * for a step (the server holds one release per session and step), "finish:<session>", "quick:<one-time key>".
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.OutboxCore = factory();
  }
})(this, function () {
  "use strict";

  // Saved entries are kept this long (the runner reads them to know which steps are logged after an offline
  // reload), then forgotten.
  var KEEP_SAVED_MS = 24 * 60 * 60 * 1000;

  /** Entries in the order they were saved on the phone (creation time, then order, then id). */
  function inOrder(entries) {
    return entries.slice().sort(function (a, b) {
      return (a.createdAt - b.createdAt) || ((a.order || 0) - (b.order || 0)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
  }

  /**
   * The entries `user` may send now, in order: waiting ones saved under the same sign-in, and refused ones the
   * server said to send again once a step is done (`retry`: the safety notice, a red flag's follow-up question).
   */
  function toSend(entries, user) {
    return inOrder(entries.filter(function (e) {
      return e.user === user && (e.status === "waiting" || (e.status === "rejected" && e.retry === true));
    }));
  }

  /**
   * The entries the phone may show, count, send or discard for `user` (the opaque key of who is signed in): only
   * those saved under that sign-in. Another person's entries on a shared phone are never shown to this one; they
   * wait for their own sign-in. Nobody signed in (null or "anonymous"): none.
   */
  function ownedBy(entries, user) {
    if (!user || user === "anonymous") { return []; }
    return entries.filter(function (e) { return e.user === user; });
  }

  /**
   * What a server answer means for an entry: "stored" (201 made, 200 a replay of a stored entry: drop the copy),
   * "signin" (the sign-in expired or the CSRF token is stale: keep everything and stop), "rejected" (the server will
   * not take it: keep it with its reason), "retry" (the server is down or busy: keep it and stop for now).
   * `type` is the fetch Response type ("opaqueredirect" for a redirect not followed: the log-in page).
   */
  function classify(status, type) {
    if (type === "opaqueredirect" || status === 401 || status === 403) { return "signin"; }
    if (status === 200 || status === 201) { return "stored"; }
    if (status === 400 || status === 404 || status === 409 || status === 422) { return "rejected"; }
    return "retry";
  }

  /**
   * What the phone tells the user about `entries` when `user` is signed in (null: nobody is) and the last sync
   * ended with `problem` (null, "offline", "signin", "retry"). Returns { waiting, rejected, text } where text is ""
   * when there is nothing to say. Signed in, only the user's own entries count (`ownedBy`); nobody signed in, the
   * count of all waiting entries, with no detail, asks for a sign-in.
   */
  function summary(entries, user, problem) {
    var signedIn = Boolean(user) && user !== "anonymous";
    var shown = signedIn ? ownedBy(entries, user) : entries;
    var waiting = shown.filter(function (e) { return e.status === "waiting"; });
    var rejected = shown.filter(function (e) { return e.status === "rejected"; }).length;
    var n = waiting.length;
    var text = "";
    if (n > 0) {
      var noun = counted(n, "entry", "entries");
      if (problem === "signin" || !signedIn) {
        text = noun + " waiting — log in to send " + (n === 1 ? "it." : "them.");
      } else if (problem === "offline") {
        text = noun + " saved on this phone, will sync when your server can be reached again.";
      } else {
        text = noun + " saved on this phone, will sync.";
      }
    }
    return { waiting: n, rejected: rejected, text: text };
  }

  /** `n` with its noun in agreement: counted(1, "entry", "entries") is "1 entry", counted(2, ...) "2 entries". */
  function counted(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  /**
   * The words of the log-out question for `count` entries (the site says "Log out", so does the question; counts
   * and pronouns agree: "1 entry ... it", "2 entries ... them").
   */
  function logOutWords(count) {
    var one = count === 1;
    var them = one ? "it" : "them";
    return {
      title: one ? "Send your entry before you log out?" : "Send your entries before you log out?",
      text: counted(count, "entry", "entries") + (one ? " is" : " are") +
        " saved only on this phone. Logging out deletes " + them + " from this phone.",
      send: "Send " + them + " now, then log out",
      discard: "Log out and discard " + them,
      stay: "Stay logged in",
      confirm: "Discard " + counted(count, "entry", "entries") + " for good? " +
        (one ? "It was" : "They were") + " never sent.",
      left: function (n) {
        return counted(n, "entry", "entries") + " could not be sent now (no connection, or you were logged " +
          "out). Stay logged in and try again later.";
      }
    };
  }

  /** The word for one entry's state, as shown beside it. */
  function stateText(entry) {
    if (entry.status === "saved") { return "saved"; }
    if (entry.status === "rejected") { return "not saved: " + (entry.error || "the server refused it"); }
    return "saved on this phone, will sync";
  }

  /**
   * The step a runner shows after the steps in `done` (a set of positions logged or skipped, on the phone or the
   * server): the first of `available` (positions the page carries, ascending) after `from` not done; null for the
   * end of the session.
   */
  function nextPosition(available, done, from) {
    for (var i = 0; i < available.length; i++) {
      var position = available[i];
      if (position > from && !done.has(position)) { return position; }
    }
    return null;
  }

  /**
   * A runner entry's values as the "Logged so far" list says them, in the server's words and order
   * (journal/session_detail.html#logged-release): "30 s, tender, pressure 4, pain 2, stopped early", or "skipped".
   * An empty "Seconds held" (logged without the timer, no seconds typed) reads "not timed", as the server stores it:
   * never the step's full hold.
   */
  function loggedValues(entry) {
    if (entry.kind === "skip") { return "skipped"; }
    var data = new URLSearchParams(entry.body || "");
    var held = (data.get("held_seconds") || "").trim();
    var parts = [held ? held + " s" : "not timed"];
    var tender = data.get("tender");
    if (tender === "yes" || tender === "no") { parts.push(tender === "yes" ? "tender" : "not tender"); }
    if (data.get("pressure")) { parts.push("pressure " + data.get("pressure")); }
    if (data.get("pain_now")) { parts.push("pain " + data.get("pain_now")); }
    if (data.has("stopped_early") && data.get("stopped_early") !== "") { parts.push("stopped early"); }
    return parts.join(", ");
  }

  /**
   * The immediate answer to an adverse response in a runner entry, in the server's words
   * (journal.models.adverse_response_message): `texts` holds its parts as the runner's panel carries them
   * ({ceiling, pressure, stopped, followUp}, and {lightLimit, light} under the light-pressure rule). "" when the
   * entry logged none: for a release logged offline, the phone says at once what the server would have said.
   */
  function adverseMessage(entry, texts) {
    if (entry.kind !== "release") { return ""; }
    var data = new URLSearchParams(entry.body || "");
    var parts = [];
    var pressure = parseInt(data.get("pressure"), 10);
    if (texts.lightLimit && pressure > Number(texts.lightLimit)) {
      parts.push(texts.light); // the person's light-pressure rule, in its own words
    }
    if (pressure > Number(texts.ceiling)) {
      parts.push(texts.pressure); // above the ceiling it is said too, light-pressure rule or not
    }
    if (data.has("stopped_early") && data.get("stopped_early") !== "") { parts.push(texts.stopped); }
    return parts.length ? parts.concat([texts.followUp]).join(" ") : "";
  }

  /** The held and skipped count as every page says it (journal/_release_counts.html): "2 held, 1 skipped". */
  function releaseCounts(held, skipped) {
    return held + " held" + (skipped ? ", " + skipped + " skipped" : "");
  }

  /** Saved entries older than KEEP_SAVED_MS at `now`: ids to forget. */
  function expired(entries, now) {
    return entries.filter(function (e) {
      return e.status === "saved" && now - (e.savedAt || e.createdAt) > KEEP_SAVED_MS;
    }).map(function (e) { return e.id; });
  }

  return {
    adverseMessage: adverseMessage,
    KEEP_SAVED_MS: KEEP_SAVED_MS,
    inOrder: inOrder,
    ownedBy: ownedBy,
    toSend: toSend,
    classify: classify,
    summary: summary,
    stateText: stateText,
    counted: counted,
    logOutWords: logOutWords,
    nextPosition: nextPosition,
    loggedValues: loggedValues,
    releaseCounts: releaseCounts,
    expired: expired
  };
});
