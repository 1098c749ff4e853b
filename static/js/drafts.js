// One draft mechanism for every long form: nothing typed is lost.
//
// A form opts in with data-draft-form and data-draft-key (its name, where its
// copies live), and one of two ways to keep it on the server as it is typed:
// - data-autosave-url: the form saves itself (the reflection is its own draft),
//   with data-draft-base, the saved values as JSON;
// - data-draft-store: the draft store (apps/core), which keeps the unsent form
//   until a button sends it; the server then drops the draft
//   (apps/core/middleware.py) and tells this script to drop its own copy.
//
// 1. Every change is copied to localStorage at once, with the base it was
//    edited from, and kept until the server has confirmed what it holds.
// 2. A couple of seconds after typing stops, on leaving a field, and when the
//    connection comes back, the form goes to the server with its base. The
//    server merges field by field (apps/core/drafts.py): another tab's edit to
//    another field is kept and comes back into this form; the same text edited
//    in both comes back as a conflict, both versions side by side, for the
//    person to pick or combine. Nothing is overwritten unseen.
// 3. On load, the server's draft and a local copy it has not confirmed are
//    merged back the same way, before anything else: a page reopened offline
//    shows this device's copy at once.
// 4. Sending with a button while offline waits, visibly, and goes when the
//    connection returns.
// 5. A service worker keeps the page and its assets, so it reopens offline.
"use strict";

