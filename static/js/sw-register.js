/* Registers the service worker (config.pwa) so that Tenderspot can be installed and open without a connection. A
 * browser without service workers, or with them switched off, gets the plain site. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  const script = document.currentScript;
  const url = script && script.dataset.sw;
  if (!url) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(url, { scope: "/" }).catch(function () {
      /* Not installable here (e.g. plain http on another host): the site works as before. */
    });
  });

  // The runner changes its step in place (htmx, the outbox), so the copy the worker kept at the page's last full
  // load may be of the red-flag check, which is never kept, or of an earlier step. Once the steps are on, the worker
  // is asked to fetch the runner again and keep it (the server still decides, with X-Offline-Page), so that a
  // reload with no connection opens the session, not the "needs a connection" page.
  var keepTimer = null;
  function keepRunner() {
    window.clearTimeout(keepTimer);
    keepTimer = window.setTimeout(function () {
      var panel = document.getElementById("runner-panel");
      var controller = navigator.serviceWorker.controller;
      if (!panel || !controller || !navigator.onLine || !panel.dataset.runUrl) return;
      if (panel.dataset.runnerMode !== "step" && panel.dataset.runnerMode !== "finish") return;
      controller.postMessage({ keep: panel.dataset.runUrl });
    }, 800);
  }
  document.addEventListener("htmx:afterSettle", keepRunner);
  document.addEventListener("outbox:changed", keepRunner);
})();
