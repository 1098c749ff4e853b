// The board: drag a card onto a column to move the application to that stage.
// The server does the move and sends the board back; htmx swaps it in. Every
// card also has a "Move" menu that works without this script (and on touch).
"use strict";

(function () {
  let dragged = null;

  function dropTarget(event) {
    return event.target.closest ? event.target.closest("[data-drop-stage]") : null;
  }

  function boardScroller() {
    return document.querySelector("[data-board]");
  }

  // --- Scrolling while dragging -----------------------------------------------------------------
  // A drag cannot scroll the board by itself, so the far columns were out of reach. Near the left or
  // right edge of the board, and the top or bottom of the window, the board (or the page) scrolls a
  // little every frame, faster the closer the pointer is to the edge. It runs from frame to frame on
  // the last place the pointer was seen: the browser reports it only when the pointer moves.
  const EDGE = 72; // px from an edge where scrolling starts
  const FASTEST = 24; // px a frame, right at the edge
  let pointer = null;
  let frame = 0;

  function step(distanceIntoEdge) {
    if (distanceIntoEdge <= 0) return 0;
    const depth = Math.min(distanceIntoEdge, EDGE) / EDGE;
    return Math.ceil(FASTEST * depth * depth); // gentle at first, quick at the very edge
  }

  function autoscroll() {
    frame = 0;
    if (!dragged) return;
    if (pointer) {
      const board = boardScroller();
      if (board) {
        const box = board.getBoundingClientRect();
        if (pointer.y >= box.top - EDGE && pointer.y <= box.bottom + EDGE) {
          const sideways = step(pointer.x - (box.right - EDGE)) - step(box.left + EDGE - pointer.x);
          if (sideways) board.scrollLeft += sideways;
        }
      }
      const down = step(pointer.y - (window.innerHeight - EDGE)) - step(EDGE - pointer.y);
      if (down) window.scrollBy(0, down);
    }
    frame = requestAnimationFrame(autoscroll);
  }

  function stopAutoscroll() {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    pointer = null;
    const board = boardScroller();
    if (board) board.classList.remove("is-autoscrolling");
  }

  document.addEventListener("dragstart", (event) => {
    const card = event.target.closest && event.target.closest("[data-card]");
    if (!card) return;
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.moveUrl);
    const board = boardScroller();
    if (board) board.classList.add("is-autoscrolling");
    if (!frame) frame = requestAnimationFrame(autoscroll);
  });

  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    stopAutoscroll();
    document.querySelectorAll(".is-drop-target").forEach((el) => el.classList.remove("is-drop-target"));
  });

  document.addEventListener("dragover", (event) => {
    if (dragged) pointer = { x: event.clientX, y: event.clientY };
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
    stopAutoscroll();
    // `source` makes htmx send the CSRF header declared on <body>.
    htmx.ajax("POST", url, {
      source: target,
      target: "#board",
      swap: "outerHTML",
      values: { stage: target.dataset.dropStage, next: window.location.pathname },
    });
  });

  // --- The board coming back after a move ----------------------------------------------------------
  // The new board would start scrolled to its first column: it keeps the place of the one it replaces,
  // so a card dropped in the last column is seen arriving there.
  let keptScroll = null;
  let focusAfterSwap = null;

  document.addEventListener("htmx:beforeSwap", (event) => {
    if (!event.detail.target || event.detail.target.id !== "board") return;
    const board = boardScroller();
    keptScroll = board ? board.scrollLeft : null;
    // A move made from the keyboard (a Move menu, an Undo) loses its button with the old board:
    // the focus goes on to the confirmation, where the next thing to do is. A click leaves the focus
    // alone (:focus-visible tells the two apart), so the confirmation goes in its own time.
    const active = document.activeElement;
    focusAfterSwap =
      active && active.closest && active.closest(".move-menu, [data-move-toast]") && active.matches(":focus-visible")
        ? "toast"
        : null;
  });

  document.addEventListener("htmx:load", (event) => {
    const element = event.target;
    if (element.id === "board") {
      const board = boardScroller();
      if (board && keptScroll !== null) board.scrollLeft = keptScroll;
      keptScroll = null;
      markShownColumn();
    }
    if (element.matches && element.matches("[data-move-toast]")) showToast(element);
  });

  // --- The confirmation after a move ------------------------------------------------------------
  // It stays ten seconds, longer while the pointer rests on it or the focus is in it (time to reach
  // its Undo from the keyboard), or until closed.
  const TOAST_SECONDS = 10;
  let toastTimer = 0;

  function clearToast() {
    clearTimeout(toastTimer);
    const region = document.querySelector("[data-move-status]");
    if (region) region.replaceChildren();
  }

  function waitThenClear() {
    clearTimeout(toastTimer);
    toastTimer = setTimeout(clearToast, TOAST_SECONDS * 1000);
  }

  function showToast(toast) {
    waitThenClear();
    toast.addEventListener("mouseenter", () => clearTimeout(toastTimer));
    toast.addEventListener("focusin", () => clearTimeout(toastTimer));
    toast.addEventListener("mouseleave", () => {
      if (!toast.contains(document.activeElement)) waitThenClear();
    });
    toast.addEventListener("focusout", (event) => {
      if (!toast.contains(event.relatedTarget)) waitThenClear();
    });
    if (focusAfterSwap === "toast") {
      const next = toast.querySelector(".move-undo-button") || toast.querySelector("[data-move-toast-close]");
      if (next) next.focus();
    }
    focusAfterSwap = null;
  }

  document.addEventListener("click", (event) => {
    if (event.target.closest && event.target.closest("[data-move-toast-close]")) clearToast();
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const toast = document.querySelector("[data-move-toast]");
    if (toast && toast.contains(document.activeElement)) clearToast();
  });

  // --- The phone's stage picker ---------------------------------------------------------------
  // Without script its links jump to the columns. With it, a tap slides the board to the column,
  // marks the stage as the one shown, and puts the focus on the column's name, so a screen reader
  // says where it is and the keyboard goes on from there. Swiping the board marks the stage too.
  let shownKey = null;

  function columnOf(key) {
    return document.querySelector(`[data-board] [data-column="${CSS.escape(key)}"]`);
  }

  function markShownColumn() {
    document.querySelectorAll("[data-stage-link]").forEach((link) => {
      if (link.dataset.stageLink === shownKey) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    });
  }

  function pickerShown() {
    const picker = document.querySelector("[data-stage-picker]");
    return picker && picker.offsetParent !== null;
  }

  // While the board slides to a chosen column, the columns it passes are not marked one by one.
  let slidingTo = null;
  let slideTimer = 0;

  function showColumn(key, { smooth, focus }) {
    const board = boardScroller();
    const column = columnOf(key);
    if (!board || !column) return;
    shownKey = key;
    markShownColumn();
    const left = column.getBoundingClientRect().left - board.getBoundingClientRect().left + board.scrollLeft;
    const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    slidingTo = key;
    clearTimeout(slideTimer);
    slideTimer = setTimeout(() => (slidingTo = null), 1000);
    board.scrollTo({ left, behavior: smooth && !still ? "smooth" : "auto" });
    if (focus) {
      const heading = column.querySelector("h2");
      if (heading) heading.focus({ preventScroll: true });
    }
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("[data-stage-link]");
    if (!link || !pickerShown()) return;
    event.preventDefault();
    showColumn(link.dataset.stageLink, { smooth: true, focus: true });
    // The address names the column, as the link without script would, without a jump of the page.
    history.replaceState(null, "", `#column-${link.dataset.stageLink}`);
  });

  // Which column fills the board now: the one whose left edge is nearest the board's.
  let settling = 0;
  document.addEventListener(
    "scroll",
    (event) => {
      if (!event.target.matches || !event.target.matches("[data-board]") || !pickerShown()) return;
      cancelAnimationFrame(settling);
      settling = requestAnimationFrame(() => {
        const board = event.target;
        const edge = board.getBoundingClientRect().left;
        let nearest = null;
        let distance = Infinity;
        board.querySelectorAll("[data-column]").forEach((column) => {
          const away = Math.abs(column.getBoundingClientRect().left - edge);
          if (away < distance) [nearest, distance] = [column, away];
        });
        if (slidingTo) {
          if (nearest && nearest.dataset.column === slidingTo && distance < 2) slidingTo = null;
          return;
        }
        if (nearest && nearest.dataset.column !== shownKey) {
          shownKey = nearest.dataset.column;
          markShownColumn();
        }
      });
    },
    true, // scroll does not bubble: caught on its way down
  );

  function showColumnFromAddress() {
    const key = window.location.hash.startsWith("#column-") ? window.location.hash.slice(8) : "";
    if (key && columnOf(key)) showColumn(key, { smooth: false, focus: false });
    else if (pickerShown()) {
      const first = document.querySelector("[data-board] [data-column]");
      if (first) {
        shownKey = first.dataset.column;
        markShownColumn();
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", showColumnFromAddress);
  else showColumnFromAddress();

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
