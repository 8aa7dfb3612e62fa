// consolidate review: sends edits as JSON (with the CSRF token and the page's file version), then reloads the
// page so that it always shows the review file as it is on disk. Only ever sets text, never HTML.
// Text typed but not saved (a title, summary, note or split title) survives those reloads: it is kept in
// sessionStorage and put back in its field, marked unsaved; so is the text of a save refused because the file
// changed on disk. Leaving the page any other way with unsaved text asks first.
"use strict";

(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const base = location.pathname.split("/").slice(0, 2).join("/");
  const page = document.getElementById("page");
  const flashBox = document.getElementById("flash");
  const FLASH = "consolidate-flash";
  const REBUILD = "consolidate-rebuild";
  const OPEN = "consolidate-open:" + location.pathname;
  const UNSAVED = "consolidate-unsaved:" + location.pathname;
  let reloading = false;

  function flash(text, kind) {
    flashBox.textContent = text;
    flashBox.className = kind || "info";
    flashBox.hidden = !text;
  }

  function reloadWith(text, kind, saved) {
    keepUnsaved(saved);
    sessionStorage.setItem(FLASH, JSON.stringify({ text: text, kind: kind }));
    reloading = true;
    location.reload();
  }

  // Text fields of edit forms, each with a key that finds it again after a reload.
  function textFields() {
    const out = [];
    document.querySelectorAll("form[data-edit]").forEach(function (form) {
      const field = form.elements.namedItem("text");
      if (field && field.value !== undefined) { out.push({ key: form.dataset.edit + ":" + (form.dataset.finding || ""), field: field }); }
    });
    const split = document.getElementById("split-title");
    if (split) { out.push({ key: "split-title", field: split }); }
    return out;
  }

  function unsaved(except) {
    return textFields().filter(function (f) { return f.field !== except && f.field.value !== f.field.defaultValue; });
  }

  // Before a reload: remember every field whose text differs from the file's (except the one just saved).
  function keepUnsaved(saved) {
    const kept = {};
    unsaved(saved).forEach(function (f) { kept[f.key] = f.field.value; });
    if (Object.keys(kept).length) { sessionStorage.setItem(UNSAVED, JSON.stringify(kept)); }
  }

  // After a reload: put kept text back in its field; text whose field is gone is shown, so it is never lost.
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

  function describe(edit) {
    const what = { title: "rename to “" + edit.text + "”", summary: "new summary", note: "note", status: edit.text,
      merge: "merge into " + edit.target, unmerge: "unmerge", pin: "move " + edit.statements.length + " statement(s)",
      exclude: "take out " + edit.statements.length + " statement(s)", split: "new finding “" + edit.text + "”",
      split_out: "split out", keep_subpoint: "keep sub-point" }[edit.kind] || edit.kind;
    return (edit.finding ? edit.finding + ": " : "") + what;
  }

  async function send(edit, field) {
    const qid = page.dataset.qid;
    const result = await post(base + "/api/q/" + encodeURIComponent(qid) + "/edit", { version: page.dataset.version, edit: edit });
    if (result.status === 200) {
      reloadWith("Saved: " + describe(edit) + ".", "ok", field);
    } else if (result.status === 409) {
      reloadWith(result.data.error + " Your edit was: " + describe(edit) + "." + (field ? " Your text is kept in its field." : ""), "error");
    } else {
      flash(result.data.error || ("Refused (HTTP " + result.status + ")."), "error");
    }
  }

  function editFrom(el, extra) {
    const edit = { kind: el.dataset.edit, finding: el.dataset.finding || "", text: el.dataset.text || "", target: el.dataset.target || "", statements: [] };
    return Object.assign(edit, extra || {});
  }

  function selected() {
    return Array.from(document.querySelectorAll("input.pick:checked")).map(function (box) { return box.value; });
  }

  function updateSelection() {
    const bar = document.getElementById("selection");
    if (!bar) { return; }
    const n = selected().length;
    bar.hidden = n === 0;
    document.getElementById("selected-count").textContent = n + " selected";
  }

  async function onSelection(action) {
    const ids = selected();
    if (action === "clear") {
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
      await send({ kind: "split", text: title, statements: ids }, document.getElementById("split-title"));
    }
  }

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
        " of " + q.answered + " respondents not grouped. " + q.summary;
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

  function findings() { return Array.from(document.querySelectorAll("article.finding")); }

  function onKey(event) {
    const tag = (event.target.tagName || "").toLowerCase();
    if (["input", "textarea", "select"].includes(tag) || event.altKey || event.metaKey) { return; }
    if (event.ctrlKey && event.key !== "z") { return; }
    const article = event.target.closest ? event.target.closest("article.finding") : null;
    const all = findings();
    const key = event.ctrlKey ? "u" : event.key;
    if (key === "u") { const undo = document.getElementById("undo"); if (undo && !undo.disabled) { event.preventDefault(); undo.click(); } return; }
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
    if (key === "e") { event.preventDefault(); article.querySelector(".title-input").focus(); }
    if (key === "o") { event.preventDefault(); const d = article.querySelector("details"); d.open = !d.open; }
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
    const open = JSON.parse(sessionStorage.getItem(OPEN) || "[]");
    document.querySelectorAll("details[data-key]").forEach(function (d) {
      d.open = open.includes(d.dataset.key);
      d.addEventListener("toggle", function () {
        const keys = Array.from(document.querySelectorAll("details[data-key]")).filter(function (x) { return x.open; }).map(function (x) { return x.dataset.key; });
        sessionStorage.setItem(OPEN, JSON.stringify(keys));
      });
    });
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.dataset.edit) { return; }
    event.preventDefault();
    const field = form.elements.namedItem("text") || null;
    const target = form.elements.namedItem("target") || null;
    send(editFrom(form, { text: field ? field.value : "", target: target ? target.value : "" }), field);
  });

  document.addEventListener("input", function (event) {
    const el = event.target;
    if (el.matches && el.matches("textarea, input[type=text], input:not([type])")) { el.classList.toggle("unsaved", el.value !== el.defaultValue); }
  });

  window.addEventListener("beforeunload", function (event) {
    if (reloading || !unsaved(null).length) { return; }
    event.preventDefault();
    event.returnValue = "";  // the browser asks whether to leave the page with unsaved text
  });

  document.addEventListener("click", function (event) {
    const el = event.target.closest("button");
    if (!el || el.closest("form[data-edit]")) { return; }
    if (el.dataset.edit) { send(editFrom(el)); }
    else if (el.dataset.selection) { onSelection(el.dataset.selection); }
    else if (el.id === "undo") {
      post(base + "/api/q/" + encodeURIComponent(page.dataset.qid) + "/undo", { version: page.dataset.version }).then(function (r) {
        if (r.status === 200) { reloadWith("Undone.", "ok"); }
        else if (r.status === 409) { reloadWith(r.data.error, "error"); }
        else { flash(r.data.error || "Nothing to undo.", "error"); }
      });
    } else if (el.id === "rebuild") { rebuild(); }
  });

  document.addEventListener("change", function (event) { if (event.target.classList.contains("pick")) { updateSelection(); } });
  document.addEventListener("keydown", onKey);
  restore();
  updateSelection();
})();
