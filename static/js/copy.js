// Copy buttons and select-all fields for addresses people paste elsewhere.
// Loaded with `defer`; no inline script anywhere.
//
//   <input id="x" readonly data-select-on-focus>
//   <button type="button" data-copy-target="x" hidden>Copy</button>
//   <span role="status" data-copy-status-for="x"></span>
//
// The button stays hidden where the clipboard API is missing (plain http on
// another host), since the field can still be selected and copied by hand.
"use strict";

function showCopyStatus(targetId, text) {
  const status = document.querySelector(`[data-copy-status-for="${CSS.escape(targetId)}"]`);
  if (status) status.textContent = text;
}

function setUpCopyButtons(root) {
  root.querySelectorAll("input[data-select-on-focus]").forEach((field) => {
    field.removeAttribute("data-select-on-focus");
    field.addEventListener("focus", () => field.select());
  });
  if (!navigator.clipboard || !window.isSecureContext) return;
  root.querySelectorAll("button[data-copy-target]").forEach((button) => {
    const targetId = button.dataset.copyTarget;
    button.removeAttribute("data-copy-target");
    button.hidden = false;
    button.addEventListener("click", async () => {
      const field = document.getElementById(targetId);
      if (!field) return;
      try {
        await navigator.clipboard.writeText(field.value);
        showCopyStatus(targetId, "Copied.");
      } catch (error) {
        field.focus();
        field.select();
        showCopyStatus(targetId, "Copying was blocked: the text is selected, copy it by hand.");
      }
    });
  });
}

document.addEventListener("DOMContentLoaded", () => setUpCopyButtons(document));
document.addEventListener("htmx:load", (event) => setUpCopyButtons(event.target));
