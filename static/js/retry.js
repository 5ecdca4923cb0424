/* A failed htmx post keeps the form as entered and offers "Try again" (no inline script: CSP).
 *
 * htmx does not swap a response it cannot get (network drop) or an error response (server restart, 5xx), so the
 * form stays on screen with what the user entered. Any htmx form holding a [data-retry] box
 * (templates/journal/_retry.html) shows that box with its "Try again" button, which sends the same form again.
 * The server side makes every such post safe to replay (the same step, the same one-time key, the same answer).
 */
(function () {
  "use strict";

  if (window.tenderspotRetry) { return; } // loaded once per page, whatever the templates include
  window.tenderspotRetry = true;

  function formOf(event) {
    var elt = event.detail && event.detail.elt;
    if (!elt || !elt.closest) { return null; }
    return elt.matches("form") ? elt : elt.closest("form");
  }

  function showRetry(event) {
    var form = formOf(event);
    var box = form && form.querySelector("[data-retry]");
    if (!box) { return; }
    box.hidden = false;
    var retry = box.querySelector("[data-action=retry]");
    if (retry && !retry.dataset.bound) {
      retry.dataset.bound = "1";
      retry.addEventListener("click", function () {
        box.hidden = true;
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      });
    }
    if (retry) { retry.focus(); }
  }

  document.addEventListener("htmx:sendError", showRetry);
  document.addEventListener("htmx:responseError", showRetry);
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = formOf(event);
    var box = form && form.querySelector("[data-retry]");
    if (box) { box.hidden = true; }
  });
})();
