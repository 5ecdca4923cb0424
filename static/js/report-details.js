// The PDF takes the name and questions typed on the export page even without a tap on "Save for my report": when
// a PDF download is asked for while those fields hold unsaved changes, they are saved first (the same POST the
// button sends), then the download goes ahead. If the server refuses them (422), its answer with the errors is
// shown and nothing is downloaded. Without JavaScript the page says to save first.
(() => {
  const detailsForm = () => document.querySelector("#report-details form");
  const changed = (form) => [...form.elements].some(
    (el) => ("defaultValue" in el) && el.type !== "hidden" && el.value !== el.defaultValue);

  document.addEventListener("submit", async (event) => {
    const pdf = event.target.closest("form.report-download");
    const details = detailsForm();
    if (!pdf || !details || !changed(details)) return;
    event.preventDefault();
    const submitter = event.submitter;
    let response;
    try {
      // A plain post, as without JavaScript: the answer is the export page (after the redirect, or with the
      // errors), whose details section takes the place of this one.
      response = await fetch(details.action, {method: "POST", body: new FormData(details), credentials: "same-origin"});
    } catch {
      response = null;
    }
    if (!response || (!response.ok && response.status !== 422)) {
      // Offline or a server error: download with what is saved, as before, rather than not at all.
      pdf.requestSubmit(submitter);
      return;
    }
    const section = document.getElementById("report-details");
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const answered = page.getElementById("report-details");
    const swapped = answered ? document.importNode(answered, true) : null;
    if (section && swapped) {
      section.replaceWith(swapped);
      if (window.htmx) window.htmx.process(swapped);
    }
    if (response.ok) {
      pdf.requestSubmit(submitter);
    } else {
      const invalid = document.querySelector("#report-details .is-invalid");
      if (invalid) invalid.focus();
    }
  });
})();
