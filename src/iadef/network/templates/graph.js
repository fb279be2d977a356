// Page script of `iadef viz`. Data comes from the JSON block #iadef-data; every
// data-derived string reaches the DOM through textContent (never innerHTML) and no
// vis-network `title` is set, so a label that looks like markup stays plain text.
(function () {
  "use strict";

  var I18N = {
    fr: {
      search: "Chercher un nom, un sigle…", type: "Type", relation: "Relation", all: "tous", allRel: "toutes",
      reset: "Tout afficher", legend: "Légende", sizeDegree: "Taille : nombre de relations",
      sizePagerank: "Taille : PageRank", nodes: "nœuds", edges: "liens", type_: "Type", names: "Noms",
      aliases: "Autres noms", dates: "Dates", facts: "Informations", sources: "Sources", date: "Date",
      degree: "Relations", stabilising: "Mise en place du réseau… ", empty: "Aucun nœud à afficher.",
      noResult: "Aucun résultat", more: "… et %d autres", hint: "Cliquer sur un nœud ou un lien pour le détail.",
      time: "Connu au", allDates: "tout", play: "▶ Rejouer", stop: "■ Arrêter",
      timeHelp: "Ce que les sources connues à cette date affirment ; dernière position : tout, sources non datées comprises"
    },
    en: {
      search: "Search a name or acronym…", type: "Type", relation: "Relation", all: "all", allRel: "all",
      reset: "Show all", legend: "Legend", sizeDegree: "Size: number of relations",
      sizePagerank: "Size: PageRank", nodes: "nodes", edges: "links", type_: "Type", names: "Names",
      aliases: "Other names", dates: "Dates", facts: "Facts", sources: "Sources", date: "Date",
      degree: "Relations", stabilising: "Laying out the network… ", empty: "No node to show.",
      noResult: "No match", more: "… and %d more", hint: "Click a node or a link for details.",
      time: "Known on", allDates: "all", play: "▶ Replay", stop: "■ Stop",
      timeHelp: "What the sources known on that day state; last position: everything, undated sources included"
    }
  };
  var GLYPHS = { dot: "●", star: "★", triangle: "▲", square: "■", diamond: "◆", hexagon: "⬢", triangleDown: "▼" };
  var TIP_QUOTES = 4;
  var TIP_ALIASES = 6;

  var DATA = JSON.parse(document.getElementById("iadef-data").textContent);
  if (window.iadefExpand) { DATA = window.iadefExpand(DATA); }  // large pages: columns to records (webgl.js)
  var T = I18N[DATA.lang] || I18N.fr;
  var DAYS = DATA.days || [];
  var state = { kind: "", rel: "", day: null, playing: null, stable: false, moving: false, iterations: 0, startAt: null, createdAt: null, stableAt: null };
  var byId = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; });

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[’‘]/g, "'").replace(/[–—]/g, "-").replace(/\s+/g, " ").trim();
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  // ---------------------------------------------------------------- details (panel and tooltip)
  function addRow(dl, term, values) {
    if (!values || !values.length) { return; }
    dl.appendChild(el("dt", null, term));
    values.forEach(function (v) { dl.appendChild(el("dd", null, v)); });
  }
  function addEvidence(box, evidence, cap) {
    if (!evidence.length) { return; }
    box.appendChild(el("div", "source", T.sources));
    var shown = cap ? evidence.slice(0, cap) : evidence;
    var last = null;
    shown.forEach(function (item) {
      var title = DATA.sources[item[0]] || "?";
      if (title !== last) { box.appendChild(el("div", "muted", title)); last = title; }
      var text = "« " + DATA.quotes[item[1]] + " »" + (item[2] ? " (" + item[2] + ")" : "");
      box.appendChild(el("div", "quote", text));
    });
    if (cap && evidence.length > cap) { box.appendChild(el("div", "muted", T.more.replace("%d", evidence.length - cap))); }
  }
  function nodeInfo(id, compact) {
    var d = DATA.details[id];
    var box = el("div", "info");
    box.appendChild(el("h3", null, d.name));
    var dl = el("dl");
    addRow(dl, T.type_, [d.type]);
    addRow(dl, T.names, d.names);
    var aliases = compact && d.aliases.length > TIP_ALIASES
      ? d.aliases.slice(0, TIP_ALIASES).concat([T.more.replace("%d", d.aliases.length - TIP_ALIASES)]) : d.aliases;
    addRow(dl, T.aliases, aliases);
    addRow(dl, T.dates, d.dates.map(function (x) { return x[0] + " : " + x[1]; }));
    if (!compact) { addRow(dl, T.facts, d.facts.map(function (x) { return x[0] + " : " + x[1]; })); }
    addRow(dl, T.degree, [String(d.degree)]);
    box.appendChild(dl);
    addEvidence(box, d.evidence, compact ? TIP_QUOTES : 0);
    return box;
  }
  function edgeInfo(id) {  // tie "e<i>" is DATA.edges[i] (iadef/network/page.py)
    var edge = DATA.edges[Number(id.slice(1))];
    var d = DATA.edgeDetails[Number(id.slice(1))];
    var box = el("div", "info");
    box.appendChild(el("h3", null, DATA.details[edge.from].name + " → " + d.label + " → " + DATA.details[edge.to].name));
    var dl = el("dl");
    if (d.date) { addRow(dl, T.date, [d.date]); }
    box.appendChild(dl);
    addEvidence(box, d.evidence, 0);
    return box;
  }
  function showDetails(box) { var panel = $("details"); clear(panel); panel.appendChild(box); }
  function hint() { var panel = $("details"); clear(panel); panel.appendChild(el("p", "muted", T.hint)); }

  var tip = $("tooltip");
  function showTip(box, pointer) {
    clear(tip); tip.appendChild(box); tip.hidden = false;
    var host = $("stage");
    var x = pointer.x + 14, y = pointer.y + 14;
    if (x + tip.offsetWidth > host.clientWidth) { x = Math.max(0, pointer.x - tip.offsetWidth - 14); }
    if (y + tip.offsetHeight > host.clientHeight) { y = Math.max(0, host.clientHeight - tip.offsetHeight - 4); }
    tip.style.left = x + "px"; tip.style.top = y + "px";
  }
  function hideTip() {  // on every frame of a zoom: nothing to do if no tooltip is shown
    if (tip.hidden) { return; }
    tip.hidden = true; clear(tip);
  }

  // ---------------------------------------------------------------- header, legend, filters
  $("heading").textContent = DATA.title;
  $("search").placeholder = T.search;
  $("type-label").textContent = T.type;
  $("relation-label").textContent = T.relation;
  $("reset").textContent = T.reset;

  function legend() {
    var box = $("legend");
    box.appendChild(el("h2", null, T.legend));
    var ul = el("ul");
    DATA.legend.forEach(function (item) {
      var li = el("li");
      var glyph = el("span", "glyph", GLYPHS[item.shape] || "●");
      glyph.style.color = item.color;
      li.appendChild(glyph);
      li.appendChild(el("span", null, item.label));
      li.appendChild(el("span", "count", "(" + item.count + ")"));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    box.appendChild(el("p", null, DATA.sizeBy === "pagerank" ? T.sizePagerank : T.sizeDegree));
  }
  function fillSelect(select, first, items) {
    select.appendChild(new Option(first, ""));
    items.forEach(function (item) { select.appendChild(new Option(item.label + " (" + item.count + ")", item.value)); });
  }
  legend();
  hint();
  fillSelect($("type-filter"), T.all, DATA.legend.map(function (x) { return { label: x.label, count: x.count, value: x.kind }; }));
  fillSelect($("relation-filter"), T.allRel, DATA.relations.map(function (x) { return { label: x.label, count: x.count, value: x.rel }; }));

  // Relation -> the nodes its ties join; made when a relation is first chosen, not before the
  // first picture (like the search index below: together some 0.15 s at 20,000 nodes).
  var relNodes = null;
  function tiedBy(rel) {
    if (relNodes === null) {
      relNodes = {};
      DATA.edges.forEach(function (e) {
        var set = relNodes[e.rel] || (relNodes[e.rel] = {});
        set[e.from] = true; set[e.to] = true;
      });
    }
    return relNodes[rel];
  }
  function nodeVisible(id) {
    var n = byId[id];
    if (!n) { return false; }
    if (state.kind && n.kind !== state.kind) { return false; }
    if (!known(n)) { return false; }
    return !state.rel || Boolean(tiedBy(state.rel) && tiedBy(state.rel)[id]);
  }
  // The date slider: at a day, an element is shown once one of its sources is known (see
  // iadef/network/timeline.py); the last position (state.day null) shows everything.
  function known(item) { return state.day === null || Boolean(item.since && item.since <= state.day); }
  function edgeVisible(e) {
    return known(e) && (!state.rel || e.rel === state.rel) && nodeVisible(e.from) && nodeVisible(e.to);
  }

  // ---------------------------------------------------------------- the network
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return nodeVisible(n.id); } });
  var edgeView = new vis.DataView(edges, { filter: edgeVisible });
  var progress = $("progress");
  function counts() {
    $("counts").textContent = nodeView.length + " " + T.nodes + " · " + edgeView.length + " " + T.edges;
  }
  counts();
  var network = null;
  function ready() {
    state.stable = true;
    state.stableAt = performance.now();
    progress.hidden = true;
    ["type-filter", "relation-filter", "reset", "time", "play"].forEach(function (id) { $(id).disabled = false; });
    document.body.setAttribute("data-stable", "1");
    if (DATA.focus && byId[DATA.focus]) { focusNode(DATA.focus, false); }
  }
  if (!DATA.nodes.length) {
    progress.textContent = T.empty;
    ready();
    progress.hidden = false;
  } else {
    // vis-network, or sigma.js behind the same calls (webgl.js). Positions come with the
    // data (laid out by `iadef viz`), so the first drawing is the final picture.
    network = new vis.Network($("network"), { nodes: nodeView, edges: edgeView }, DATA.options);
    network.fit();
    network.once("afterDrawing", ready);
    network.on("hoverNode", function (p) { showTip(nodeInfo(p.node, true), p.pointer.DOM); });
    network.on("blurNode", hideTip);
    network.on("hoverEdge", function (p) { showTip(edgeInfo(p.edge), p.pointer.DOM); });
    network.on("blurEdge", hideTip);
    network.on("animationFinished", function () { state.moving = false; });
    network.on("dragStart", hideTip);
    network.on("zoom", hideTip);
    network.on("click", function (p) {
      if (p.nodes.length) { showDetails(nodeInfo(p.nodes[0], false)); }
      else if (p.edges.length) { showDetails(edgeInfo(p.edges[0])); }
      else { hint(); }
    });
  }

  function refresh() { nodeView.refresh(); edgeView.refresh(); counts(); }
  $("type-filter").addEventListener("change", function (e) { state.kind = e.target.value; refresh(); });
  $("relation-filter").addEventListener("change", function (e) { state.rel = e.target.value; refresh(); });
  $("reset").addEventListener("click", function () {
    state.kind = ""; state.rel = ""; $("type-filter").value = ""; $("relation-filter").value = "";
    stopPlaying(); setPosition(DAYS.length);
    refresh(); if (network) { network.fit(); }
  });

  // ---------------------------------------------------------------- date slider
  $("time-label").textContent = T.time;
  $("time").title = T.timeHelp;
  $("play").textContent = T.play;
  $("time").max = String(DAYS.length);
  $("time").value = String(DAYS.length);
  $("time-box").hidden = !DAYS.length;
  function setPosition(position) {
    var at = Math.max(0, Math.min(DAYS.length, position));
    $("time").value = String(at);
    state.day = at < DAYS.length ? DAYS[at] : null;
    $("time-value").textContent = state.day === null ? T.allDates : state.day;
    refresh();
  }
  function stopPlaying() {
    if (state.playing !== null) { clearInterval(state.playing); state.playing = null; }
    $("play").textContent = T.play;
  }
  $("time-value").textContent = T.allDates;
  $("time").addEventListener("input", function (e) { stopPlaying(); setPosition(Number(e.target.value)); });
  $("play").addEventListener("click", function () {
    if (state.playing !== null) { stopPlaying(); return; }
    setPosition(0);
    $("play").textContent = T.stop;
    state.playing = setInterval(function () {
      var next = Number($("time").value) + 1;
      setPosition(next);
      if (next >= DAYS.length) { stopPlaying(); }
    }, 900);
  });

  // ---------------------------------------------------------------- search
  var index = null;  // every node's names folded, made at the first search
  function searchIndex() {
    if (index === null) {
      index = DATA.nodes.map(function (n) {
        var d = DATA.details[n.id];
        return { id: n.id, name: d.name, keys: d.names.concat(d.aliases).map(fold) };
      });
    }
    return index;
  }
  // Ranks: the whole name (0), its start (1), inside it (2), every word of the query in it (3).
  function rank(key, q, words) {
    if (key === q) { return 0; }
    var at = key.indexOf(q);
    if (at === 0) { return 1; }
    if (at > 0) { return 2; }
    return words.every(function (w) { return key.indexOf(w) >= 0; }) ? 3 : 4;
  }
  function search(text) {
    var q = fold(text);
    if (!q) { return []; }
    var words = q.split(" ");
    var found = [];
    searchIndex().forEach(function (item) {
      var best = 4, length = Infinity;
      item.keys.forEach(function (k) {
        var r = rank(k, q, words);
        if (r < best || (r === best && k.length < length)) { best = r; length = k.length; }
      });
      if (best < 4) { found.push({ id: item.id, name: item.name, rank: best, length: length }); }
    });
    found.sort(function (a, b) {
      return a.rank - b.rank || a.length - b.length || a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1);
    });
    return found.slice(0, 15);
  }
  function focusNode(id, animate) {
    if (!network || !byId[id]) { return; }
    if (!nodeVisible(id)) { state.kind = ""; state.rel = ""; $("type-filter").value = ""; $("relation-filter").value = ""; refresh(); }
    network.selectNodes([id]);
    state.moving = Boolean(animate);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: animate ? { duration: 300 } : false });
    showDetails(nodeInfo(id, false));
  }
  var results = $("results");
  var active = -1;
  function renderResults(found) {
    clear(results); active = -1;
    if (!found.length) { results.appendChild(el("li", "muted", T.noResult)); }
    found.forEach(function (item) {
      var li = el("li", null, item.name);
      li.setAttribute("data-id", item.id);
      li.appendChild(el("span", "kind", DATA.details[item.id].type));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(item.id); });
      results.appendChild(li);
    });
    results.hidden = false;
  }
  function choose(id) {
    results.hidden = true;
    $("search").value = DATA.details[id].name;
    focusNode(id, true);
  }
  $("search").addEventListener("input", function (e) {
    if (!e.target.value.trim()) { results.hidden = true; return; }
    renderResults(search(e.target.value));
  });
  $("search").addEventListener("keydown", function (e) {
    var items = results.querySelectorAll("li[data-id]");
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!items.length) { return; }
      active = (active + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      items.forEach(function (li, i) { li.className = i === active ? "active" : ""; });
    } else if (e.key === "Enter") {
      e.preventDefault();
      var found = search(e.target.value);
      var pick = active >= 0 && items[active] ? items[active].getAttribute("data-id") : (found[0] && found[0].id);
      if (pick) { choose(pick); }
    } else if (e.key === "Escape") {
      results.hidden = true;
    }
  });
  $("search").addEventListener("blur", function () { results.hidden = true; });

  window.iadef = {
    network: network, nodes: nodes, edges: edges, state: state, search: search, focusNode: focusNode,
    shown: function () { return nodeView.getIds(); }, setPosition: setPosition
  };
}());