(function () {
  const SAVE_DELAY_MS = 2000;
  const RETRY_MS = 10000;
  const OWN_FIELDS = ["csrfmiddlewaretoken", "version", "editor", "draft_base", "draft_key"];
  const OFFLINE = "Offline. Kept on this device; it will be saved when you are back online.";
  const WAITING = "Waiting for a connection: it will be sent as soon as you are back online.";
  const SENT_COOKIE = "second_round_sent_drafts";
  // The pages templates/sw.js opens without a connection (REFLECTION_PAGE there).
  const OFFLINE_PAGE = /^\/interviews\/\d+\/reflect\/$/;

  // Line breaks arrive as CRLF from a form post and as LF from a textarea: the same text.
  const lf = (values) => (values || []).map((value) => value.replace(/\r\n/g, "\n"));
  const same = (a, b) => JSON.stringify(lf(a)) === JSON.stringify(lf(b));
  const sameFields = (a, b) => Object.keys({ ...a, ...b }).every((name) => same(a[name], b[name]));
  const clock = (date) => date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

  function fieldsOf(form) {
    const fields = {};
    for (const element of form.elements) {
      // Hidden inputs are the page's own (a creation token), not something the person typed.
      if (!element.name || OWN_FIELDS.includes(element.name) || ["submit", "hidden"].includes(element.type)) continue;
      fields[element.name] = fields[element.name] || [];
    }
    for (const [name, value] of new FormData(form)) {
      if (name in fields) fields[name].push(value.replace(/\r\n/g, "\n"));
    }
    return fields;
  }

  function setField(form, name, values) {
    for (const element of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
      if (element.type === "checkbox" || element.type === "radio") element.checked = values.includes(element.value);
      else element.value = values[0] || "";
    }
  }

  // How the server should merge each field: typed text, ticks, or one choice.
  function kindsOf(form) {
    const kinds = {};
    for (const name of Object.keys(fieldsOf(form))) {
      kinds[name] = isTicks(form, name) ? "ticks" : isText(form, name) ? "text" : "choice";
    }
    return kinds;
  }

  // The same rule as the server's: keep what only one side changed; ticks merge;
  // text both changed is a conflict. With joinText (nobody to hand a conflict
  // to), both versions stay in the field to edit down. Returns the names in conflict.
  function mergeInto(form, mine, base, saved, joinText) {
    const conflicts = [];
    for (const name of Object.keys(mine)) {
      const here = mine[name];
      const from = base[name] || [];
      const there = saved[name] || [];
      if (same(here, there) || same(here, from)) continue;
      if (same(there, from)) {
        setField(form, name, here);
      } else if (isTicks(form, name)) {
        const added = here.filter((value) => !from.includes(value));
        const kept = there.filter((value) => from.includes(value) ? here.includes(value) : true);
        setField(form, name, [...kept, ...added.filter((value) => !kept.includes(value))]);
      } else if (isText(form, name) && joinText) {
        setField(form, name, [[there[0], here[0]].filter(Boolean).join("\n\n")]);
      } else if (isText(form, name)) {
        setField(form, name, here);
        conflicts.push(name);
      } else {
        setField(form, name, here);
      }
    }
    return conflicts;
  }

  function isTicks(form, name) {
    return Array.from(form.querySelectorAll(`[name="${CSS.escape(name)}"]`)).some((el) => el.type === "checkbox");
  }

  function isText(form, name) {
    const element = form.querySelector(`[name="${CSS.escape(name)}"]`);
    return element && (element.tagName === "TEXTAREA" || ["text", "email", "url", "search"].includes(element.type));
  }

  function labelOf(form, name) {
    const element = form.querySelector(`[name="${CSS.escape(name)}"]`);
    const label = element && element.id && form.querySelector(`label[for="${CSS.escape(element.id)}"]`);
    return label ? label.textContent.trim() : name;
  }

  // The drafts the store keeps for this page's forms, asked for once for all of them (in a
  // few requests on a page of many forms: an address must stay short enough for any server).
  const KEYS_PER_REQUEST = 20;
  let storeDrafts = null;
  function draftsInStore(url) {
    if (!storeDrafts) {
      const keys = Array.from(document.querySelectorAll("form[data-draft-store]"), (form) => form.dataset.draftKey);
      const asks = [];
      for (let start = 0; start < keys.length; start += KEYS_PER_REQUEST) {
        const query = new URLSearchParams(keys.slice(start, start + KEYS_PER_REQUEST).map((key) => ["key", key]));
        asks.push(
          fetch(`${url}?${query}`, { credentials: "same-origin", headers: { Accept: "application/json" } })
            .then((response) => (response.ok ? response.json() : { drafts: {} }))
            .then((answer) => answer.drafts || {})
            .catch(() => ({}))
        );
      }
      storeDrafts = Promise.all(asks).then((found) => Object.assign({}, ...found));
    }
    return storeDrafts;
  }

  // The server accepted these forms since this device last looked: their copies here are done.
  function forgetSentDrafts() {
    const cookie = document.cookie.split("; ").find((item) => item.startsWith(`${SENT_COOKIE}=`));
    if (!cookie) return;
    for (const key of decodeURIComponent(cookie.slice(SENT_COOKIE.length + 1)).split("\n")) {
      if (key) localStorage.removeItem(key);
    }
    document.cookie = `${SENT_COOKIE}=; max-age=0; path=/; samesite=lax`;
  }

  function setUp(form) {
    const root = form.closest("[data-draft-root]") || document;
    const notice = root.querySelector("[data-draft-notice]");
    const conflictBox = root.querySelector("[data-draft-conflicts]");
    const key = form.dataset.draftKey;
    const versionInput = form.elements.namedItem("version");
    const editorInput = form.elements.namedItem("editor");
    const baseInput = form.elements.namedItem("draft_base");
    const autosaveUrl = form.dataset.autosaveUrl;
    const storeUrl = form.dataset.draftStore;
    // What the page showed before anything was brought back: where the store's draft starts.
    const origin = fieldsOf(form);
    let status = form.closest("[data-draft-root]") ? root.querySelector("[data-draft-status]") : form.querySelector("[data-draft-status]");

    let base;
    try {
      base = JSON.parse(form.dataset.draftBase || "null") || fieldsOf(form);
    } catch (error) {
      base = fieldsOf(form);
    }
    // Text both copies changed: name -> the saved version, until the person chooses.
    const conflicts = new Map();
    // This copy of the form: the server lets it save over its own earlier saves
    // (whose answers may have been lost offline).
    if (editorInput && !editorInput.value) {
      editorInput.value = window.crypto && crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
    }
    let timer = null;
    let saving = null; // the save on its way, if any
    let again = false;
    let sending = false; // a button sent the form: nothing more goes to the draft store

    // A form with no status line of its own says it under its button.
    function showStatus(state, text) {
      if (!status) {
        const button = form.querySelector("button[type=submit]");
        status = document.createElement("p");
        status.className = "save-status small mt-2 mb-0";
        status.setAttribute("role", "status");
        status.setAttribute("aria-live", "polite");
        status.dataset.draftStatus = "";
        (button ? button.parentElement : form).append(status);
      }
      status.dataset.state = state;
      status.textContent = text;
    }

    function showSaved(savedAt) {
      showStatus("saved", storeUrl ? `Draft kept at ${savedAt}, until you send it.` : `Saved ${savedAt}`);
    }

    // One page may bring back several parts: each says so on a line of its own.
    function showNotice(text) {
      if (!notice) return;
      const first = notice.querySelector("[data-draft-notice-text]");
      if (notice.hidden) {
        first.textContent = text;
      } else {
        const line = first.cloneNode(false);
        line.textContent = text;
        notice.append(line);
      }
      notice.hidden = false;
    }

    // --- the local copy -------------------------------------------------------

    function readLocal() {
      try {
        return JSON.parse(localStorage.getItem(key) || "null");
      } catch (error) {
        return null;
      }
    }

    function keepLocal(extra) {
      const previous = readLocal() || {};
      try {
        localStorage.setItem(
          key,
          JSON.stringify({
            savedAt: Date.now(),
            version: versionInput ? Number(versionInput.value) : 0,
            editor: editorInput ? editorInput.value : "",
            base: baseForServer(),
            fields: fieldsOf(form),
            queued: previous.queued || null,
            ...extra,
          })
        );
      } catch (error) {
        // Storage full or switched off: the server copy is then the only one.
      }
    }

    function dropLocal() {
      localStorage.removeItem(key);
    }

    // While a conflict is open the server must see it again, so that field's base stays as it was.
    function baseForServer() {
      return { ...base };
    }

    // --- saving ---------------------------------------------------------------

    function scheduleSave(delay) {
      clearTimeout(timer);
      timer = setTimeout(save, delay);
    }

    function save() {
      clearTimeout(timer);
      if (!(autosaveUrl || storeUrl) || sending) return saving;
      if (saving) {
        again = true;
        return saving;
      }
      saving = send().finally(() => {
        saving = null;
        if (again) scheduleSave(SAVE_DELAY_MS);
      });
      return saving;
    }

    function draftBody() {
      const body = new FormData();
      body.set("csrfmiddlewaretoken", form.elements.namedItem("csrfmiddlewaretoken").value);
      body.set("key", key);
      body.set("draft_fields", JSON.stringify(fieldsOf(form)));
      body.set("draft_base", JSON.stringify(baseForServer()));
      body.set("draft_origin", JSON.stringify(origin));
      body.set("draft_kinds", JSON.stringify(kindsOf(form)));
      return body;
    }

    async function send() {
      again = false;
      const sent = fieldsOf(form);
      let body;
      if (storeUrl) {
        body = draftBody();
      } else {
        body = new FormData(form);
        body.set("draft_base", JSON.stringify(baseForServer()));
      }
      showStatus("saving", storeUrl ? "Keeping a draft…" : "Saving…");
      try {
        const response = await fetch(storeUrl || autosaveUrl, {
          method: "POST",
          body,
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        const isJson = (response.headers.get("content-type") || "").includes("application/json");
        if (!isJson) {
          showStatus("error", "You seem to be logged out. Your text is kept on this device: log in again in another tab, then come back.");
          return;
        }
        const answer = await response.json();
        if (answer.fields) {
          settle(answer, sent);
        } else if (response.status === 400) {
          const first = Object.values(answer.errors || {})[0];
          showStatus("error", `Not saved: ${first ? first[0] : "please check the form"}. Your text is kept on this device.`);
        } else {
          showStatus("error", answer.error || "Not saved. Your text is kept on this device.");
        }
      } catch (error) {
        const queued = (readLocal() || {}).queued;
        showStatus(queued ? "waiting" : "offline", queued ? WAITING : OFFLINE);
        scheduleSave(RETRY_MS);
      }
    }

    // The server's answer: what it holds now becomes the base; edits made
    // elsewhere come into the form where this copy has not typed since.
    function settle(answer, sent) {
      if (versionInput) versionInput.value = answer.version;
      const now = fieldsOf(form);
      const open = new Map((answer.conflicts || []).map((conflict) => [conflict.name, conflict]));
      for (const [name, values] of Object.entries(answer.fields)) {
        const saved = lf(values);
        if (open.has(name) || conflicts.has(name)) continue;
        if (!same(now[name], sent[name]) && !same(saved, sent[name])) continue; // typed since: the next save merges
        base[name] = saved;
        if (same(now[name], sent[name]) && !same(saved, now[name])) setField(form, name, saved);
      }
      for (const conflict of open.values()) {
        // Answered since this save left (the person chose already): the next save settles it.
        if (!same(now[conflict.name], sent[conflict.name])) continue;
        conflicts.set(conflict.name, conflict);
      }
      renderConflicts();
      updateCounts();
      if (conflicts.size) {
        keepLocal();
        showStatus("error", "Saved, except what you and another copy both changed: choose below.");
      } else if (sameFields(fieldsOf(form), base)) {
        dropLocal();
        showSaved(answer.saved_at);
      } else {
        // Typed or chosen since this save left: not all of it is on the server yet.
        keepLocal();
        showStatus("pending", "Not saved yet…");
        again = true;
      }
    }

    function onEdit(event) {
      if (event.target.type === "hidden" || OWN_FIELDS.includes(event.target.name)) return;
      keepLocal();
      again = true;
      showStatus("pending", storeUrl ? "Draft not kept yet…" : "Not saved yet…");
      scheduleSave(SAVE_DELAY_MS);
    }

    form.addEventListener("input", onEdit);
    form.addEventListener("change", onEdit);
    form.addEventListener("focusout", (event) => {
      if (event.target.matches("textarea, input[type=text]") && readLocal()) save();
    });
    window.addEventListener("online", () => {
      const local = readLocal();
      if (local && local.queued) sendQueued(local.queued);
      else if (local) save();
    });

    // --- the buttons: a plain post carries the base too; offline, it waits --------

    form.addEventListener("submit", (event) => {
      if (baseInput) baseInput.value = JSON.stringify(baseForServer());
      const button = event.submitter;
      if (!navigator.onLine) {
        event.preventDefault();
        keepLocal({ queued: button && button.name ? button.name : "save" });
        showStatus("waiting", WAITING);
        return;
      }
      if (!storeUrl) return;
      if (saving) {
        // A draft on its way would arrive after the form and start the draft again: it goes first.
        event.preventDefault();
        saving.then(() => form.requestSubmit(button));
        return;
      }
      // Online, the post goes, named so that the server ends the draft if it takes the form.
      // This device's copy stays until a page says the server took it (a cookie): if the
      // answer never comes, the text is still here.
      clearTimeout(timer);
      sending = true;
      let named = form.querySelector("input[name=draft_key]");
      if (!named) {
        named = document.createElement("input");
        named.type = "hidden";
        named.name = "draft_key";
        form.append(named);
      }
      named.value = key;
    });

    function sendQueued(action) {
      const button = form.querySelector(`button[type=submit][name="${CSS.escape(action)}"]`) || form.querySelector("button[type=submit]");
      keepLocal({ queued: null });
      if (baseInput) baseInput.value = JSON.stringify(baseForServer());
      form.requestSubmit(button);
    }

    // --- conflicts ------------------------------------------------------------

    // Several forms on a page share one box: each keeps its own rows there.
    function renderConflicts() {
      if (!conflictBox) return;
      const list = conflictBox.querySelector("[data-conflict-fields]");
      list.querySelectorAll("[data-conflict-of]").forEach((row) => row.dataset.conflictOf === key && row.remove());
      if (root === document) list.querySelectorAll(":scope > :not([data-conflict-of])").forEach((row) => row.remove());
      else list.replaceChildren();
      list.append(...Array.from(conflicts.values(), conflictRow));
      conflictBox.hidden = list.children.length === 0;
      const actions = conflictBox.querySelector("[data-conflict-actions]");
      if (actions) actions.hidden = true;
    }

    function conflictRow(conflict) {
      const field = form.querySelector(`[name="${CSS.escape(conflict.name)}"]`);
      const mine = field ? field.value : conflict.mine;
      const row = document.createElement("div");
      row.className = "conflict-field mb-3";
      row.dataset.conflictOf = key;
      const title = document.createElement("p");
      title.className = "small fw-semibold mb-1";
      title.textContent = conflict.label || labelOf(form, conflict.name);
      const grid = document.createElement("div");
      grid.className = "row g-2";
      for (const [heading, text] of [["Saved elsewhere", conflict.theirs], ["Yours, on this device", mine]]) {
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
      const choices = document.createElement("div");
      choices.className = "d-flex flex-wrap gap-2 mt-2";
      for (const [label, pick] of [
        ["Keep both", () => [conflict.theirs, mine].filter(Boolean).join("\n\n")],
        ["Use mine", () => mine],
        ["Use the one saved elsewhere", () => conflict.theirs],
      ]) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = label === "Keep both" ? "btn btn-primary btn-sm" : "btn btn-outline-secondary btn-sm";
        button.textContent = label;
        button.addEventListener("click", () => resolve(conflict, pick()));
        choices.append(button);
      }
      row.append(title, grid, choices);
      return row;
    }

    // The person chose: that text is theirs to keep, edited from what is saved now.
    function resolve(conflict, text) {
      setField(form, conflict.name, [text]);
      base[conflict.name] = [conflict.theirs];
      conflicts.delete(conflict.name);
      renderConflicts();
      updateCounts();
      keepLocal();
      save();
    }

    // --- on load: a copy the server never confirmed comes back first ----------------

    const part = form.dataset.draftPart ? ` in “${form.dataset.draftPart}”` : "";

    // Opened without a connection, perhaps from the offline cache: this device's copy is
    // the newest there is.
    function bringBackOffline(local) {
      for (const [name, values] of Object.entries(local.fields)) setField(form, name, values);
      base = local.base || base;
      if (versionInput && local.version) versionInput.value = local.version;
      if (editorInput && local.editor) editorInput.value = local.editor;
      showNotice(`You are offline. This is what you typed${part} on this device (last at ${clock(new Date(local.savedAt))}); it will be saved when you are back online.`);
      showStatus("offline", "Offline. Kept on this device.");
    }

    // The store's draft (typed in another tab, on another device, or here before a reload)
    // goes over what the page shows, changing only what was typed.
    function bringBackFromStore(draft) {
      const page = fieldsOf(form);
      mergeInto(form, draft.fields, draft.origin || page, page, true);
      base = { ...base, ...draft.fields };
      if (sameFields(fieldsOf(form), page)) return;
      showNotice(`We brought back what you typed${part}, kept at ${draft.saved_at}. It is not sent yet: use its button when you are ready.`);
      showSaved(draft.saved_at);
    }

    function bringBackLocal(local) {
      const saved = fieldsOf(form);
      const inConflict = mergeInto(form, local.fields, local.base || saved, saved, false);
      if (editorInput && local.editor) editorInput.value = local.editor;
      if (sameFields(fieldsOf(form), saved)) {
        dropLocal(); // the server already holds all of it
        return;
      }
      const when = clock(new Date(local.savedAt));
      showNotice(
        autosaveUrl
          ? `We brought back what you typed on this device at ${when}, which had not been saved yet.`
          : `We brought back what you typed${part} on this device at ${when}. It is not sent yet: use its button when you are ready.`
      );
      for (const name of inConflict) {
        // Sent with the base it was typed from, so the server hands the conflict back.
        base[name] = (local.base || {})[name] || [];
      }
      if (local.queued) sendQueued(local.queued);
      else save();
    }

    async function bringBack() {
      const local = readLocal();
      if (!navigator.onLine) {
        if (local && local.fields) bringBackOffline(local);
        return;
      }
      let fromStore = null;
      if (storeUrl) {
        const draft = (await draftsInStore(storeUrl))[key];
        if (draft && draft.fields) fromStore = { ...draft, fields: untouched(draft.fields) };
      }
      // The store answers after the page is up: what the person typed meanwhile wins.
      if (fromStore) bringBackFromStore(fromStore);
      if (local && local.fields) bringBackLocal({ ...local, fields: untouched(local.fields) });
      updateCounts();
    }

    // The fields of a copy the person has not changed since the page loaded.
    function untouched(fields) {
      const now = fieldsOf(form);
      return Object.fromEntries(Object.entries(fields).filter(([name]) => same(now[name], origin[name])));
    }

    // --- character counts -------------------------------------------------------

    function updateCounts() {
      root.querySelectorAll("[data-count-for]").forEach((counter) => {
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
    bringBack();

    if ("caches" in window && navigator.onLine && OFFLINE_PAGE.test(window.location.pathname)) {
      // Keep this page and what it loads, so a reload without signal still opens it.
      const assets = Array.from(document.querySelectorAll("link[rel=stylesheet], script[src]"), (el) => el.href || el.src);
      caches
        .open("second-round-offline-v1")
        .then((cache) => cache.addAll([window.location.pathname, ...assets]))
        .catch(() => {});
    }
  }

  forgetSentDrafts();
  document.querySelectorAll("form[data-draft-form]").forEach(setUp);
})();
