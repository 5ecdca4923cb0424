/* Tenderspot's service worker (served by config.pwa.service_worker; version {{ version }}).
 *
 * - Static files: this release's hashed names are fetched once at install and then served from the cache.
 * - Pages: always asked of the server first. A page the server marks as fit for offline use (X-Offline-Page) is
 *   kept in the cache of the user who received it ("ts-pages-" + the opaque X-Offline-User key). Every page tells
 *   whose session it belongs to; the caches of anyone else (or all of them, for a visitor) are dropped at once.
 * - No connection: the user's own copy of the page, else the offline page that says the page needs the server.
 * - Log-out: every user's pages are dropped before the request leaves (the server's Clear-Site-Data does it too).
 */
"use strict";

const VERSION = "{{ version }}";
const STATIC_CACHE = "ts-static-" + VERSION;
const PAGES_PREFIX = "ts-pages-";
const META_CACHE = "ts-meta";
const PRECACHE = {{ precache_json|safe }};
const OFFLINE_URL = {{ offline_url_json|safe }};
const LOGOUT_URL = {{ logout_url_json|safe }};
const STATIC_URL = {{ static_url_json|safe }};
const CURRENT_USER_KEY = "/__current-user";

let currentUser = null;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { credentials: "omit" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("ts-static-") && name !== STATIC_CACHE).map((name) => caches.delete(name)),
      ))
      .then(() => self.clients.claim()),
  );
});

async function rememberUser(user) {
  currentUser = user;
  const meta = await caches.open(META_CACHE);
  await meta.put(CURRENT_USER_KEY, new Response(user));
}

async function recalledUser() {
  if (currentUser !== null) return currentUser;
  const stored = await caches.match(CURRENT_USER_KEY, { cacheName: META_CACHE });
  currentUser = stored ? await stored.text() : "anonymous";
  return currentUser;
}

/* Drops every user's page cache except `keep` (null: all of them). */
async function dropPagesExcept(keep) {
  const names = await caches.keys();
  await Promise.all(names
    .filter((name) => name.startsWith(PAGES_PREFIX) && name !== PAGES_PREFIX + keep)
    .map((name) => caches.delete(name)));
}

async function forgetEveryone() {
  await dropPagesExcept(null);
  await rememberUser("anonymous");
}

async function fromNetwork(request) {
  const response = await fetch(request);
  const user = response.headers.get("X-Offline-User");
  if (user) {
    if (user === "anonymous") {
      await forgetEveryone();
    } else {
      await dropPagesExcept(user);
      await rememberUser(user);
      if (response.ok && response.headers.get("X-Offline-Page") === "1") {
        const cache = await caches.open(PAGES_PREFIX + user);
        await cache.put(request, response.clone());
      }
    }
  }
  return response;
}

async function offlineAnswer(request) {
  const user = await recalledUser();
  if (user !== "anonymous") {
    const cache = await caches.open(PAGES_PREFIX + user);
    const copy = await cache.match(request);
    if (copy) return copy;
  }
  const page = await caches.match(OFFLINE_URL, { cacheName: STATIC_CACHE });
  return page || new Response("You are offline.", { status: 503, headers: { "Content-Type": "text/plain" } });
}

async function navigate(request) {
  try {
    return await fromNetwork(request);
  } catch (error) {
    return offlineAnswer(request);
  }
}

async function staticFile(request) {
  const cached = await caches.match(request, { cacheName: STATIC_CACHE });
  if (cached) return cached;
  return fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    if (url.pathname === LOGOUT_URL) event.waitUntil(forgetEveryone());
    return;  // the browser sends it as usual
  }
  if (request.mode === "navigate") {
    event.respondWith(navigate(request));
  } else if (url.pathname.startsWith(STATIC_URL)) {
    event.respondWith(staticFile(request));
  }
});

/* Background Sync (Chromium): when the connection returns, the open pages send their outbox (static/js/outbox.js).
 * Never relied on: the pages also sync when they open, on "online" and on the user's tap. */
self.addEventListener("sync", (event) => {
  if (event.tag !== "outbox") return;
  event.waitUntil(
    self.clients.matchAll({ type: "window" })
      .then((clients) => clients.forEach((client) => client.postMessage("outbox-sync"))),
  );
});

/* A page's own address fetched again and kept, if the server marks it fit for offline use (the runner asks after
 * changing its step in place). Only this site's pages; the server's answer decides, as for any navigation. */
async function keep(path) {
  const url = new URL(path, self.location.origin);
  if (url.origin !== self.location.origin) return;
  try {
    await fromNetwork(new Request(url, { credentials: "same-origin" }));
  } catch (error) {
    /* No connection now: the copy kept before stays. */
  }
}

self.addEventListener("message", (event) => {
  if (event.data === "forget-everyone") event.waitUntil(forgetEveryone());
  else if (event.data && typeof event.data.keep === "string") event.waitUntil(keep(event.data.keep));
});
