/* The outbox: every runner log (release, skip, finish) and every quick log goes through here, online or offline.
 *
 * A form marked `data-outbox-form` is not posted directly: its answers are saved on the phone (IndexedDB) at once,
 * then sent in order by `sync()`, which runs when the page opens, when the network returns ("online"), on the
 * user's "Sync now", and on the service worker's Background Sync message where the browser has it (Chromium; never
 * relied on). Each entry's id is its idempotency key (static/js/outbox-core.js), so a replay, a second tab or a sync
 * cut off halfway never stores a row twice: the server answers a replay of a stored entry with success. An entry
 * is dropped from the waiting list only on that success; an expired sign-in or a stale CSRF token stops the sync
 * and keeps everything until the user signs in again. A form whose answers are incomplete goes to the server as
 * before (htmx or a plain post), which answers with its errors.
 *
 * window.TenderspotOutbox: queue(form) -> entry, sync(), all(), forSession(pk), get(id), remove(id), clear(),
 * on(listener). Events on document: "outbox:queued" {entry, form}, "outbox:changed".
 */
(function () {
  "use strict";

  var Core = window.OutboxCore;
  var DB_NAME = "tenderspot-outbox";
  var STORE = "entries";
  var LOCK = "tenderspot-outbox-sync";
  var problem = null; // how the last sync ended: null, "offline", "signin", "retry"
  var counter = 0;
  var dbPromise = null;

  function currentUser() {
    return document.body.dataset.offlineUser || "anonymous";
  }

  function open() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "id" }); };
        request.onsuccess = function () {
          var db = request.result;
          // Log-out (Clear-Site-Data) or another tab deleting the database: let it go.
          db.onversionchange = function () { db.close(); dbPromise = null; };
          resolve(db);
        };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  function tx(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var result = work(t.objectStore(STORE));
        t.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }

  // Every entry on the phone, whoever saved it: only the sync's housekeeping reads them all.
  function everything() { return tx("readonly", function (store) { return store.getAll(); }); }
  /** The signed-in user's entries: another person's on a shared phone are never shown, sent or discarded here. */
  function all() {
    return everything().then(function (entries) { return Core.ownedBy(entries, currentUser()); });
  }
  function get(id) {
    return tx("readonly", function (store) { return store.get(id); }).then(function (entry) {
      return entry && entry.user === currentUser() ? entry : undefined;
    });
  }
  function remove(id) {
    return get(id).then(function (entry) {
      if (!entry) { return null; }
      return tx("readwrite", function (store) { store.delete(id); });
    }).then(changed);
  }
  /** Deletes the signed-in user's entries (sign-out); another person's stay for their own sign-in. */
  function clear() {
    return all().then(function (mine) {
      return tx("readwrite", function (store) { mine.forEach(function (e) { store.delete(e.id); }); });
    }).then(everything).then(function (left) {
      rememberUnsent(left); // another person's entries may still wait
      changed();
    });
  }

  /** Saves `entry` unless an entry with its id is there (the first log of a step wins, as on the server). */
  function addFirst(entry) {
    return tx("readwrite", function (store) {
      var found = store.get(entry.id);
      found.onsuccess = function () { if (!found.result) { store.add(entry); } };
    });
  }

  function update(id, fields) {
    return tx("readwrite", function (store) {
      var found = store.get(id);
      found.onsuccess = function () {
        if (found.result) { store.put(Object.assign(found.result, fields)); }
      };
    });
  }

  function forSession(pk) {
    return all().then(function (entries) {
      return entries.filter(function (e) { return String(e.session) === String(pk); });
    });
  }

  function changed() {
    document.dispatchEvent(new CustomEvent("outbox:changed"));
    render();
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /** The entry a form's answers make, read now. */
  function entryOf(form) {
    var kind = form.dataset.outboxForm;
    var data = new URLSearchParams(new FormData(form));
    data.delete("csrfmiddlewaretoken"); // the token is read when the entry is sent: a new sign-in has a new one
    var now = Date.now();
    data.set("phone_time", String(now)); // when it was done, whenever it reaches the server
    var id = form.dataset.outboxId || (kind + ":" + (data.get("key") || now));
    var panel = form.closest("[data-session]");
    return {
      id: id,
      kind: kind,
      url: form.getAttribute("action"),
      body: data.toString(),
      label: form.dataset.outboxLabel || "Your entry",
      // How the runner's "Logged so far" list names it until the server's row replaces it ("2. Left glute top"),
      // and the hold an empty "Seconds held" stands for.
      line: form.dataset.outboxLine || "",
      hold: form.dataset.outboxHold ? parseInt(form.dataset.outboxHold, 10) : null,
      user: currentUser(),
      session: panel ? panel.dataset.session : null,
      position: data.has("position") ? parseInt(data.get("position"), 10) : null,
      createdAt: now,
      order: counter++,
      status: "waiting",
      error: "",
      savedAt: null,
      waited: false // set once a sync could not send it: only such an entry's arrival is worth a word

    };
  }

  function queue(form) {
    var entry = entryOf(form);
    // Until the status is drawn again, the kept count is out of date: a log-out tapped meanwhile must look in the
    // database rather than trust it (a count of 0 signs out at once, and the server then deletes the entry).
    forgetUnsent();
    return addFirst(entry).then(function () {
      changed();
      document.dispatchEvent(new CustomEvent("outbox:queued", { detail: { entry: entry, form: form } }));
      return entry;
    });
  }

  function send(entry) {
    return fetch(entry.url, {
      method: "POST",
      body: entry.body,
      credentials: "same-origin",
      redirect: "manual", // a redirect is the log-in page: the sign-in expired
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Outbox": "1",
        "X-CSRFToken": csrfToken()
      }
    }).then(function (response) {
      var outcome = Core.classify(response.status, response.type);
      if (outcome !== "stored" && outcome !== "rejected") { return { outcome: outcome, answer: {} }; }
      return response.json().catch(function () { return {}; }).then(function (answer) {
        return { outcome: outcome, answer: answer };
      });
    }, function () {
      return { outcome: "offline", answer: {} };
    });
  }

  /** Sends the signed-in user's waiting entries in order, one at a time; stops at the first that cannot go. */
  function runOnce() {
    return everything().then(function (entries) {
      var user = currentUser();
      var queueNow = user === "anonymous" ? [] : Core.toSend(entries, user);
      var stale = Core.expired(entries, Date.now());
      problem = null;
      var chain = Promise.resolve(false);
      queueNow.forEach(function (entry) {
        chain = chain.then(function (stop) {
          if (stop) { return true; }
          return send(entry).then(function (result) {
            if (result.outcome === "stored") {
              return update(entry.id, { status: "saved", savedAt: Date.now(), answer: result.answer }).then(function () {
                changed();
                return false;
              });
            }
            if (result.outcome === "rejected") {
              var error = result.answer.error || "the server refused it";
              var retry = result.answer.retry === true; // a gate the user passes first, then it goes again
              return update(entry.id, { status: "rejected", error: error, retry: retry }).then(function () {
                changed();
                return false;
              });
            }
            problem = result.outcome;
            return true;
          });
        });
      });
      return chain.then(function () {
        if (!problem) { return null; }
        return tx("readwrite", function (store) {
          queueNow.forEach(function (entry) {
            var found = store.get(entry.id);
            found.onsuccess = function () {
              if (found.result && found.result.status === "waiting" && !found.result.waited) {
                store.put(Object.assign(found.result, { waited: true }));
              }
            };
          });
        });
      }).then(function () {
        return Promise.all(stale.map(function (id) {
          return tx("readwrite", function (store) { store.delete(id); });
        }));
      });
    });
  }

  var running = null;
  var again = false;
  var asked = false;

  /**
   * Runs a sync (one tab at a time where the browser has Web Locks); resolves when nothing more is to be sent now.
   * `byUser` (a tap on "Sync now", the connection coming back) asked while one runs gets its own attempt even when
   * the running one failed: its failure may be what the user has just put right. Other asks (a page's own follow-up,
   * the worker's Background Sync) rerun only after a success, so a failure is not retried at once in a loop.
   */
  function sync(byUser) {
    if (running) {
      again = true;
      asked = asked || byUser === true;
      return running;
    }
    var locked = navigator.locks && navigator.locks.request
      ? function (work) { return navigator.locks.request(LOCK, work); }
      : function (work) { return work(); };
    function loop() {
      again = false;
      asked = false;
      return locked(runOnce).then(function () {
        return again && (!problem || asked) ? loop() : null;
      });
    }
    running = loop().catch(function () { problem = "retry"; }).then(function () {
      running = null;
      render();
    });
    return running;
  }

  // What the phone shows, kept small so that it never pushes a page's main action (the runner's "Start hold") off a
  // phone's screen: while entries wait, one count line with "Sync now" and a list that opens on demand; once the
  // ones that had to wait are on the server, one line says so for SAVED_SHOWN_MS, then the box goes.
  var SAVED_SHOWN_MS = 8000;
  var LOADED_AT = Date.now();
  var listOpen = false;
  var hideTimer = null;

  function smallButton(label) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-outline-secondary btn-sm";
    b.textContent = label;
    return b;
  }

  function render() {
    var box = document.querySelector("[data-outbox-status]");
    if (!box) { return; }
    everything().then(function (entries) {
      var user = currentUser() === "anonymous" ? null : currentUser();
      var mine = Core.ownedBy(entries, user);
      rememberUnsent(entries); // everyone's: the log-out must not wipe another person's unsent entries unasked
      // Signed out, only a count asks for a sign-in; signed in, only the user's own entries are listed.
      var said = Core.summary(entries, user, problem);
      var open = Core.inOrder(mine.filter(function (e) { return e.status !== "saved"; }));
      var now = Date.now();
      var followsItself = document.getElementById("runner-panel") || document.querySelector("[data-outbox-form=quick]");
      var justSaved = mine.filter(function (e) {
        // Another page drawn after the entry reached the server counts it already: nothing to say there.
        if (!followsItself && (e.savedAt || 0) < LOADED_AT) { return false; }
        return e.status === "saved" && e.waited && now - (e.savedAt || 0) < SAVED_SHOWN_MS;
      });
      // What the server changed in an entry sent after a wait (typed seconds cut to the time the session lasted):
      // said until the person has read it, on whatever page, never only for a moment.
      var changedBy = mine.filter(function (e) {
        return e.status === "saved" && e.waited && !e.noted && e.answer && e.answer.held_note;
      });
      box.textContent = "";
      window.clearTimeout(hideTimer);
      if (!open.length && !said.text && !justSaved.length && !changedBy.length) {
        box.hidden = true;
        return;
      }
      box.hidden = false;
      if (changedBy.length) {
        var notes = document.createElement("div");
        notes.className = "outbox-notes";
        notes.setAttribute("role", "status");
        changedBy.forEach(function (e) {
          var note = document.createElement("p");
          note.className = "outbox-text";
          note.dataset.outboxNote = e.id;
          note.textContent = e.answer.held_note;
          notes.appendChild(note);
        });
        var read = smallButton("OK");
        read.addEventListener("click", function () {
          Promise.all(changedBy.map(function (e) { return update(e.id, { noted: true }); })).then(render);
        });
        notes.appendChild(read);
        box.appendChild(notes);
        if (!open.length && !said.text && !justSaved.length) { return; }
      }
      var line = document.createElement("div");
      line.className = "outbox-line";
      box.appendChild(line);
      if (said.text || open.length) {
        var p = document.createElement("p");
        p.className = "outbox-text fw-semibold";
        p.dataset.outboxCount = String(said.waiting);
        var rejected = open.length - said.waiting;
        p.textContent = [said.text, rejected > 0 ? Core.counted(rejected, "entry", "entries") + " not saved: see why." : ""]
          .join(" ").trim();
        line.appendChild(p);
      } else {
        var done = document.createElement("p");
        done.className = "outbox-text";
        done.dataset.outboxSaved = String(justSaved.length);
        done.textContent = Core.counted(justSaved.length, "entry", "entries") + " saved in your journal.";
        line.appendChild(done);
        if (!followsItself) {
          // This page was made before they reached the server: its figures leave them out until it is loaded
          // again. It says so, and stays until then (the runner and the quick log follow by themselves).
          done.textContent += " This page was made before: update it to count them.";
          var reload = smallButton("Update this page");
          reload.dataset.outboxUpdate = "";
          reload.addEventListener("click", function () { window.location.reload(); });
          line.appendChild(reload);
          return;
        }
        var last = Math.max.apply(null, justSaved.map(function (e) { return e.savedAt || 0; }));
        hideTimer = window.setTimeout(render, Math.max(0, last + SAVED_SHOWN_MS - now) + 50);
        return;
      }
      if (open.length) {
        var list = document.createElement("ul");
        list.id = "outbox-list";
        list.className = "outbox-list list-unstyled";
        open.forEach(function (e) {
          var item = document.createElement("li");
          item.dataset.outboxEntry = e.id;
          item.dataset.outboxState = e.status;
          item.textContent = e.label + ": " + Core.stateText(e);
          list.appendChild(item);
        });
        // A refused entry needs reading: its list opens by itself.
        var shown = listOpen || open.some(function (e) { return e.status === "rejected"; });
        list.hidden = !shown;
        var toggle = smallButton(shown ? "Hide them" : "Show them");
        toggle.setAttribute("aria-controls", list.id);
        toggle.setAttribute("aria-expanded", String(shown));
        toggle.addEventListener("click", function () {
          list.hidden = !list.hidden;
          listOpen = !list.hidden;
          toggle.setAttribute("aria-expanded", String(listOpen));
          toggle.textContent = listOpen ? "Hide them" : "Show them";
        });
        line.appendChild(toggle);
        box.appendChild(list);
      }
      if (said.waiting) {
        if (said.text.indexOf("log in") >= 0) {
          var link = document.createElement("a");
          link.className = "btn btn-outline-secondary btn-sm";
          link.href = box.dataset.loginUrl + "?next=" + encodeURIComponent(location.pathname);
          link.textContent = "Log in";
          line.appendChild(link);
        }
        var button = smallButton("Sync now");
        button.addEventListener("click", function () { sync(true); });
        line.appendChild(button);
      }
    }).catch(function () { box.hidden = true; });
  }

  /** With no connection, the questions left unanswered marked in the page as the server marks them (a fieldset
   * with an error under it), the first one focused high on the screen; each mark goes once it is answered. */
  function markMissing(form) {
    var first = null;
    var invalid = form.querySelectorAll("input:invalid, select:invalid, textarea:invalid");
    Array.prototype.forEach.call(invalid, function (input) {
      var group = input.closest("fieldset") || input.parentNode;
      if (!group || group.classList.contains("is-invalid")) { return; }
      group.classList.add("is-invalid");
      var said = document.createElement("div");
      said.className = "invalid-feedback d-block";
      said.dataset.missing = "";
      said.textContent = input.type === "radio" ? "Choose an answer." : input.validationMessage;
      group.appendChild(said);
      group.addEventListener("change", function clear() {
        group.classList.remove("is-invalid");
        said.remove();
        group.removeEventListener("change", clear);
      });
      if (!first) { first = group.querySelector("legend, label") || group; }
    });
    if (!first) { return; }
    first.setAttribute("tabindex", "-1");
    first.focus({ preventScroll: true });
    window.scrollTo({ top: Math.max(0, first.getBoundingClientRect().top + window.scrollY - window.innerHeight / 4) });
  }

  // Forms go through the outbox when their answers are complete; otherwise the server's errors are wanted.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-outbox-form]") || form.dataset.outboxBypass === "1") { return; }
    if (!window.indexedDB) { return; }
    if (!form.checkValidity()) {
      // Online the server's own errors say what is missing. With no connection they cannot come, and the send's
      // failure would read as a dropped connection: the browser says what is missing instead.
      if (!navigator.onLine) {
        event.preventDefault();
        event.stopImmediatePropagation();
        markMissing(form);
      }
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation(); // htmx's own handler is on the form: it must not post it as well
    var buttons = form.querySelectorAll("button[type=submit]");
    buttons.forEach(function (b) { b.disabled = true; });
    queue(form).then(function () { return sync(); }).catch(function () {
      // No IndexedDB here after all (a private window): post it the usual way.
      buttons.forEach(function (b) { b.disabled = false; });
      form.dataset.outboxBypass = "1";
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    });
  }, true);

  // How many entries are not yet on the server, kept where the sign-out button can read it at once (a sign-out
  // with nothing to ask about goes ahead as a plain post, with no wait).
  var UNSENT_KEY = "tenderspot-outbox-unsent";
  function rememberUnsent(entries) {
    var n = entries.filter(function (e) { return e.status !== "saved"; }).length;
    try { window.localStorage.setItem(UNSENT_KEY, String(n)); } catch (e) { /* private mode: asked every time */ }
  }
  function forgetUnsent() {
    try { window.localStorage.removeItem(UNSENT_KEY); } catch (e) { /* private mode: asked every time */ }
  }
  function knownUnsent() {
    try {
      var kept = window.localStorage.getItem(UNSENT_KEY);
      return kept === null ? null : parseInt(kept, 10);
    } catch (e) { return null; }
  }

  // Sign-out: entries not yet sent are asked about first, in the page, because the server's Clear-Site-Data
  // deletes this database. Without JavaScript the form simply signs out.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-logout]") || form.dataset.outboxAsked === "1") { return; }
    if (knownUnsent() === 0 || !window.indexedDB) { return; } // nothing to ask: the server clears the rest
    event.preventDefault();
    all().then(function (entries) {
      var unsent = entries.filter(function (e) { return e.status !== "saved"; });
      if (!unsent.length) { return clear().then(function () { signOut(form); }); }
      askBeforeSignOut(form, unsent.length);
    }).catch(function () { signOut(form); });
  }, true);

  // The server answers a log-out with Clear-Site-Data, which deletes this whole database. When another person's
  // entries still wait on this phone (their sign-in expired before they were sent), the form asks it to spare the
  // storage (`keep_others`), and the page clears the leaving user's copies itself: their entries (done before this
  // is called), the pages the service worker kept, and the tab's storage.
  function signOut(form) {
    form.dataset.outboxAsked = "1";
    everything().then(function (entries) {
      var others = entries.filter(function (e) { return e.user !== currentUser() && e.status !== "saved"; });
      if (!others.length) { return; }
      var keep = document.createElement("input");
      keep.type = "hidden";
      keep.name = "keep_others";
      keep.value = "1";
      form.appendChild(keep);
      try { window.sessionStorage.clear(); } catch (e) { /* private mode: nothing kept */ }
      try {
        // The runner's kept hold ends (static/js/timer.js): seconds held are health data too.
        Object.keys(window.localStorage).filter(function (key) { return key.indexOf("tenderspot-hold-end:") === 0; })
          .forEach(function (key) { window.localStorage.removeItem(key); });
      } catch (e) { /* private mode: nothing kept */ }
      if (!window.caches) { return; }
      return window.caches.keys().then(function (names) {
        return Promise.all(names.map(function (name) { return window.caches.delete(name); }));
      });
    }).catch(function () { /* the plain log-out clears everything */ }).then(function () { form.submit(); });
  }

  function askBeforeSignOut(form, count) {
    var words = Core.logOutWords(count);
    var dialog = document.createElement("dialog");
    dialog.className = "outbox-dialog";
    dialog.setAttribute("aria-labelledby", "outbox-dialog-title");
    var title = document.createElement("h2");
    title.id = "outbox-dialog-title";
    title.className = "h5";
    title.textContent = words.title;
    var text = document.createElement("p");
    text.textContent = words.text;
    var status = document.createElement("p");
    status.setAttribute("role", "status");
    function button(label, cls, action) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "btn " + cls + " me-2 mb-2";
      b.textContent = label;
      b.addEventListener("click", action);
      return b;
    }
    var sendNow = button(words.send, "btn-accent", function () {
      status.textContent = "Sending…";
      sync(true).then(all).then(function (entries) {
        var left = entries.filter(function (e) { return e.status !== "saved"; }).length;
        if (!left) {
          clear().then(function () { signOut(form); });
        } else {
          status.textContent = words.left(left);
        }
      });
    });
    var discard = button(words.discard, "btn-outline-danger", function () {
      if (window.confirm(words.confirm)) {
        clear().then(function () { signOut(form); });
      }
    });
    var stay = button(words.stay, "btn-outline-secondary", function () { dialog.close(); dialog.remove(); });
    dialog.append(title, text, sendNow, discard, stay, status);
    document.body.appendChild(dialog);
    dialog.showModal();
    sendNow.focus();
  }

  window.TenderspotOutbox = {
    queue: queue, sync: sync, all: all, get: get, remove: remove, clear: clear, forSession: forSession,
    render: render, problem: function () { return problem; }
  };

  window.addEventListener("online", function () { sync(true); });
  // Another tab saved or sent an entry: this tab's count follows.
  window.addEventListener("storage", function (event) { if (event.key === UNSENT_KEY) { render(); } });
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data === "outbox-sync") { sync(); }
    });
    // Background Sync where the browser has it: the worker wakes this page's sync when the connection returns.
    document.addEventListener("outbox:queued", function () {
      navigator.serviceWorker.ready.then(function (reg) {
        if (reg.sync && reg.sync.register) { return reg.sync.register("outbox"); }
      }).catch(function () {});
    });
  }
  if (window.indexedDB) {
    render();
    sync();
  }
})();
