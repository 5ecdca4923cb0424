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
})();
