// Follows the system's light or dark setting (Bootstrap 5.3 colour modes). Loaded in <head> to avoid a flash.
(function () {
  "use strict";
  // Scripts run: the menu may collapse behind its toggle (without them, CSS keeps it open: see tenderspot.css).
  document.documentElement.classList.remove("no-js");
  var query = window.matchMedia("(prefers-color-scheme: dark)");
  function apply() {
    document.documentElement.setAttribute("data-bs-theme", query.matches ? "dark" : "light");
  }
  apply();
  if (query.addEventListener) {
    query.addEventListener("change", apply);
  }
})();

// htmx's history cache is off (historyCacheSize 0 in base.html): a snapshot of a signed-in page kept in
// sessionStorage would outlive logout. This also drops any snapshot an older page version left behind.
(function () {
  "use strict";
  try {
    window.sessionStorage.removeItem("htmx-history-cache");
  } catch (error) {
    // Storage disabled by the browser: there is nothing to forget.
  }
})();
