// consolidate review: sends edits as JSON (with the CSRF token and the page's file version) and applies the answer
// in place: the server sends back the HTML of the parts of the page an edit can change (`#live`, rendered with
// every value escaped), and only the findings whose signature changed are swapped; the others stay as they are
// (their open statement lists, their unsaved text). The focus and the scroll position are kept. Statements are
// fetched a page at a time (a finding's, the not-grouped ones, search results). Text typed but not saved survives
// an edit of its finding (put back in its field, marked unsaved) and a Rebuild (kept in sessionStorage); leaving
// the page any other way with unsaved text asks first.
"use strict";

(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const base = location.pathname.split("/").slice(0, 2).join("/");
  const page = document.getElementById("page");
  const flashBox = document.getElementById("flash");
  const flashText = document.getElementById("flash-text");
  const FLASH = "consolidate-flash";
  const REBUILD = "consolidate-rebuild";
  const UNSAVED = "consolidate-unsaved:" + location.pathname;
  const picked = new Set();
  let reloading = false;
  let flashTimer = null;

  function qidUrl(path) { return base + "/api/q/" + encodeURIComponent(page.dataset.qid) + path; }
  function pageUrl(path) { return base + "/q/" + encodeURIComponent(page.dataset.qid) + path; }
  function live() { return document.getElementById("live"); }
  function version() { return live().dataset.version; }

  function flash(text, kind) {
    clearTimeout(flashTimer);
    flashText.textContent = text;
    flashBox.className = kind || "info";
    flashBox.hidden = !text;
    if (text && kind === "ok") { flashTimer = setTimeout(function () { flashBox.hidden = true; }, 8000); }
  }

  function reloadWith(text, kind) {
    keepUnsaved();
    sessionStorage.setItem(FLASH, JSON.stringify({ text: text, kind: kind }));
    reloading = true;
    location.reload();
  }

  // Text fields of edit forms, each with a key that finds it again after a reload.
  function textFields(root) {
    const out = [];
    (root || document).querySelectorAll("form[data-edit]").forEach(function (form) {
      const field = form.elements.namedItem("text");
      if (field && field.value !== undefined) { out.push({ key: form.dataset.edit + ":" + (form.dataset.finding || ""), field: field }); }
    });
    ["split-title", "split-summary"].forEach(function (id) {
      const field = document.getElementById(id);
      if (field && !root) { out.push({ key: id, field: field }); }
    });
    return out;
  }

  function unsaved(except, root) {
    return textFields(root).filter(function (f) { return f.field !== except && f.field.value !== f.field.defaultValue; });
  }

  function keepUnsaved() {
    const kept = {};
    unsaved(null).forEach(function (f) { kept[f.key] = f.field.value; });
    if (Object.keys(kept).length) { sessionStorage.setItem(UNSAVED, JSON.stringify(kept)); }
  }

  // After a reload (Rebuild): put kept text back in its field; text whose field is gone is shown, so it is never lost.
  function putBackUnsaved() {
    const kept = JSON.parse(sessionStorage.getItem(UNSAVED) || "{}");
    sessionStorage.removeItem(UNSAVED);
    const fields = {};
    textFields().forEach(function (f) { fields[f.key] = f.field; });
    let back = 0;
    const lost = [];
    Object.keys(kept).forEach(function (key) {
      const field = fields[key];
      if (!field) { lost.push(kept[key]); return; }
      if (field.value === kept[key]) { return; }
      field.value = kept[key];
      field.classList.add("unsaved");
      back += 1;
    });
    const notes = [];
    if (back) { notes.push("Your unsaved text is back in " + back + " field(s), marked unsaved: save it with Enter or its button."); }
    if (lost.length) { notes.push("Unsaved text whose finding is gone: " + lost.join(" | ")); }
    return notes.join(" ");
  }

  let inFlight = false;

  function busy(on) {
    inFlight = on;
    document.body.classList.toggle("busy", on);
    document.body.setAttribute("aria-busy", String(on));
  }

  async function post(url, body) {
    if (inFlight) { return { status: 0, data: { error: "Still working on the previous request." } }; }
    busy(true);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify(body),
        credentials: "same-origin",
      });
      let data = {};
      try { data = await response.json(); } catch (e) { data = { error: await response.text().catch(function () { return ""; }) || ("HTTP " + response.status) }; }
      return { status: response.status, data: data };
    } finally {
      busy(false);
    }
  }

  // ---- edits applied in place -------------------------------------------------------------------------------

  function findings() { return Array.from(document.querySelectorAll("article.finding")); }
  function focusables(root) { return Array.from(root.querySelectorAll("button, input, textarea, select, summary, a[href]")); }

  function focusKey() {
    const el = document.activeElement;
    if (!el || el === document.body) { return null; }
    const art = el.closest ? el.closest("article.finding") : null;
    if (art) { return { article: art.id, index: el === art ? -1 : focusables(art).indexOf(el), order: findings().indexOf(art) }; }
    return el.id ? { id: el.id } : null;
  }

  function restoreFocus(key) {
    if (!key) { return; }
    if (key.id) {
      const el = document.getElementById(key.id);
      if (el && el !== document.activeElement) { el.focus({ preventScroll: true }); }
      return;
    }
    let art = document.getElementById(key.article);
    if (!art) {
      const all = findings();
      art = all[Math.min(key.order, all.length - 1)];
      if (art) { art.focus({ preventScroll: true }); }
      return;
    }
    const el = key.index >= 0 ? focusables(art)[key.index] : art;
    (el && !el.disabled ? el : art).focus({ preventScroll: true });
  }

  // Unsaved text and the open statement list of a finding about to be swapped go over to its new version.
  function carryState(before, after, saved) {
    unsaved(saved, before).forEach(function (f) {
      const twin = after.querySelector('form[data-edit="' + f.key.split(":")[0] + '"] [name="text"]');
      if (twin && twin.value !== f.field.value) { twin.value = f.field.value; twin.classList.add("unsaved"); }
    });
  }

  function openLists(root) {
    const out = {};
    root.querySelectorAll("details.statements-box[open]").forEach(function (d) {
      const box = d.querySelector(".results");
      out[d.dataset.key] = Number(box && box.dataset.page) || 1;
    });
    return out;
  }

  function morph(html, saved) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const fresh = document.importNode(doc.getElementById("live"), true);
    const old = live();
    const focus = focusKey();
    const anchor = focus && focus.article ? document.getElementById(focus.article) : null;
    const top = anchor ? anchor.getBoundingClientRect().top : null;
    const wasOpen = openLists(old);
    const before = {};
    old.querySelectorAll("article.finding").forEach(function (a) { before[a.id] = a; });
    const kept = new Set();
    fresh.querySelectorAll("article.finding").forEach(function (a) {
      const mine = before[a.id];
      if (!mine) { return; }
      if (mine.dataset.sig === a.dataset.sig && !mine.contains(saved || null)) { a.replaceWith(mine); kept.add(mine); }
      else { carryState(mine, a, saved); }
    });
    old.replaceWith(fresh);
    fresh.querySelectorAll("details.statements-box").forEach(function (d) {
      const art = d.closest("article.finding");
      if (art && kept.has(art)) { return; }
      if (wasOpen[d.dataset.key]) { d.open = true; loadList(d, wasOpen[d.dataset.key]); }
    });
    syncChoices();
    restoreFocus(focus);
    const now = anchor && focus.article ? document.getElementById(focus.article) : null;
    if (now && top !== null) { window.scrollBy(0, now.getBoundingClientRect().top - top); }
    const results = document.getElementById("search-results");
    if (results.dataset.params) { loadResults(results, JSON.parse(results.dataset.params)); }
  }

  function applied(data, saved) {
    morph(data.html, saved);
    document.getElementById("undo").disabled = !data.can_undo;
  }

  async function refresh(text) {
    const response = await fetch(pageUrl("/live"), { credentials: "same-origin" });
    const data = await response.json().catch(function () { return { error: "HTTP " + response.status }; });
    if (data.html) { applied(data, null); }
    flash(text || data.error || "", "error");
  }

  async function send(edit, field) {
    const result = await post(qidUrl("/edit"), { version: version(), edit: edit });
    if (result.status === 200) {
      if (["pin", "exclude", "split"].includes(edit.kind)) { picked.clear(); clearSplit(); updateSelection(); }
      applied(result.data, field);
      flash(result.data.message, result.data.message.includes("Warning") ? "error" : "ok");
    } else if (result.status === 409) {
      await refresh(result.data.error + (field ? " Your text is kept in its field." : ""));
    } else {
      flash(result.data.error || ("Refused (HTTP " + result.status + ")."), "error");
    }
  }

  function clearSplit() {
    ["split-title", "split-summary"].forEach(function (id) { const f = document.getElementById(id); f.value = ""; f.defaultValue = ""; f.classList.remove("unsaved"); });
  }

  function editFrom(el, extra) {
    const edit = { kind: el.dataset.edit, finding: el.dataset.finding || "", text: el.dataset.text || "", target: el.dataset.target || "", statements: [] };
    if (el.dataset.statement) { edit.statements = [el.dataset.statement]; }
    return Object.assign(edit, extra || {});
  }

  function titleOf(fid) {
    const art = document.getElementById("f-" + fid);
    return art ? art.dataset.title : fid;
  }

  // ---- statements, fetched a page at a time -----------------------------------------------------------------

  async function loadResults(box, params) {
    const query = new URLSearchParams(params);
    box.dataset.params = JSON.stringify(params);
    box.dataset.page = params.page || 1;
    box.setAttribute("aria-busy", "true");
    const response = await fetch(pageUrl("/statements?" + query.toString()), { credentials: "same-origin" });
    const html = await response.text();
    const doc = new DOMParser().parseFromString(html, "text/html");
    box.replaceChildren.apply(box, Array.from(doc.body.childNodes).map(function (n) { return document.importNode(n, true); }));
    box.querySelectorAll("input.pick").forEach(function (p) { p.checked = picked.has(p.value); });
    box.removeAttribute("aria-busy");
  }

  function loadList(details, pageNo) {
    const box = details.querySelector(".results");
    return loadResults(box, { finding: details.dataset.finding, page: pageNo || 1 });
  }

  function searchParams() {
    const form = document.getElementById("search-form");
    const params = { where: "search", q: form.elements.namedItem("q").value, finding: form.elements.namedItem("finding").value };
    const lang = form.elements.namedItem("lang");
    if (lang && lang.value) { params.lang = lang.value; }
    return params;
  }

  function updateSelection() {
    const bar = document.getElementById("selection");
    if (!bar) { return; }
    bar.hidden = picked.size === 0;
    document.getElementById("selected-count").textContent = picked.size + " selected";
  }

  // The move target and the merge dialog list the findings as they are now (`#choices-source`, sent with `#live`).
  function syncChoices() {
    const source = document.getElementById("choices-source");
    if (!source) { return; }
    const move = document.getElementById("move-target");
    const value = move.value;
    move.replaceChildren.apply(move, Array.from(source.options).map(function (o) { return new Option(o.text, o.value); }));
    if (value) { move.value = value; }
  }

  async function onSelection(action) {
    const ids = Array.from(picked);
    if (action === "clear") {
      picked.clear();
      document.querySelectorAll("input.pick:checked").forEach(function (box) { box.checked = false; });
      updateSelection();
      return;
    }
    if (action === "pin") {
      await send({ kind: "pin", finding: document.getElementById("move-target").value, statements: ids });
    } else if (action === "exclude") {
      await send({ kind: "exclude", statements: ids });
    } else if (action === "split") {
      const title = document.getElementById("split-title").value.trim();
      if (!title) { flash("Type a title for the new finding first.", "error"); document.getElementById("split-title").focus(); return; }
      const summary = document.getElementById("split-summary").value.trim();
      await send({ kind: "split", text: title, summary: summary, statements: ids }, document.getElementById("split-title"));
    }
  }

  // ---- merge: chosen in a dialog, never from a pre-selected target ------------------------------------------

  function openMerge(fid) {
    const dialog = document.getElementById("merge-dialog");
    const select = document.getElementById("merge-target");
    const source = document.getElementById("choices-source");
    const options = [new Option("Choose a finding…", "")];
    Array.from(source.options).forEach(function (o) { if (o.value !== fid) { options.push(new Option(o.text, o.value)); } });
    select.replaceChildren.apply(select, options);
    select.value = "";
    dialog.dataset.finding = fid;
    document.getElementById("merge-what").textContent = "Merge “" + titleOf(fid) + "” into another finding:";
    dialog.showModal();
    select.focus();
  }

  async function confirmMerge(event) {
    event.preventDefault();
    const dialog = document.getElementById("merge-dialog");
    const target = document.getElementById("merge-target").value;
    if (!target) { flash("Choose the finding to merge into first.", "error"); return; }
    const fid = dialog.dataset.finding;
    dialog.close();
    const art = document.getElementById("f-" + fid);
    if (art) { art.focus({ preventScroll: true }); }
    await send({ kind: "merge", finding: fid, target: target, text: "", statements: [] });
  }

  // ---- rebuild ----------------------------------------------------------------------------------------------

  function showRebuild(data) {
    const box = document.getElementById("rebuild-result");
    box.replaceChildren();
    const h = document.createElement("h2");
    h.textContent = "Rebuilt in " + data.seconds + " s";
    box.append(h);
    if (data.report) {
      const a = document.createElement("a");
      a.href = base + "/report";
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.textContent = "Open the updated report";
      a.id = "rebuilt-report";
      box.append(a);
    }
    const list = document.createElement("ul");
    data.questions.forEach(function (q) {
      const li = document.createElement("li");
      li.dataset.question = q.question;
      const line = document.createElement("div");
      line.textContent = q.question + ": " + q.findings + " findings (" + q.accepted + " accepted, " + q.rejected +
        " rejected, " + q.draft + " draft), " + q.merged + " merged, " + q.vanished + " vanished, " + q.not_grouped +
        " of " + q.answered + " " + (q.unit || "respondent") + "s not grouped. " + q.summary;
      li.append(line);
      q.unapplied.forEach(function (u) { const p = document.createElement("div"); p.className = "error"; p.textContent = "Not applied: " + u; li.append(p); });
      if (q.details) {
        const det = document.createElement("details");
        const sum = document.createElement("summary");
        sum.textContent = "What the reconciliation matched";
        const pre = document.createElement("pre");
        pre.textContent = q.details;
        det.append(sum, pre);
        li.append(det);
      }
      list.append(li);
    });
    box.append(list);
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", function () { box.hidden = true; });
    box.append(close);
    box.hidden = false;
  }

  async function rebuild() {
    flash("Rebuilding: findings, draft, report…", "info");
    const result = await post(base + "/api/rebuild", {});
    if (result.status !== 200) { flash(result.data.error || "Rebuild failed.", "error"); return; }
    sessionStorage.setItem(REBUILD, JSON.stringify(result.data));
    reloadWith("Rebuilt: the drafts and the report include your edits.", "ok");
  }

  // ---- keyboard ---------------------------------------------------------------------------------------------

  function toEnd(field) {
    field.focus();
    const n = field.value.length;
    if (field.setSelectionRange) { field.setSelectionRange(n, n); }
  }

  function onFieldKey(event, el) {
    if (event.key === "Escape") {
      event.preventDefault();
      const art = el.closest("article.finding");
      el.blur();
      if (art) { art.focus({ preventScroll: true }); }
      return true;
    }
    if (event.key === "Enter" && !event.shiftKey && el.tagName.toLowerCase() === "textarea" && el.form && el.form.dataset.edit) {
      event.preventDefault();
      el.form.requestSubmit();
      return true;
    }
    return false;
  }

  function onKey(event) {
    const el = event.target;
    const tag = (el.tagName || "").toLowerCase();
    if (event.key === "Escape" && !flashBox.hidden && !["input", "textarea", "select"].includes(tag)) { flashBox.hidden = true; return; }
    if (page === null || event.altKey || event.metaKey) { return; }
    if (tag === "input" && el.type === "checkbox" && el.classList.contains("pick") && event.key === "m") {
      event.preventDefault();
      document.getElementById("move-target").focus();
      return;
    }
    if (["input", "textarea", "select"].includes(tag)) { onFieldKey(event, el); return; }
    if (event.ctrlKey && event.key !== "z") { return; }
    const article = el.closest ? el.closest("article.finding") : null;
    const all = findings();
    const key = event.ctrlKey ? "u" : event.key;
    if (key === "u") { const undo = document.getElementById("undo"); if (undo && !undo.disabled) { event.preventDefault(); undo.click(); } return; }
    if (key === "/") { event.preventDefault(); document.getElementById("search-q").focus(); return; }
    if (key === "j" || key === "k") {
      event.preventDefault();
      const i = article ? all.indexOf(article) : -1;
      const next = all[Math.max(0, Math.min(all.length - 1, i + (key === "j" ? 1 : -1)))];
      if (next) { next.focus(); next.scrollIntoView({ block: "nearest" }); }
      return;
    }
    if (!article) { return; }
    const statusKeys = { a: "accepted", r: "rejected", d: "draft" };
    if (statusKeys[key]) { event.preventDefault(); send({ kind: "status", finding: article.dataset.finding, text: statusKeys[key], target: "", statements: [] }); }
    if (key === "e") { event.preventDefault(); toEnd(article.querySelector(".title-input")); }
    if (key === "s") { event.preventDefault(); toEnd(article.querySelector(".summary-form textarea")); }
    if (key === "m" && article.querySelector(".merge-open")) { event.preventDefault(); openMerge(article.dataset.finding); }
    if (key === "o") {
      event.preventDefault();
      const d = article.querySelector("details.statements-box");
      d.open = !d.open;
    }
  }

  function restore() {
    const saved = sessionStorage.getItem(FLASH);
    sessionStorage.removeItem(FLASH);
    const back = putBackUnsaved();
    const f = saved ? JSON.parse(saved) : { text: "", kind: "info" };
    if (f.text || back) { flash([f.text, back].filter(Boolean).join(" "), back && f.kind === "ok" ? "info" : f.kind); }
    const rebuilt = sessionStorage.getItem(REBUILD);
    sessionStorage.removeItem(REBUILD);
    if (rebuilt) {  // just rebuilt: show what it did, once, at the top
      showRebuild(JSON.parse(rebuilt));
      history.scrollRestoration = "manual";
      window.scrollTo(0, 0);
    }
  }

  // ---- wiring -----------------------------------------------------------------------------------------------

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.id === "merge-form") { confirmMerge(event); return; }
    if (form.id === "search-form") { event.preventDefault(); loadResults(document.getElementById("search-results"), searchParams()); return; }
    if (!form.dataset.edit) { return; }
    event.preventDefault();
    const field = form.elements.namedItem("text") || null;
    send(editFrom(form, { text: field ? field.value : "" }), field);
  });

  document.addEventListener("input", function (event) {
    const el = event.target;
    if (el.id === "search-q") { return; }
    if (el.matches && el.matches("textarea, input[type=text], input:not([type])")) { el.classList.toggle("unsaved", el.value !== el.defaultValue); }
  });

  window.addEventListener("beforeunload", function (event) {
    if (reloading || !unsaved(null).length) { return; }
    event.preventDefault();
    event.returnValue = "";  // the browser asks whether to leave the page with unsaved text
  });

  document.addEventListener("toggle", function (event) {
    const d = event.target;
    if (!d.classList || !d.classList.contains("statements-box") || !d.open) { return; }
    const box = d.querySelector(".results");
    if (!box.dataset.params) { loadList(d, 1); }
  }, true);

  document.addEventListener("click", function (event) {
    const el = event.target.closest("button");
    if (!el) { return; }
    if (el.id === "flash-close") { flashBox.hidden = true; return; }
    if (el.id === "merge-cancel") { document.getElementById("merge-dialog").close(); return; }
    if (el.closest("form[data-edit]") || el.closest("form#search-form") || el.closest("form#merge-form")) { return; }
    if (el.classList.contains("page-btn")) {
      const box = el.closest(".results");
      const params = JSON.parse(box.dataset.params || "{}");
      params.page = Number(el.dataset.page);
      loadResults(box, params).then(function () { const first = box.querySelector(".page-btn:not([disabled])"); if (first) { first.focus(); } });
      return;
    }
    if (el.classList.contains("merge-open")) { openMerge(el.dataset.finding); return; }
    if (el.dataset.edit === "merge") {
      if (!window.confirm("Merge “" + titleOf(el.dataset.finding) + "” into “" + titleOf(el.dataset.target) + "”?")) { return; }
    }
    if (el.dataset.edit) { send(editFrom(el)); }
    else if (el.dataset.selection) { onSelection(el.dataset.selection); }
    else if (el.id === "undo") {
      post(qidUrl("/undo"), { version: version() }).then(function (r) {
        if (r.status === 200) { applied(r.data, null); flash("Undone.", "ok"); }
        else if (r.status === 409) { refresh(r.data.error); }
        else { flash(r.data.error || "Nothing to undo.", "error"); }
      });
    } else if (el.id === "rebuild") { rebuild(); }
  });

  document.addEventListener("change", function (event) {
    const el = event.target;
    if (el.classList.contains("pick")) {
      if (el.checked) { picked.add(el.value); } else { picked.delete(el.value); }
      document.querySelectorAll("input.pick").forEach(function (p) { if (p.value === el.value) { p.checked = el.checked; } });
      updateSelection();
    }
    if (el.closest && el.closest("#search-form") && el.tagName.toLowerCase() === "select") {
      loadResults(document.getElementById("search-results"), searchParams());
    }
  });

  document.addEventListener("keydown", onKey);
  restore();
  if (page) { syncChoices(); updateSelection(); }
})();
