// The board: drag a card onto a column to move the application to that stage.
// The server does the move and sends the board back; htmx swaps it in. Every
// card also has a "Move" menu that works without this script (and on touch).
"use strict";

(function () {
  let dragged = null;

  function dropTarget(event) {
    return event.target.closest ? event.target.closest("[data-drop-stage]") : null;
  }

  document.addEventListener("dragstart", (event) => {
    const card = event.target.closest && event.target.closest("[data-card]");
    if (!card) return;
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.moveUrl);
  });

  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    document.querySelectorAll(".is-drop-target").forEach((el) => el.classList.remove("is-drop-target"));
  });

  document.addEventListener("dragover", (event) => {
    const target = dropTarget(event);
    if (!target || !dragged) return;
    event.preventDefault(); // allows the drop
    event.dataTransfer.dropEffect = "move";
    document.querySelectorAll(".is-drop-target").forEach((el) => {
      if (el !== target) el.classList.remove("is-drop-target");
    });
    target.classList.add("is-drop-target");
  });

  document.addEventListener("drop", (event) => {
    const target = dropTarget(event);
    if (!target || !dragged) return;
    event.preventDefault();
    const url = dragged.dataset.moveUrl;
    // `source` makes htmx send the CSRF header declared on <body>.
    htmx.ajax("POST", url, {
      source: target,
      target: "#board",
      swap: "outerHTML",
      values: { stage: target.dataset.dropStage, next: window.location.pathname },
    });
  });

  // Cards a column's "more" button brought take its place: the focus goes to the first of them
  // (htmx fires this once for each new element), where reading goes on, not back to the page's top.
  document.addEventListener("htmx:afterSwap", (event) => {
    const more = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!more || !more.matches("[data-board-more]") || more.dataset.focusMoved) return;
    const title = event.target.querySelector && event.target.querySelector(".board-card-title");
    if (!title) return;
    more.dataset.focusMoved = "true";
    title.focus();
  });
})();
