"use strict";
// The review page: every text from the queue or the article goes through textContent (el() below).
(function () {
  const config = JSON.parse(document.getElementById("config").textContent);
  const $ = (id) => document.getElementById(id);
  const state = { data: null, current: null, form: null, version: 0 };

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("data-") || key === "title") node.setAttribute(key, value);
      else node[key] = value;
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  function option(value, label, selected) {
    return el("option", { value: value, text: label, selected: !!selected });
  }

  async function api(method, name, body) {
    const init = { method: method, headers: { Accept: "application/json" }, credentials: "same-origin" };
    init.headers[config.header] = config.token;
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(config.api + name, init);
    let data;
    try { data = await response.json(); } catch (e) { data = { error: response.status + " " + response.statusText }; }
    if (!response.ok) throw new Error(data.error || String(response.status));
    return data;
  }

  function showError(text) { $("error").textContent = text; $("error").hidden = !text; }
  function showMessage(text) { $("message").textContent = text; $("message").hidden = !text; }

  // ---------------------------------------------------------------- items

  const entityById = () => new Map(state.data.entities.map((e) => [e.id, e]));

  function items() {
    const all = state.data.entities.map((e) => ({ kind: "entity", item: e, start: e.mentions.length ? e.mentions[0].start : 0 }))
      .concat(state.data.facts.map((f) => ({ kind: "fact", item: f, start: f.start })));
    all.sort((a, b) => a.start - b.start || (a.kind === b.kind ? 0 : a.kind === "entity" ? -1 : 1) || (a.item.id < b.item.id ? -1 : 1));
    return all;
  }

  function visible() {
    const min = Number($("min-confidence").value);
    const decision = $("decision-filter").value;
    const kind = $("kind-filter").value;
    return items().filter((x) => Number(x.item.confidence || 0) + 1e-9 >= min
      && (decision === "all" || x.item.decision === decision) && (kind === "all" || x.kind === kind));
  }

  function entityName(id) {
    const entity = entityById().get(id);
    if (!entity) return id || "";
    return entity.existing ? entity.label + " [" + entity.existing + "]" : entity.label;
  }

  function summary(x) {
    const it = x.item;
    if (x.kind === "entity") return it.label + " — " + it.class + (it.existing ? " = " + it.existing : " (new)");
    return entityName(it.s) + " —" + it.p + "→ " + (it.o ? entityName(it.o) : JSON.stringify(it.v));
  }

  // ---------------------------------------------------------------- rendering

  function render() {
    const shown = visible();
    if (state.current && !shown.some((x) => x.item.id === state.current)) state.current = null;
    if (!state.current && shown.length) state.current = shown[0].item.id;
    renderCounts();
    renderList(shown);
    renderArticle(shown);
    renderDetail();
    state.version += 1;
    document.body.dataset.version = String(state.version);
    document.body.dataset.ready = "1";
  }

  function renderCounts() {
    const all = items();
    const count = (d) => all.filter((x) => x.item.decision === d).length;
    $("counts").textContent = all.length + " items · " + count("pending") + " pending · " + count("accepted")
      + " accepted · " + count("rejected") + " rejected";
  }

  function renderList(shown) {
    const list = $("items");
    list.replaceChildren();
    for (const x of shown) {
      const li = el("li", { class: x.item.decision + (x.item.id === state.current ? " current" : ""),
        "data-id": x.item.id, "data-decision": x.item.decision, "data-kind": x.kind },
      el("span", { class: "badge " + x.kind, text: x.kind === "entity" ? "E" : "F" }),
      el("span", { class: "what", text: summary(x), title: summary(x) }),
      el("span", { class: "conf", text: Number(x.item.confidence || 0).toFixed(2) }),
      el("span", { class: "decision " + x.item.decision, text: x.item.decision }));
      li.addEventListener("click", () => select(x.item.id));
      list.append(li);
    }
    const current = list.querySelector("li.current");
    if (current) current.scrollIntoView({ block: "nearest" });
  }

  function renderArticle(shown) {
    const text = state.data.text;
    const spans = [];
    for (const x of shown) {
      if (x.kind === "entity") {
        for (const m of x.item.mentions) spans.push({ start: u16(m.start), end: u16(m.end), x: x });
      } else {
        spans.push({ start: u16(x.item.start), end: u16(x.item.end), x: x });
      }
    }
    const cuts = new Set([0, text.length]);
    for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
    const points = Array.from(cuts).filter((n) => n >= 0 && n <= text.length).sort((a, b) => a - b);
    const article = $("article");
    article.replaceChildren();
    let selected = null;
    const now = state.data.facts.find((f) => f.id === state.current);
    const ends = new Set(now ? [now.s, now.o] : []);  // a selected fact outlines its two ends
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const piece = text.slice(a, b);
      const covering = spans.filter((s) => s.start <= a && s.end >= b);
      if (!covering.length) { article.append(piece); continue; }
      covering.sort((p, q) => (p.end - p.start) - (q.end - q.start));
      const span = el("span", { class: "hl", text: piece, "data-ids": covering.map((s) => s.x.item.id).join(" ") });
      const entity = covering.find((s) => s.x.kind === "entity");
      const fact = covering.find((s) => s.x.kind === "fact");
      if (entity) span.classList.add("m", "m-" + entity.x.item.decision);
      if (fact) span.classList.add("q", "q-" + fact.x.item.decision);
      const current = covering.find((s) => s.x.item.id === state.current);
      if (current) span.classList.add(current.x.kind === "entity" ? "sel-e" : "sel-f");
      if (current && current.x.kind === "fact" && covering.some((s) => ends.has(s.x.item.id))) span.classList.add("sel-e");
      if (current && !selected) selected = span;
      span.addEventListener("click", () => {
        if (!window.getSelection().isCollapsed) return;  // selecting words (for a quote) is not choosing an item
        const ids = covering.map((s) => s.x.item.id);
        const at = ids.indexOf(state.current);
        select(at >= 0 && ids.length > 1 ? ids[(at + 1) % ids.length] : ids[0]);
      });
      article.append(span);
    }
    if (selected) selected.scrollIntoView({ block: "nearest" });
  }

  function renderDetail() {
    const detail = $("detail");
    detail.replaceChildren();
    const x = items().find((y) => y.item.id === state.current);
    if (!x) { detail.append(el("p", { text: "No proposal matches the filters." })); return; }
    const it = x.item;
    const rows = [];
    const row = (name, value, cls) => rows.push(el("dt", { text: name }), el("dd", { text: value, class: cls || "" }));
    if (x.kind === "entity") {
      row("label", it.label);
      row("class", it.class);
      row("existing", it.existing || "new entity");
      row("mentions", it.mentions.map((m) => m.text).join(" · "));
      if (it.merged_into) row("merged into", entityName(it.merged_into));
    } else {
      row("subject", entityName(it.s));
      row("property", it.p);
      if (it.o) row("object", entityName(it.o)); else row("value", String(it.v));
      row("status", it.status || "—");
      row("quote", it.quote, "quote");
      if (it.resolved) row("resolved", it.resolved);
      if (it.note) row("note", it.note);
    }
    row("confidence", Number(it.confidence || 0).toFixed(2) + " (rule " + (it.rule || "?") + ")");
    row("decision", it.decision);
    const buttons = el("div", { class: "buttons" },
      button("Accept", "a", () => decide("accepted")), button("Reject", "r", () => decide("rejected")),
      button("Pending", "p", () => decide("pending")), button("Edit", "e", openEdit));
    if (x.kind === "entity") buttons.append(button("Merge", "m", openMerge));
    detail.append(el("h2", { text: (x.kind === "entity" ? "Entity " : "Fact ") + it.id }),
      el("dl", {}, ...rows), buttons);
    if (state.form === "edit") detail.append(editForm(x));
    if (state.form === "merge" && x.kind === "entity") detail.append(mergeForm(it));
    const first = detail.querySelector("form select, form input, form textarea");
    if (first) first.focus();
  }

  function button(label, key, action) {
    const b = el("button", { type: "button", "data-action": label.toLowerCase() }, label + " ", el("kbd", { text: key }));
    b.addEventListener("click", action);
    return b;
  }

  function select(id) {
    state.current = id;
    state.form = null;
    render();
  }

  function move(step) {
    const shown = visible();
    if (!shown.length) return;
    const at = shown.findIndex((x) => x.item.id === state.current);
    const next = Math.min(Math.max(at + step, 0), shown.length - 1);
    select(shown[at < 0 ? 0 : next].item.id);
  }

  // ---------------------------------------------------------------- forms

  // Offsets in the queue count code points (Python); the DOM counts UTF-16 units.
  function u16(point) { return state.units ? state.units[point] : point; }

  function offsets(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) return null;
    const units = [0];
    for (const ch of text) units.push(units[units.length - 1] + ch.length);
    return units;
  }

  function useSelection(it, textarea) {
    // the selection's place in the article, so that a quote found twice in the sentence is cut where chosen
    const selection = window.getSelection();
    const article = $("article");
    if (!selection.rangeCount || !article.contains(selection.anchorNode)) {
      showError("select the words of the quote in the article first");
      return;
    }
    const range = selection.getRangeAt(0);
    const before = document.createRange();
    before.setStart(article, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const from = Array.from(state.data.text.slice(0, before.toString().length)).length;
    const chosen = range.toString();
    const offset = from - it.start;
    if (!chosen.trim() || offset < 0 || it.quote.slice(u16(from) - u16(it.start)).indexOf(chosen) !== 0) {
      showError("the selection is not a part of this fact's quote");
      return;
    }
    showError("");
    state.picked = { quote: chosen, offset: offset };
    textarea.value = chosen;
  }

  function field(form, name, label, control) {
    control.name = name;
    control.id = "edit-" + name;
    form.append(el("label", { htmlFor: control.id, text: label }), control);
  }

  function selectOf(values, current, labels) {
    const s = el("select");
    for (const v of values) s.append(option(v, labels ? labels(v) : v, v === current));
    return s;
  }

  function editForm(x) {
    const it = x.item;
    const form = el("form", { id: "editor" });
    const extra = [];
    if (x.kind === "entity") {
      field(form, "label", "label", el("input", { type: "text", value: it.label }));
      field(form, "class", "class", selectOf(state.data.classes, it.class));
      if (!it.existing) {
        const key = el("input", { type: "text", value: it.key || "", placeholder: "from the label, e.g. naval-group" });
        field(form, "key", "new key", key);
      }
    } else {
      // the ends a fact may point to: the article's entities, but those merged into another
      const ids = state.data.entities.filter((e) => !e.merged_into || e.id === it.s || e.id === it.o).map((e) => e.id);
      const names = state.data.properties.map((p) => p.name);
      field(form, "p", "property", selectOf(names, it.p));
      field(form, "s", "subject", selectOf(ids, it.s, entityName));
      if (it.o) field(form, "o", "object", selectOf(ids, it.o, entityName));
      else field(form, "v", "value", el("input", { type: "text", value: it.v === null ? "" : String(it.v) }));
      field(form, "status", "status", selectOf([""].concat(state.data.statuses), it.status || ""));
      const quote = el("textarea", { value: it.quote });
      field(form, "quote", "quote", quote);
      const pick = el("button", { type: "button", id: "use-selection", text: "Quote the selection",
        title: "cut the quote to the words selected in the article" });
      pick.addEventListener("mousedown", (event) => event.preventDefault());  // keep the selection
      pick.addEventListener("click", () => useSelection(it, quote));
      extra.push(pick);
    }
    const save = el("button", { type: "submit", text: "Save and accept" });
    const cancel = el("button", { type: "button", text: "Cancel" });
    cancel.addEventListener("click", closeForm);
    form.append(el("div", { class: "row" }, save, cancel, ...extra));
    form.addEventListener("submit", (event) => { event.preventDefault(); saveEdit(x, form); });
    return form;
  }

  function saveEdit(x, form) {
    const it = x.item;
    const edits = {};
    let quoteStart;
    for (const control of form.querySelectorAll("input, select, textarea")) {
      const before = it[control.name] === null || it[control.name] === undefined ? "" : String(it[control.name]);
      if (control.value !== before) edits[control.name] = control.value;
    }
    if ("quote" in edits) {
      const at = it.quote.indexOf(edits.quote);
      if (!edits.quote.trim() || at < 0) {
        showError("the new quote must be a verbatim part of the current quote: cut words at its ends, change none");
        return;
      }
      quoteStart = it.start + (state.picked && state.picked.quote === edits.quote ? state.picked.offset
        : Array.from(it.quote.slice(0, at)).length);
    }
    decide("accepted", edits, quoteStart);
  }

  function mergeForm(it) {
    const form = el("form", { id: "merger" });
    const target = el("select");
    const here = el("optgroup", { label: "in this article" });
    for (const e of state.data.entities) {
      if (e.id !== it.id && !e.merged_into) here.append(option(e.id, e.label + " (" + e.class + ")"));
    }
    const graph = el("optgroup", { label: "in the graph" });
    for (const k of state.data.known) graph.append(option(k.key, k.label + " (" + (k.class ? k.class + ", " : "") + k.key + ")"));
    target.append(here, graph);
    field(form, "into", "merge into", target);
    const save = el("button", { type: "submit", text: "Merge" });
    const cancel = el("button", { type: "button", text: "Cancel" });
    cancel.addEventListener("click", closeForm);
    form.append(el("div", { class: "row" }, save, cancel));
    form.addEventListener("submit", (event) => { event.preventDefault(); merge(it.id, target.value); });
    return form;
  }

  function openEdit() { state.form = "edit"; renderDetail(); }
  function openMerge() {
    const x = items().find((y) => y.item.id === state.current);
    if (x && x.kind === "entity") { state.form = "merge"; renderDetail(); }
  }
  function closeForm() { state.form = null; renderDetail(); }

  // ---------------------------------------------------------------- writes

  async function write(action) {
    document.body.dataset.busy = "1";
    showError("");
    try {
      await action();
      await load();
    } catch (error) {
      showError(error.message);
    } finally {
      delete document.body.dataset.busy;
    }
  }

  function decide(decision, edits, quoteStart) {
    const id = state.current;
    if (!id) return;
    const body = { source: config.source, id: id, decision: decision, edits: edits || {} };
    if (quoteStart !== undefined) body.quote_start = quoteStart;
    write(async () => {
      await api("POST", "decide", body);
      showMessage(id + ": " + decision + (edits && Object.keys(edits).length ? " (edited: " + Object.keys(edits).join(", ") + ")" : ""));
      state.form = null;
      advance(id);
    });
  }

  function advance(id) {
    const shown = visible();
    const at = shown.findIndex((x) => x.item.id === id);
    if (at >= 0 && at + 1 < shown.length) state.current = shown[at + 1].item.id;
  }

  function merge(id, into) {
    write(async () => {
      const answer = await api("POST", "merge", { source: config.source, id: id, into: into });
      showMessage(id + " merged into " + (answer.item.existing || answer.item.label));
      state.form = null;
    });
  }

  function apply() {
    write(async () => {
      const r = await api("POST", "apply", { source: config.source, partial: $("partial").checked });
      showMessage("applied: " + r.facts + " facts and " + r.entities + " entities written to " + r.facts_file
        + (r.new_entities.length ? "; new entities in seeds/entities.yaml: " + r.new_entities.join(", ") : "")
        + ". Now run `iadef build`.");
    });
  }

  async function load() {
    state.data = await api("GET", "queue/" + encodeURIComponent(config.source));
    state.units = offsets(state.data.text);
    state.picked = null;
    render();
  }

  // ---------------------------------------------------------------- keyboard and controls

  document.addEventListener("keydown", (event) => {
    const tag = event.target.tagName;
    const typing = tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
    if (event.key === "Escape") {
      $("help").hidden = true;
      if (state.form) closeForm();
      return;
    }
    if (typing) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        const form = event.target.form;
        if (form) { event.preventDefault(); form.requestSubmit(); }
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || document.body.dataset.busy) return;
    const actions = {
      j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1),
      a: () => decide("accepted"), r: () => decide("rejected"), p: () => decide("pending"),
      e: openEdit, m: openMerge, "?": () => { $("help").hidden = !$("help").hidden; },
    };
    const action = actions[event.key];
    if (action) { event.preventDefault(); action(); }
  });

  $("min-confidence").addEventListener("input", () => {
    $("min-confidence-value").textContent = Number($("min-confidence").value).toFixed(2);
    render();
  });
  for (const id of ["decision-filter", "kind-filter"]) {
    $(id).addEventListener("change", (event) => { event.target.blur(); render(); });
  }
  $("apply").addEventListener("click", apply);
  $("help-button").addEventListener("click", () => { $("help").hidden = !$("help").hidden; });
  load().catch((error) => { showError(error.message); document.body.dataset.ready = "1"; });
})();
