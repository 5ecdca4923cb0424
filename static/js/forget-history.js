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
