// The reflection form: nothing typed is lost.
//
// 1. Every change is copied to localStorage at once (keyed by interview).
// 2. A couple of seconds after typing stops, on leaving a field, and when the
//    connection comes back, the form is sent to the autosave endpoint. A save
//    that succeeds clears the local copy; one that fails keeps it.
// 3. On load, a local copy newer than the server's is offered back.
// 4. The server refuses a save based on an older version (another tab or
//    device saved meanwhile) and sends its copy; both are shown side by side.
// 5. A service worker keeps this page and its assets, so it reopens offline.
"use strict";

(function () {
  const form = document.querySelector("[data-reflection-form]");
  if (!form) return;

  const storageKey = form.dataset.draftKey;
  const serverSavedAt = Number(form.dataset.serverSavedAt || 0) * 1000;
  const status = document.getElementById("save-status");
  const versionInput = form.elements.namedItem("version");
  const editorInput = form.elements.namedItem("editor");
  // This copy of the form. The server lets it save over its own earlier saves
  // (whose answers may have been lost offline) but not over another tab's.
  editorInput.value = window.crypto && crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
  const SAVE_DELAY_MS = 2000;
  const RETRY_MS = 10000;

  let timer = null;
  let saving = false;
  let changedSinceSave = false;

  function showStatus(state, text) {
    status.dataset.state = state;
    status.textContent = text;
  }

  function clock(date) {
    return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  // --- the local copy -------------------------------------------------------

  function fieldsOf() {
    const fields = {};
    for (const [name, value] of new FormData(form)) {
      if (name === "csrfmiddlewaretoken" || name === "version" || name === "editor") continue;
      (fields[name] = fields[name] || []).push(value);
    }
    return fields;
  }

  function applyFields(fields) {
    for (const element of form.elements) {
      if (!element.name || ["csrfmiddlewaretoken", "version", "editor"].includes(element.name)) continue;
      const values = fields[element.name] || [];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values.includes(element.value);
      } else if (element.tagName === "TEXTAREA" || element.type === "text") {
        element.value = values[0] || "";
      }
    }
    updateCounts();
  }

  function readLocal() {
    try {
      return JSON.parse(localStorage.getItem(storageKey) || "null");
    } catch (error) {
      return null;
    }
  }

  function keepLocal() {
    try {
      localStorage.setItem(
        storageKey,
        JSON.stringify({
          savedAt: Date.now(),
          version: Number(versionInput.value),
          editor: editorInput.value,
          fields: fieldsOf(),
        })
      );
    } catch (error) {
      // Storage full or disabled: the server copy is then the only one.
    }
  }

  function dropLocal() {
    localStorage.removeItem(storageKey);
  }

  // --- saving ---------------------------------------------------------------

  function scheduleSave(delay) {
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  async function save() {
    clearTimeout(timer);
    if (saving) {
      changedSinceSave = true;
      return;
    }
    saving = true;
    changedSinceSave = false;
    showStatus("saving", "Saving…");
    try {
      const response = await fetch(form.dataset.autosaveUrl, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      const isJson = (response.headers.get("content-type") || "").includes("application/json");
      if (!isJson) {
        showStatus("error", "You seem to be logged out. Your text is kept on this device: log in again in another tab, then come back.");
        return;
      }
      const body = await response.json();
      if (response.ok) {
        versionInput.value = body.version;
        if (!changedSinceSave) dropLocal();
        else keepLocal();
        showStatus("saved", `Saved ${body.saved_at}`);
      } else if (response.status === 409) {
        showConflict(body);
      } else if (response.status === 400) {
        const first = Object.values(body.errors || {})[0];
        showStatus("error", `Not saved: ${first ? first[0] : "please check the form"}. Your text is kept on this device.`);
      } else {
        showStatus("error", body.error || "Not saved. Your text is kept on this device.");
      }
    } catch (error) {
      showStatus("offline", "Offline. Kept on this device; it will be saved when you are back online.");
      scheduleSave(RETRY_MS);
    } finally {
      saving = false;
      if (changedSinceSave) scheduleSave(SAVE_DELAY_MS);
    }
  }

  function onEdit() {
    keepLocal();
    changedSinceSave = true;
    showStatus("pending", "Not saved yet…");
    scheduleSave(SAVE_DELAY_MS);
  }

  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);
  form.addEventListener("focusout", (event) => {
    if (changedSinceSave && event.target.matches("textarea, input[type=text]")) save();
  });
  window.addEventListener("online", () => {
    if (readLocal()) save();
  });
  // A plain submit (Save draft, Done) goes to the server as a normal form post;
  // the local copy is dropped only once that page confirms it was saved.

  // --- conflicts ------------------------------------------------------------

  const conflictBox = document.getElementById("conflict");

  function showConflict(body) {
    const list = conflictBox.querySelector("[data-conflict-fields]");
    list.replaceChildren();
    for (const [name, theirs] of Object.entries(body.theirs)) {
      const mine = (form.elements.namedItem(name) || {}).value || "";
      if (mine === theirs) continue;
      list.append(conflictRow(body.labels[name], theirs, mine));
    }
    conflictBox.querySelector("p.fw-semibold").textContent =
      `This reflection was saved somewhere else meanwhile (at ${body.saved_at}).`;
    conflictBox.querySelector("[data-conflict-actions]").hidden = false;
    conflictBox.hidden = false;
    conflictBox.dataset.version = body.version;
    conflictBox.dataset.theirs = JSON.stringify(body.theirs);
    showStatus("error", "Not saved: choose which copy to keep.");
    conflictBox.scrollIntoView({ block: "start" });
  }

  function conflictRow(label, theirs, mine) {
    const row = document.createElement("div");
    row.className = "conflict-field mb-2";
    const title = document.createElement("p");
    title.className = "small fw-semibold mb-1";
    title.textContent = label;
    const grid = document.createElement("div");
    grid.className = "row g-2";
    for (const [heading, text] of [["Saved elsewhere", theirs], ["Yours", mine]]) {
      const column = document.createElement("div");
      column.className = "col-md-6";
      const caption = document.createElement("p");
      caption.className = "small mb-1 text-body-secondary";
      caption.textContent = heading;
      const body = document.createElement("div");
      body.className = "conflict-text";
      body.textContent = text || "(empty)";
      column.append(caption, body);
      grid.append(column);
    }
    row.append(title, grid);
    return row;
  }

  conflictBox.querySelector("[data-keep-mine]").addEventListener("click", () => {
    versionInput.value = conflictBox.dataset.version;
    conflictBox.hidden = true;
    save();
  });

  conflictBox.querySelector("[data-take-theirs]").addEventListener("click", () => {
    const theirs = JSON.parse(conflictBox.dataset.theirs || "{}");
    for (const [name, text] of Object.entries(theirs)) {
      const field = form.elements.namedItem(name);
      if (field) field.value = text;
    }
    versionInput.value = conflictBox.dataset.version;
    conflictBox.hidden = true;
    dropLocal();
    updateCounts();
    showStatus("saved", "Showing the other copy.");
  });

  // --- a newer local copy on load -------------------------------------------

  const localBox = document.getElementById("local-copy");
  const local = readLocal();
  if (local && local.savedAt > serverSavedAt) {
    if (JSON.stringify(local.fields) !== JSON.stringify(fieldsOf())) {
      localBox.querySelector("[data-local-time]").textContent = clock(new Date(local.savedAt));
      localBox.hidden = false;
    }
  } else if (local) {
    dropLocal(); // the server has everything it held, or newer
  }

  localBox.querySelector("[data-use-local]").addEventListener("click", () => {
    applyFields(local.fields);
    // Saving from the version the local copy started from: if the server has
    // moved on since, the conflict check shows both.
    versionInput.value = local.version;
    editorInput.value = local.editor || editorInput.value;
    localBox.hidden = true;
    keepLocal();
    save();
  });

  localBox.querySelector("[data-discard-local]").addEventListener("click", () => {
    dropLocal();
    localBox.hidden = true;
  });

  // --- character counts -------------------------------------------------------

  function updateCounts() {
    document.querySelectorAll("[data-count-for]").forEach((counter) => {
      const field = document.getElementById(counter.dataset.countFor);
      if (!field) return;
      const limit = Number(field.dataset.limit);
      counter.textContent = `${field.value.length.toLocaleString()} of ${limit.toLocaleString()} characters`;
    });
  }
  form.addEventListener("input", updateCounts);
  updateCounts();

  // --- working offline ------------------------------------------------------

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(() => {});
  }
  if ("caches" in window) {
    // Keep this page and what it loads, so a reload without signal still opens it.
    const assets = Array.from(document.querySelectorAll("link[rel=stylesheet], script[src]"), (el) => el.href || el.src);
    caches
      .open("second-round-offline-v1")
      .then((cache) => cache.addAll([window.location.pathname, ...assets]))
      .catch(() => {});
  }
})();
