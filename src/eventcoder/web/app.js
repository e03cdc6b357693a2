/* eventcoder dashboard: map of binned events, timeline, key figures, event panel with evidence.
 *
 * Safety: every string that comes from the store (article text, titles, actor
 * names, notes, URLs) is put into the page as a DOM text node or a
 * textContent/attribute value, never as HTML. Links are made only for
 * http(s) URLs. The server's Content-Security-Policy forbids inline script.
 */
(function () {
  "use strict";

  var TYPE_COLORS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#8e44ad",
    "Protests": "#1f77b4",
    "Riots": "#e377c2",
    "Strategic developments": "#5d6d7e"
  };
  var OTHER_COLOR = "#95a5a6";
  var FILTER_KEYS = ["start", "end", "country", "admin1", "event_type", "sub_event_type",
                     "actor", "min_fatalities", "q"];
  var INTER = {1: "State forces", 2: "Rebel groups", 3: "Political militias", 4: "Identity militias",
               5: "Rioters", 6: "Protesters", 7: "Civilians", 8: "External/Other forces"};
  var GEO_PRECISION = {1: "town", 2: "near a town / part of a region", 3: "region only"};
  var TIME_PRECISION = {1: "day", 2: "week", 3: "month"};

  var state = { filters: {}, event: null };
  var map, binsLayer, facets = null, config = null;
  var binsAbort = null, firstPaint = false;

  // -- small DOM helpers (text only) ------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") node.textContent = attrs[k];
        else if (k === "className") node.className = attrs[k];
        else node.setAttribute(k, attrs[k]);
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    });
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function safeUrl(value) {
    if (!value) return null;
    try {
      var u = new URL(value);
      return (u.protocol === "http:" || u.protocol === "https:") ? u.href : null;
    } catch (e) { return null; }
  }

  function fmt(n) { return (n === null || n === undefined) ? "–" : Number(n).toLocaleString("en-US"); }

  function setStatus(text) { document.getElementById("status").textContent = text; }

  // -- state <-> URL -----------------------------------------------------------------------

  function readUrl() {
    var p = new URLSearchParams(location.search);
    FILTER_KEYS.forEach(function (k) { if (p.get(k)) state.filters[k] = p.get(k); });
    state.event = p.get("event");
    var lat = parseFloat(p.get("lat")), lon = parseFloat(p.get("lon")), z = parseInt(p.get("z"), 10);
    return (isFinite(lat) && isFinite(lon) && isFinite(z)) ? { center: [lat, lon], zoom: z } : null;
  }

  function filterParams(withDates) {
    var p = new URLSearchParams();
    FILTER_KEYS.forEach(function (k) {
      if (!withDates && (k === "start" || k === "end")) return;
      if (state.filters[k]) p.set(k, state.filters[k]);
    });
    return p;
  }

  function writeUrl() {
    var p = filterParams(true);
    if (map) {
      var c = map.getCenter();
      p.set("lat", c.lat.toFixed(4)); p.set("lon", c.lng.toFixed(4)); p.set("z", String(map.getZoom()));
    }
    if (state.event) p.set("event", state.event);
    history.replaceState(null, "", location.pathname + "?" + p.toString());
  }

  // -- API -----------------------------------------------------------------------------------

  function api(path, params, signal) {
    var url = path + (params && params.toString() ? "?" + params.toString() : "");
    return fetch(url, { signal: signal, headers: { "Accept": "application/json" } }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error((body && body.error && body.error.message) || ("HTTP " + r.status));
        return body;
      });
    });
  }

  // One request in flight per panel: a newer filter aborts the older request, so a slow answer for old
  // filters can never overwrite the answer for the current ones.
  var inFlight = {};
  function latest(name) {
    if (inFlight[name]) inFlight[name].abort();
    inFlight[name] = new AbortController();
    return inFlight[name].signal;
  }

  function failed(err) {
    if (err && err.name === "AbortError") return;
    setStatus("Error: " + (err && err.message ? err.message : String(err)));
  }

  // -- filters form -------------------------------------------------------------------------

  function fillSelect(select, values, allLabel, chosen) {
    clear(select);
    select.appendChild(el("option", { value: "", text: allLabel }));
    values.forEach(function (v) { select.appendChild(el("option", { value: v, text: v })); });
    if (chosen && values.indexOf(chosen) < 0) select.appendChild(el("option", { value: chosen, text: chosen }));
    select.value = chosen || "";
  }

  function fillSubTypes() {
    var types = (facets && facets.event_types) || {};
    var chosenType = state.filters.event_type;
    var subs = [];
    Object.keys(types).forEach(function (t) { if (!chosenType || t === chosenType) subs = subs.concat(types[t]); });
    fillSelect(document.getElementById("f-sub-event-type"), subs, "All sub-types", state.filters.sub_event_type);
  }

  function loadAdmin1() {
    var country = state.filters.country;
    var select = document.getElementById("f-admin1");
    if (!country) { fillSelect(select, [], "All regions", state.filters.admin1); return Promise.resolve(); }
    return api("/api/facets", new URLSearchParams({ country: country })).then(function (f) {
      fillSelect(select, f.admin1, "All regions", state.filters.admin1);
    });
  }

  function syncForm() {
    var form = document.getElementById("filter-form");
    ["start", "end", "actor", "min_fatalities", "q"].forEach(function (k) {
      form.elements[k].value = state.filters[k] || "";
    });
    document.getElementById("f-country").value = state.filters.country || "";
    document.getElementById("f-event-type").value = state.filters.event_type || "";
    fillSubTypes();
    document.querySelectorAll(".presets button").forEach(function (b) { b.classList.remove("active"); });
  }

  function readForm() {
    var form = document.getElementById("filter-form");
    FILTER_KEYS.forEach(function (k) {
      var v = (form.elements[k].value || "").trim();
      if (v) state.filters[k] = v; else delete state.filters[k];
    });
  }

  function setupForm() {
    var form = document.getElementById("filter-form");
    var timer = null;
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("change", function (e) {
      var name = e.target.name;
      readForm();
      if (name === "country") { delete state.filters.admin1; loadAdmin1(); }
      if (name === "event_type") { delete state.filters.sub_event_type; fillSubTypes(); }
      refresh();
    });
    form.addEventListener("input", function (e) {
      if (e.target.type !== "search" && e.target.type !== "number") return;
      clearTimeout(timer);
      timer = setTimeout(function () { readForm(); refresh(); }, 350);
    });
    form.addEventListener("reset", function (e) {
      e.preventDefault();
      state.filters = {};
      syncForm();
      loadAdmin1();
      refresh();
    });
    document.querySelectorAll(".presets button").forEach(function (b) {
      b.addEventListener("click", function () {
        var days = b.getAttribute("data-days");
        if (!days) { delete state.filters.start; delete state.filters.end; }
        else {
          // Relative to the latest event in the store, so an archive of old reports is usable too.
          var last = (facets && facets.last_date) || new Date().toISOString().slice(0, 10);
          state.filters.end = last;
          state.filters.start = addDays(last, -(parseInt(days, 10) - 1));
        }
        syncForm();
        b.classList.add("active");
        refresh();
      });
    });
  }

  // -- dates ------------------------------------------------------------------------------------

  function dayMs(iso) { return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)); }
  function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }
  function addDays(iso, n) { return isoDay(dayMs(iso) + n * 86400000); }

  // -- map ----------------------------------------------------------------------------------------

  function colorOf(types) {
    var best = null, n = -1;
    Object.keys(types).forEach(function (t) { if (types[t] > n) { n = types[t]; best = t; } });
    return TYPE_COLORS[best] || OTHER_COLOR;
  }

  function setupMap(view) {
    map = L.map("map", { preferCanvas: true, worldCopyJump: true, minZoom: 1, maxZoom: 18,
                         zoomControl: true, attributionControl: true });
    if (view) map.setView(view.center, view.zoom); else map.setView([20, 20], 2);
    map.createPane("borders").style.zIndex = 250;
    var overlays = {};
    var borders = L.layerGroup().addTo(map);
    var base = { "Country borders (offline)": borders };
    if (config.tiles) {
      var host = "";
      try { host = new URL(config.tiles.replace("{s}", "a")).host; } catch (e) { host = "tile server"; }
      base["Tiles: " + host] = L.tileLayer(config.tiles, { maxZoom: 19, attribution: "Tiles © " + host });
    }
    if (config.basemap) {
      fetch("/vendor/countries-110m.json").then(function (r) { return r.json(); }).then(function (topo) {
        var geo = unwrapAntimeridian(topojson.feature(topo, topo.objects.countries));
        L.geoJSON(geo, { pane: "borders", interactive: false,
          style: { color: "#7d8c99", weight: 0.7, fillColor: "#f3f1ea", fillOpacity: 1 } }).addTo(borders);
      }).catch(failed);
    }
    binsLayer = L.layerGroup().addTo(map);
    overlays.Events = binsLayer;
    L.control.layers(base, overlays, { collapsed: true }).addTo(map);
    map.attributionControl.setPrefix("Borders: Natural Earth (world-atlas)");
    map.on("moveend", function () { loadBins(); writeUrl(); });
  }

  // world-atlas rings that cross the antimeridian jump from +180 to -180; on a flat map that draws a
  // line across the world. Keep each ring's longitudes continuous instead (it then spills past 180).
  function unwrapRing(ring) {
    var out = [ring[0].slice()], shift = 0;
    for (var i = 1; i < ring.length; i++) {
      var d = ring[i][0] - ring[i - 1][0];
      if (d > 180) shift -= 360; else if (d < -180) shift += 360;
      out.push([ring[i][0] + shift, ring[i][1]]);
    }
    return out;
  }

  function unwrapAntimeridian(fc) {
    fc.features.forEach(function (f) {
      var g = f.geometry;
      if (!g) return;
      if (g.type === "Polygon") g.coordinates = g.coordinates.map(unwrapRing);
      else if (g.type === "MultiPolygon") g.coordinates = g.coordinates.map(function (p) { return p.map(unwrapRing); });
    });
    return fc;
  }

  function currentBbox() {
    var b = map.getBounds();
    var west = b.getWest(), east = b.getEast();
    if (east - west >= 360) { west = -180; east = 180; }
    else {
      west = ((west + 180) % 360 + 360) % 360 - 180;
      east = ((east + 180) % 360 + 360) % 360 - 180;
    }
    var south = Math.max(-90, b.getSouth()), north = Math.min(90, b.getNorth());
    return [west, south, east, north].map(function (v) { return v.toFixed(5); }).join(",");
  }

  function binTooltip(bin) {
    var box = el("div");
    box.appendChild(el("strong", { text: fmt(bin.count) + (bin.count === 1 ? " event" : " events") }));
    box.appendChild(el("div", { text: fmt(bin.fatalities) + " fatalities" }));
    Object.keys(bin.types).sort(function (a, b) { return bin.types[b] - bin.types[a]; }).forEach(function (t) {
      var sw = el("span", { className: "swatch" });
      sw.style.background = TYPE_COLORS[t] || OTHER_COLOR;  // CSSOM, not a style attribute
      box.appendChild(el("div", null, [sw, " " + t + ": " + fmt(bin.types[t])]));
    });
    return box;
  }

  function drawBins(data) {
    binsLayer.clearLayers();
    data.bins.forEach(function (bin) {
      var radius = bin.count === 1 ? 6 : Math.min(34, 8 + 3.2 * Math.log2(bin.count));
      var marker = L.circleMarker([bin.latitude, bin.longitude], {
        radius: radius, fillColor: colorOf(bin.types), color: "#ffffff", weight: 1.2, fillOpacity: 0.85
      });
      marker.bindTooltip(binTooltip(bin), { direction: "top" });
      marker.on("click", function () { binClicked(bin); });
      binsLayer.addLayer(marker);
      if (bin.count > 1) {
        var label = el("div", { text: bin.count >= 10000 ? Math.round(bin.count / 1000) + "k" : String(bin.count) });
        binsLayer.addLayer(L.marker([bin.latitude, bin.longitude], {
          icon: L.divIcon({ className: "bin-label", html: label, iconSize: [40, 14], iconAnchor: [20, 7] }),
          interactive: false, keyboard: false
        }));
      }
    });
    setStatus(fmt(data.total) + " events in view, " + data.bins.length + " map cells");
    var ready = document.body.getAttribute("data-ready");
    if (!firstPaint) {
      firstPaint = true;
      performance.mark("eventcoder-first-paint");
    }
    document.body.setAttribute("data-bins", String(data.bins.length));
    if (!ready) document.body.setAttribute("data-ready", "1");
    document.body.setAttribute("data-loading", "0");
  }

  function loadBins() {
    if (binsAbort) binsAbort.abort();
    binsAbort = new AbortController();
    var p = filterParams(true);
    p.set("bbox", currentBbox());
    p.set("zoom", String(map.getZoom()));
    document.body.setAttribute("data-loading", "1");
    return api("/api/events/bins", p, binsAbort.signal).then(drawBins).catch(failed);
  }

  function binClicked(bin) {
    if (bin.count === 1 && bin.event_id) { openEvent(bin.event_id); return; }
    var b = bin.bounds;
    if (map.getZoom() < 12) {
      map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { maxZoom: map.getZoom() + 3 });
      return;
    }
    var p = filterParams(true);
    p.set("bbox", b.join(","));
    p.set("limit", "200");
    api("/api/events.geojson", p).then(function (fc) { showList(fc.features.map(function (f) { return f.properties; }), bin.count); })
      .catch(failed);
  }

  // -- figures, timeline, downloads ------------------------------------------------------

  function loadStats() {
    return api("/api/stats", filterParams(true), latest("stats")).then(function (s) {
      document.getElementById("fig-events").textContent = fmt(s.events);
      document.getElementById("fig-fatalities").textContent = fmt(s.fatalities);
      document.getElementById("fig-civilian").textContent = fmt(s.civilian_targeting);
      document.getElementById("fig-actors").textContent = fmt(s.actors);
      document.body.setAttribute("data-figures", "1");
    }).catch(failed);
  }

  var SVG = "http://www.w3.org/2000/svg";
  function svgEl(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function drawTimeline(days) {
    var svg = document.getElementById("timeline-svg");
    clear(svg);
    var w = svg.clientWidth || 800, h = svg.clientHeight || 110, pad = 16, base = h - 14;
    if (!days.length) {
      var t = svgEl("text", { x: 8, y: 20 }); t.textContent = "No dated events for these filters"; svg.appendChild(t);
      return;
    }
    var first = dayMs(days[0].date), last = dayMs(days[days.length - 1].date);
    var span = Math.round((last - first) / 86400000) + 1;
    var max = 1;
    days.forEach(function (d) { if (d.events > max) max = d.events; });
    var bw = Math.max(1, (w - 2 * pad) / span);
    var start = state.filters.start, end = state.filters.end;
    days.forEach(function (d) {
      var i = Math.round((dayMs(d.date) - first) / 86400000);
      var bh = Math.max(1, (base - 14) * d.events / max);
      var inRange = (!start || d.date >= start) && (!end || d.date <= end) && (start || end);
      var rect = svgEl("rect", { x: (pad + i * bw).toFixed(2), y: (base - bh).toFixed(2),
        width: Math.max(1, bw - (bw > 3 ? 1 : 0)).toFixed(2), height: bh.toFixed(2),
        "class": "bar" + (inRange ? " in" : ""), "data-date": d.date });
      var title = svgEl("title");
      title.textContent = d.date + ": " + fmt(d.events) + " events, " + fmt(d.fatalities) + " fatalities";
      rect.appendChild(title);
      rect.addEventListener("click", function () { dayClicked(d.date); });
      svg.appendChild(rect);
    });
    var labels = [[pad, days[0].date, "start"], [w - pad, days[days.length - 1].date, "end"],
                  [pad, "max " + fmt(max) + "/day", "start"]];
    labels.forEach(function (l, i) {
      var t = svgEl("text", { x: l[0], y: i < 2 ? h - 2 : 10, "text-anchor": l[2] });
      t.textContent = l[1];
      svg.appendChild(t);
    });
  }

  function dayClicked(date) {
    if (state.filters.start === date && state.filters.end === date) {
      delete state.filters.start; delete state.filters.end;
    } else {
      state.filters.start = date; state.filters.end = date;
    }
    syncForm();
    refresh();
  }

  var timelineDays = [];
  function loadTimeline() {
    return api("/api/timeline", filterParams(false), latest("timeline")).then(function (t) {
      timelineDays = t.days;
      drawTimeline(t.days);
    }).catch(failed);
  }

  function updateDownloads() {
    var p = filterParams(true).toString();
    document.getElementById("dl-csv").setAttribute("href", "/api/events.csv" + (p ? "?" + p : ""));
    var g = filterParams(true); g.set("limit", "100000");
    document.getElementById("dl-geojson").setAttribute("href", "/api/events.geojson?" + g.toString());
  }

  function refresh() {
    writeUrl();
    updateDownloads();
    return Promise.all([loadBins(), loadStats(), loadTimeline()]);
  }

  // -- event panel ---------------------------------------------------------------------------

  function openPanel() {
    var panel = document.getElementById("panel");
    panel.hidden = false;
    var body = document.getElementById("panel-body");
    clear(body);
    return body;
  }

  function closePanel() {
    document.getElementById("panel").hidden = true;
    state.event = null;
    writeUrl();
  }

  function showList(rows, total) {
    var body = openPanel();
    body.appendChild(el("h2", { text: fmt(total) + " events here" }));
    if (rows.length < total) body.appendChild(el("p", { className: "muted", text: "Showing the newest " + rows.length + "." }));
    var ul = el("ul", { className: "event-list" });
    rows.forEach(function (r) {
      var li = el("li", null, [
        el("strong", { text: r.event_date + " · " + r.sub_event_type }), el("br"),
        el("span", { className: "muted", text: [r.actor1, r.actor2].filter(Boolean).join(" vs ") + " — " + r.location })
      ]);
      li.addEventListener("click", function () { openEvent(r.event_id_cnty); });
      ul.appendChild(li);
    });
    body.appendChild(ul);
  }

  // Split the article into text nodes and <mark> elements, one per run of characters covered by
  // the same evidence spans. Offsets are Python code points, so work on code points, not UTF-16.
  function highlightedText(text, evidence) {
    var chars = Array.from(text);
    var n = chars.length;
    var spans = evidence.filter(function (e) {
      return Number.isInteger(e.start) && Number.isInteger(e.end) && e.start >= 0 && e.start < e.end && e.end <= n;
    });
    var cuts = [0, n];
    spans.forEach(function (s) { cuts.push(s.start, s.end); });
    cuts = Array.from(new Set(cuts)).sort(function (a, b) { return a - b; });
    var frag = document.createDocumentFragment();
    for (var i = 0; i + 1 < cuts.length; i++) {
      var a = cuts[i], b = cuts[i + 1];
      var seg = chars.slice(a, b).join("");
      var fields = [];
      spans.forEach(function (s) { if (s.start <= a && s.end >= b && fields.indexOf(s.field) < 0) fields.push(s.field); });
      if (!fields.length) { frag.appendChild(document.createTextNode(seg)); continue; }
      var mark = document.createElement("mark");
      mark.className = "evidence " + (fields.length === 1 && fields[0] === "mention" ? "sentence-only " : "") + fields.map(function (f) { return "f-" + String(f).replace(/[^a-z0-9_-]/gi, ""); }).join(" ");
      mark.setAttribute("data-fields", fields.join(" "));
      mark.setAttribute("title", fields.join(", "));
      mark.textContent = seg;
      frag.appendChild(mark);
    }
    return frag;
  }

  function row(label, value) {
    if (value === null || value === undefined || value === "") return null;
    return el("tr", null, [el("th", { text: label }), el("td", { text: String(value) })]);
  }

  function actorText(name, inter, assoc) {
    if (!name) return "";
    return name + (inter ? " (" + (INTER[inter] || inter) + ")" : "") + (assoc ? "; with " + assoc : "");
  }

  function renderEvent(d, article) {
    var e = d.event;
    var body = openPanel();
    body.setAttribute("data-event", e.event_id_cnty);
    body.appendChild(el("h2", { text: e.sub_event_type + " — " + (e.location || e.country || "unknown place") }));
    body.appendChild(el("p", { className: "muted", text: e.event_type + " · " + (e.event_date || "undated") +
      (e.time_precision ? " (precision: " + (TIME_PRECISION[e.time_precision] || e.time_precision) + ")" : "") }));
    var table = el("table", { id: "event-table" });
    [row("Actor 1", actorText(e.actor1, e.inter1, e.assoc_actor_1)),
     row("Actor 2", actorText(e.actor2, e.inter2, e.assoc_actor_2)),
     row("Place", [e.location, e.admin2, e.admin1, e.country].filter(function (v, i, all) {
       return v && all.indexOf(v) === i; }).join(", ")),
     row("Coordinates", e.latitude !== null && e.longitude !== null ? e.latitude + ", " + e.longitude : ""),
     row("Geo precision", e.geo_precision ? e.geo_precision + " — " + (GEO_PRECISION[e.geo_precision] || "") : ""),
     row("Fatalities", e.fatalities === null ? "not reported" : e.fatalities),
     row("Civilian targeting", e.civilian_targeting),
     row("Disorder type", e.disorder_type),
     row("Event id", e.event_id_cnty)].forEach(function (r) { if (r) table.appendChild(r); });
    body.appendChild(table);

    body.appendChild(el("h3", { text: "Sources (" + d.sources.length + ")" }));
    var ul = el("ul", { id: "sources" });
    d.sources.forEach(function (s) {
      var label = s.title || s.article_id;
      var href = safeUrl(s.url);
      var head = href ? el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: label })
                      : el("span", { text: label });
      var show = el("button", { type: "button", className: "show-text", text: "text" });
      show.addEventListener("click", function () { loadArticle(d, s.article_id); });
      ul.appendChild(el("li", null, [head, el("span", { className: "muted",
        text: " " + [s.publisher, s.published].filter(Boolean).join(", ") + (href || !s.url ? "" : " (" + s.url + ")") + " " }),
        show]));
    });
    body.appendChild(ul);

    body.appendChild(el("h3", { text: "Evidence" }));
    var evl = el("ul", { className: "evidence-list" });
    d.evidence.forEach(function (ev) {
      evl.appendChild(el("li", null, [el("span", { className: "field", text: ev.field }), ": “" + ev.text + "”"]));
    });
    body.appendChild(evl);
    body.appendChild(el("div", { id: "article-box" }));
    if (article) showArticle(d, article);
    document.body.setAttribute("data-event-open", e.event_id_cnty);
  }

  // The article's text with the spans of this event's evidence that lie in it highlighted.
  function showArticle(d, article) {
    var box = document.getElementById("article-box");
    if (!box) return;
    clear(box);
    box.appendChild(el("h3", { text: "Article" + (article.title ? ": " + article.title : "") }));
    var textBox = el("div", { className: "article-text", id: "article-text", "data-article": article.id });
    var spans = d.evidence.filter(function (ev) { return !ev.article_id || ev.article_id === article.id; });
    textBox.appendChild(highlightedText(article.text, spans));
    box.appendChild(textBox);
    var firstMark = textBox.querySelector("mark:not(.sentence-only)") || textBox.querySelector("mark");
    if (firstMark && firstMark.scrollIntoView) firstMark.scrollIntoView({ block: "center" });
  }

  function loadArticle(d, articleId) {
    return api("/api/articles/" + encodeURIComponent(articleId)).then(function (a) { showArticle(d, a); })
      .catch(failed);
  }

  function openEvent(id) {
    state.event = id;
    writeUrl();
    return api("/api/events/" + encodeURIComponent(id)).then(function (d) {
      var aid = d.event.article_id;
      var art = aid ? api("/api/articles/" + encodeURIComponent(aid)).catch(function () { return null; })
                    : Promise.resolve(null);
      return art.then(function (a) { renderEvent(d, a); });
    }).catch(failed);
  }

  // -- legend and start-up ----------------------------------------------------------------------

  function drawLegend() {
    var box = document.getElementById("legend");
    clear(box);
    Object.keys(TYPE_COLORS).forEach(function (t) {
      var sw = el("span", { className: "swatch" });
      sw.style.background = TYPE_COLORS[t];
      box.appendChild(el("div", null, [sw, t]));
    });
  }

  function start() {
    var view = readUrl();
    drawLegend();
    setupForm();
    document.getElementById("panel-close").addEventListener("click", closePanel);
    window.addEventListener("resize", function () { drawTimeline(timelineDays); });
    api("/api/config").then(function (c) {
      config = c;
      setupMap(view);
      var facetsReady = api("/api/facets").then(function (f) {
        facets = f;
        fillSelect(document.getElementById("f-country"), f.countries, "All countries", state.filters.country);
        fillSelect(document.getElementById("f-event-type"), Object.keys(f.event_types), "All types", state.filters.event_type);
        var dl = document.getElementById("actor-list");
        f.actors.forEach(function (a) { dl.appendChild(el("option", { value: a })); });
        syncForm();
        return loadAdmin1();
      });
      refresh();
      facetsReady.catch(failed);
      if (state.event) openEvent(state.event);
    }).catch(failed);
  }

  window.eventcoder = { openEvent: openEvent, state: state, map: function () { return map; } };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
