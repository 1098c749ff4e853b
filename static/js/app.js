// Second Round's small behaviours. Loaded with `defer`; no inline script anywhere.
"use strict";

// Pre-select the browser's own time zone in a select that asks for one,
// unless the person has already chosen (a form shown again after an error).
// A zone missing from the list is an old spelling (Chrome still says
// "Asia/Calcutta"): it is added as an option and the server translates it.
function guessTimeZone(root) {
  let zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) return;
  root.querySelectorAll("select[data-guess-time-zone]").forEach((select) => {
    const known = Array.from(select.options).some((option) => option.value === zone);
    if (!known) select.prepend(new Option(zone.replaceAll("_", " "), zone));
    select.value = zone;
    select.removeAttribute("data-guess-time-zone");
  });
}

document.addEventListener("DOMContentLoaded", () => guessTimeZone(document));
document.addEventListener("htmx:load", (event) => guessTimeZone(event.target));

// A form marked data-submit-once ignores a second submit (a double click):
// the server would recognise the repeat too, but this spares the round trip.
document.addEventListener("submit", (event) => {
  const form = event.target;
  // A submit held back (drafts.js waits for a connection) has not gone: it may go later.
  if (event.defaultPrevented) return;
  if (!form.matches || !form.matches("[data-submit-once]")) return;
  if (form.dataset.submitting) {
    event.preventDefault();
    return;
  }
  form.dataset.submitting = "true";
});

// Pages kept for working offline hold private notes: a signed-out browser
// (a shared computer, after logging out) drops them.
if (document.body && document.body.hasAttribute("data-signed-out") && "caches" in window) {
  caches.delete("second-round-offline-v1");
}

// htmx swaps a refused form (400, 409, 422) in place, errors beside the fields
// (the configuration is in base.html). Anything else that goes wrong leaves the
// page as it was, with everything typed, and is said here.
function showRequestProblem(text) {
  const box = document.getElementById("request-problem");
  if (!box) return;
  box.textContent = text;
  box.hidden = false;
}

// A tap on the message puts it away.
document.addEventListener("click", (event) => {
  if (event.target.id === "request-problem") event.target.hidden = true;
});

document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr ? event.detail.xhr.status : 0;
  showRequestProblem(
    status >= 500
      ? "Something went wrong on our side, so that was not saved. Everything you typed is still here: try again in a moment."
      : "That could not be done. Reload the page and try again; everything you typed is still here."
  );
});

document.addEventListener("htmx:sendError", () => {
  showRequestProblem("No connection, so nothing was sent. Everything you typed is still here: try again when you are back online.");
});

document.addEventListener("htmx:afterRequest", (event) => {
  const box = document.getElementById("request-problem");
  if (box && event.detail.successful) box.hidden = true;
});
