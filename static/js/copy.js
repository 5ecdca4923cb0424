// Copy buttons: <button data-copy-target="input-id"> copies that input's value; a [data-copy-status="input-id"]
// element announces the result. Delegated, so it works for content htmx swaps in later.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const id = button.getAttribute("data-copy-target");
  const input = document.getElementById(id);
  const status = document.querySelector(`[data-copy-status="${id}"]`);
  if (!input) return;
  try {
    await navigator.clipboard.writeText(input.value);
    if (status) status.textContent = "Copied.";
  } catch {
    input.select();
    if (status) status.textContent = "Selected: press Ctrl+C or Cmd+C to copy.";
  }
});
