// Sign-up: the time zone list starts at the device's own zone, with its region listed first. The person can still
// pick another; a choice already made (the form came back with an error) is left alone.
(function () {
  "use strict";
  function detect(root) {
    var select = root.querySelector && root.querySelector("select[data-detect-time-zone]");
    if (!select || !window.Intl) return;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var option = null;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === zone) option = select.options[i];
    }
    if (!option) return;
    var group = option.parentElement;
    if (group.tagName === "OPTGROUP" && select.children[1] !== group) select.insertBefore(group, select.children[1]);
    if (select.value === "UTC") option.selected = true;
  }
  detect(document);
  document.addEventListener("htmx:load", function (event) { detect(event.target); });
})();
