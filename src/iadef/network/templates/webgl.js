// Large pages of `iadef viz`: sigma.js (WebGL) and graphology behind the few vis-network calls
// that graph.js makes (vis.DataSet, vis.DataView, vis.Network with its events), so that one page
// script gives the same search, filters, details, ego view and legend at every size.
// Positions, ids and scales are vis-network's: y grows downwards, one unit is one pixel at scale 1.
// Nothing here writes data-derived text to the DOM; sigma draws labels on a canvas.
(function () {
  "use strict";

  var FADED = "#dde2e7";
  var EDGE = "#b9c2cb";
  var NEAR = "#5b6672";
  var MIN_SIZE = 2;
  var MAX_SIZE = 12;

  function DataSet(items) {
    var byId = {};
    items.forEach(function (item) { byId[item.id] = item; });
    this.items = items;
    this.byId = byId;
    this.length = items.length;
  }
  DataSet.prototype.get = function (id) { return id === undefined ? this.items.slice() : this.byId[id] || null; };

  // A filtered view; refresh() re-applies the filter and asks the network to redraw.
  function DataView(set, options) {
    this.set = set;
    this.filter = options.filter;
    this.changed = null;
    this.refresh();
  }
  DataView.prototype.refresh = function () {
    var filter = this.filter, shown = {}, count = 0;
    this.set.items.forEach(function (item) { if (filter(item)) { shown[item.id] = true; count++; } });
    this.shown = shown;
    this.length = count;
    if (this.changed) { this.changed(); }
  };
  DataView.prototype.get = function () {
    var shown = this.shown;
    return this.set.items.filter(function (item) { return shown[item.id]; });
  };
  DataView.prototype.has = function (id) { return Boolean(this.shown[id]); };

  function Network(container, data, options) {
    var self = this;
    var colours = options.colors || {};  // kind -> colour
    var nodes = data.nodes, edges = data.edges;
    var low = Infinity, high = -Infinity;
    nodes.set.items.forEach(function (n) { low = Math.min(low, n.value); high = Math.max(high, n.value); });
    var spread = high > low ? high - low : 1;
    var graph = new graphology.MultiDirectedGraph();
    nodes.set.items.forEach(function (n) {
      graph.addNode(n.id, {
        x: n.x, y: -n.y, label: String(n.label).replace(/\n/g, " "), color: colours[n.kind] || "#888888",
        size: MIN_SIZE + (MAX_SIZE - MIN_SIZE) * Math.sqrt((n.value - low) / spread)
      });
    });
    edges.set.items.forEach(function (e) {
      var both = e.arrows && e.arrows.to && e.arrows.to.enabled === false;
      graph.addDirectedEdgeWithKey(e.id, e.from, e.to, { type: both ? "line" : "arrow", color: EDGE, size: 1 });
    });
    this.graph = graph;
    this.body = { data: { nodes: nodes, edges: edges } };
    this.handlers = {};
    this.selected = null;
    this.options = options;
    // The cheapest programs: points for nodes, one-pixel lines for ties (direction is in the details);
    // with software WebGL, wide lines, arrows and discs cost several times more per frame.
    var programs = Sigma.rendering;
    this.sigma = new Sigma(graph, container, {
      defaultNodeType: "point",
      nodeProgramClasses: { point: programs.NodePointProgram },
      defaultEdgeType: "line",
      edgeProgramClasses: { line: programs.EdgeLineProgram, arrow: programs.EdgeLineProgram },
      enableEdgeEvents: false,  // sigma would draw every tie again each frame to pick them: see nearestEdge
      hideLabelsOnMove: true,  // while the user drags or zooms, only the nodes are drawn: with software
      hideEdgesOnMove: true,   // WebGL, 40,000 ties cost ~170 ms a frame and labels ~100 ms at 20,000 nodes
      renderEdgeLabels: false,
      zIndex: true,
      labelRenderedSizeThreshold: 7,
      labelFont: "system-ui, sans-serif",
      labelSize: 13,
      defaultEdgeColor: EDGE,
      minCameraRatio: 0.002,
      maxCameraRatio: 4,
      nodeReducer: function (id, attrs) { return self.nodeLook(id, attrs); },
      edgeReducer: function (id, attrs) { return self.edgeLook(id, attrs); }
    });
    var refresh = function () { self.sigma.scheduleRefresh(); };
    nodes.changed = refresh;
    edges.changed = refresh;
    var frames = lighten(this.sigma);
    // Sigma looks for the node under the pointer at every mouse move by reading a pixel back from
    // the GPU, which waits for the frame to finish: not while the user drags or the view zooms.
    // Nor from a picking buffer that the last frame did not draw (see lighten): draw it first.
    var pick = this.sigma.getNodeAtPosition.bind(this.sigma), captor = this.sigma.getMouseCaptor();
    var camera = this.sigma.getCamera(), sigma = this.sigma;
    this.sigma.getNodeAtPosition = function (p) {
      if (captor.isMouseDown || camera.isAnimated()) { return null; }
      if (frames.pickingStale) { sigma.scheduleRender(); return null; }
      return pick(p);
    };
    this.ends = edges.set.items.map(function (e) { return [e.id, nodes.set.byId[e.from], nodes.set.byId[e.to]]; });
    this.hoveredNode = null;
    this.hoveredEdge = null;
    this.bindEvents();
    // The constructor has drawn the graph already, before graph.js listens: announce that drawing
    // when its frame starts (drawing it again would cost a second first picture).
    requestAnimationFrame(function () { self.emit("afterDrawing"); });
  }

  // Sigma's own test of a moving view (Sigma.render, 3.0.3): while it holds, sigma draws nodes only.
  function moving(s) {
    var m = s.getMouseCaptor();
    return Boolean(s.getCamera().isAnimated() || m.isMoving || m.draggedEvents || m.currentWheelDirection);
  }

  // The frames drawn while the view moves, made cheaper. With software WebGL (SwiftShader, as on
  // machines without a GPU), every layer a frame touches is read back from the GPU process and
  // composited by the CPU, and the points themselves cost per vertex and per pixel. So while the
  // view moves (and only then):
  // - the nodes layer is drawn at LOW times the screen's resolution (the browser scales it back:
  //   the same nodes at the same places, less sharp until the view stops);
  // - nodes are not drawn a second time into sigma's picking buffer, which nothing reads meanwhile
  //   (getNodeAtPosition above), and that buffer is not reallocated; `pickingStale` says so until
  //   the next frame of a still view draws it again (sigma draws one when a move ends);
  // - a layer left empty by the previous frame is not cleared again (ties and labels are not drawn
  //   while the view moves; clearing them made the browser read back and composite them anyway).
  // These wrap methods of the vendored sigma 3.0.3's renderer and node programs (not public API:
  // check them when sigma is upgraded; the page tests drag the view and pick nodes afterwards).
  var LOW = 0.5;
  function lighten(s) {
    var state = { pickingStale: false };
    var drawn = { edges: true, edgeLabels: true, labels: true, hovers: true, hoverNodes: true };
    var canvas = s.getCanvases().nodes;
    function fit(ratio) {
      var width = Math.floor(s.width * ratio), height = Math.floor(s.height * ratio);
      if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
    }
    Object.keys(s.nodePrograms).forEach(function (type) {
      var program = s.nodePrograms[type], render = program.render.bind(program);
      program.render = function (params) {
        if (!moving(s)) { fit(params.pixelRatio); state.pickingStale = false; return render(params); }
        var picking = program.pickProgram, low = params.pixelRatio * LOW;
        fit(low);
        state.pickingStale = true;
        program.pickProgram = null;
        try { render(Object.assign({}, params, { pixelRatio: low })); } finally { program.pickProgram = picking; }
      };
    });
    var resetTexture = s.resetWebGLTexture.bind(s);
    s.resetWebGLTexture = function (id) { return moving(s) ? s : resetTexture(id); };
    Object.keys(s.edgePrograms).forEach(function (type) {
      var program = s.edgePrograms[type], render = program.render.bind(program);
      program.render = function (params) { drawn.edges = true; return render(params); };
    });
    [["renderLabels", ["labels"]], ["renderEdgeLabels", ["edgeLabels"]], ["renderHighlightedNodes", ["hovers", "hoverNodes"]]]
      .forEach(function (item) {
        var method = s[item[0]].bind(s);
        s[item[0]] = function () { item[1].forEach(function (layer) { drawn[layer] = true; }); return method(); };
      });
    var gl = s.webGLContexts, contexts = s.canvasContexts, COLOR = WebGLRenderingContext.COLOR_BUFFER_BIT;
    s.clear = function () {  // Sigma.clear, skipping the layers that are empty already
      s.emit("beforeClear");
      gl.nodes.bindFramebuffer(WebGLRenderingContext.FRAMEBUFFER, null);
      gl.nodes.clear(COLOR);
      if (drawn.edges) { gl.edges.bindFramebuffer(WebGLRenderingContext.FRAMEBUFFER, null); gl.edges.clear(COLOR); }
      if (drawn.hoverNodes) { gl.hoverNodes.clear(COLOR); }
      ["labels", "hovers", "edgeLabels"].forEach(function (layer) {
        if (drawn[layer]) { contexts[layer].clearRect(0, 0, s.width, s.height); }
      });
      Object.keys(drawn).forEach(function (layer) { drawn[layer] = false; });
      s.emit("afterClear");
      return s;
    };
    return state;
  }

  // Sigma's reducers: `attrs` is sigma's own copy of the attributes (Sigma.addNode and addEdge copy
  // them before calling the reducer), so it is changed in place rather than copied once more.
  Network.prototype.nodeLook = function (id, attrs) {
    var look = attrs;
    if (!this.body.data.nodes.has(id)) { look.hidden = true; return look; }
    var chosen = this.selected;
    if (chosen !== null) {
      if (id === chosen) { look.highlighted = true; look.forceLabel = true; look.zIndex = 2; }
      else if (this.graph.areNeighbors(id, chosen)) { look.forceLabel = true; look.zIndex = 1; }
      else { look.color = FADED; look.label = null; look.zIndex = 0; }
    }
    return look;
  };
  Network.prototype.edgeLook = function (id, attrs) {
    var look = attrs;
    if (!this.body.data.edges.has(id)) { look.hidden = true; return look; }
    var chosen = this.selected;
    if (chosen !== null) {
      if (this.graph.hasExtremity(id, chosen)) { look.color = NEAR; look.size = 1.5; look.zIndex = 1; }
      else { look.color = FADED; }
    }
    return look;
  };

  Network.prototype.bindEvents = function () {
    var self = this, s = this.sigma;
    function pointer(p) { return { DOM: { x: p.event.x, y: p.event.y } }; }
    s.on("enterNode", function (p) {
      self.hoveredNode = p.node;
      self.hoverEdge(null, p);
      self.emit("hoverNode", { node: p.node, pointer: pointer(p) });
    });
    s.on("leaveNode", function (p) { self.hoveredNode = null; self.emit("blurNode", { node: p.node }); });
    s.on("moveBody", function (p) {
      var dragging = p.event.original && p.event.original.buttons;
      if (self.hoveredNode === null && !dragging) { self.hoverEdge(self.nearestEdge(p.event), p); }
    });
    s.on("clickNode", function (p) { self.selectNodes([p.node]); self.emit("click", { nodes: [p.node], edges: [], pointer: pointer(p) }); });
    s.on("clickStage", function (p) {
      var edge = self.nearestEdge(p.event);
      self.selectNodes([]);
      self.emit("click", { nodes: [], edges: edge ? [edge] : [], pointer: pointer(p) });
    });
    s.on("afterRender", function () { self.emit("afterDrawing"); });
    s.getCamera().on("updated", function () { self.emit("zoom"); });
  };
  // The shown tie within 5 pixels of the pointer (closest first), found geometrically: one pass
  // over the ties when the pointer moves over the background or clicks it.
  Network.prototype.nearestEdge = function (where) {
    if (this.sigma.getCamera().isAnimated()) { return null; }
    var p = this.DOMtoCanvas({ x: where.x, y: where.y }), reach = 5 / this.getScale();
    var shown = this.body.data.edges, best = null, bestDistance = reach * reach;
    this.ends.forEach(function (end) {
      var a = end[1], b = end[2];
      if (Math.min(a.x, b.x) - reach > p.x || Math.max(a.x, b.x) + reach < p.x ||
          Math.min(a.y, b.y) - reach > p.y || Math.max(a.y, b.y) + reach < p.y || !shown.has(end[0])) { return; }
      var dx = b.x - a.x, dy = b.y - a.y, length = dx * dx + dy * dy;
      var k = length ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length)) : 0;
      var ex = a.x + k * dx - p.x, ey = a.y + k * dy - p.y, distance = ex * ex + ey * ey;
      if (distance < bestDistance) { bestDistance = distance; best = end[0]; }
    });
    return best;
  };
  Network.prototype.hoverEdge = function (edge, p) {
    if (edge === this.hoveredEdge) { return; }
    if (this.hoveredEdge !== null) { this.emit("blurEdge", { edge: this.hoveredEdge }); }
    this.hoveredEdge = edge;
    if (edge !== null) { this.emit("hoverEdge", { edge: edge, pointer: { DOM: { x: p.event.x, y: p.event.y } } }); }
  };
  Network.prototype.on = function (name, handler) {
    (this.handlers[name] || (this.handlers[name] = [])).push({ handler: handler, once: false });
  };
  Network.prototype.once = function (name, handler) {
    (this.handlers[name] || (this.handlers[name] = [])).push({ handler: handler, once: true });
  };
  Network.prototype.emit = function (name, payload) {
    var list = this.handlers[name];
    if (!list) { return; }
    this.handlers[name] = list.filter(function (item) { return !item.once; });
    list.forEach(function (item) { item.handler(payload); });
  };

  // vis-network's calls used by graph.js and the tests.
  Network.prototype.selectNodes = function (ids) {
    this.selected = ids.length ? ids[0] : null;
    this.sigma.refresh();
  };
  Network.prototype.getSelectedNodes = function () { return this.selected === null ? [] : [this.selected]; };
  Network.prototype.setOptions = function () {};
  Network.prototype.storePositions = function () {};
  Network.prototype.stopSimulation = function () {};
  // Screen pixels per unit of the layout: vis-network's "scale".
  Network.prototype.getScale = function () {
    var a = this.sigma.graphToViewport({ x: 0, y: 0 }), b = this.sigma.graphToViewport({ x: 100, y: 0 });
    return Math.hypot(b.x - a.x, b.y - a.y) / 100;
  };
  Network.prototype.focus = function (id, how) {
    var self = this, camera = this.sigma.getCamera();
    var place = this.sigma.getNodeDisplayData(id);
    if (!place) { return; }
    var scale = how && how.scale ? how.scale : this.getScale();
    var target = { x: place.x, y: place.y, ratio: camera.ratio * this.getScale() / scale };
    var duration = how && how.animation ? how.animation.duration || 300 : 0;
    if (!duration) { camera.setState(target); this.emit("animationFinished"); return; }
    camera.animate(target, { duration: duration }).then(function () { self.emit("animationFinished"); });
  };
  Network.prototype.fit = function () {
    var camera = this.sigma.getCamera(), state = camera.getState();
    if (state.x === 0.5 && state.y === 0.5 && state.ratio === 1 && state.angle === 0) { return; }  // nothing to redraw
    camera.setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
  };
  Network.prototype.moveTo = function (how) {
    var camera = this.sigma.getCamera(), state = {};
    if (how.position) {
      var p = this.sigma.viewportToFramedGraph(this.sigma.graphToViewport({ x: how.position.x, y: -how.position.y }));
      state.x = p.x; state.y = p.y;
    }
    if (how.scale) { state.ratio = camera.ratio * this.getScale() / how.scale; }
    camera.setState(state);
  };
  Network.prototype.getPositions = function (ids) {
    var graph = this.graph, found = {};
    (ids || graph.nodes()).forEach(function (id) {
      if (graph.hasNode(id)) { found[id] = { x: graph.getNodeAttribute(id, "x"), y: -graph.getNodeAttribute(id, "y") }; }
    });
    return found;
  };
  Network.prototype.canvasToDOM = function (p) { return this.sigma.graphToViewport({ x: p.x, y: -p.y }); };
  Network.prototype.DOMtoCanvas = function (p) { var g = this.sigma.viewportToGraph(p); return { x: g.x, y: -g.y }; };
  Network.prototype.getViewPosition = function () {
    var size = this.sigma.getDimensions();
    return this.DOMtoCanvas({ x: size.width / 2, y: size.height / 2 });
  };
  Network.prototype.redraw = function () { this.sigma.refresh(); };

  // The page's data in columns (src/iadef/network/columns.py) back to vis-network's records.
  function expand(data) {
    var c = data.nodes, t = data.edges, details = data.details, nodes = [], edges = [], relLabel = {};
    data.relations.forEach(function (item) { relLabel[item.rel] = item.label; });
    c.id.forEach(function (id, i) {
      var d = details[id];
      ["aliases", "dates", "facts", "evidence"].forEach(function (key) { d[key] = d[key] || []; });
      d.names = d.names || [d.name];
      nodes.push({ id: id, label: c.label[i] === null ? d.name : c.label[i], kind: data.kinds[c.kind[i]],
        value: c.value[i], x: c.x[i], y: c.y[i], since: c.since ? c.since[i] : null });
    });
    var both = {};
    t.both.forEach(function (i) { both[i] = true; });
    t.from.forEach(function (from, i) {
      var edge = { id: "e" + i, from: c.id[from], to: c.id[t.to[i]], rel: data.rels[t.rel[i]],
        since: t.since ? t.since[i] : null };
      if (both[i]) { edge.arrows = { to: { enabled: false } }; }
      edges.push(edge);
      var d = data.edgeDetails[i];
      d.label = d.label || relLabel[edge.rel];
      d.date = d.date || null;
      d.evidence = d.evidence || [];
    });
    data.nodes = nodes;
    data.edges = edges;
    return data;
  }

  window.vis = { DataSet: DataSet, DataView: DataView, Network: Network };
  window.iadefExpand = expand;
}());
