/* clusterobs pages: draw the server-built Plotly figures, follow clicks to their pages, copy links. */
(function () {
  "use strict";
  var T = window.CLUSTEROBS_I18N || {};

  function wrap(text, width) {
    var out = [], line = "";
    String(text || "").split(/\s+/).forEach(function (word) {
      if (!word) { return; }
      if (line && line.length + 1 + word.length > width) { out.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { out.push(line); }
    return out;
  }

  /* The server wraps the caption for a 1000 px image; re-wrap it to the width the chart really has. */
  function fitCaption(layout, px) {
    var meta = layout.meta;
    if (!meta || !px) { return; }
    var footer = (layout.annotations || []).filter(function (a) { return a.name === "caption-footer"; })[0];
    if (footer) {
      var lines = wrap(meta.source, Math.max(28, Math.floor((px - 20) / 6.1)));
      (meta.notes || []).forEach(function (n) { lines = lines.concat(wrap(n, Math.max(28, Math.floor((px - 20) / 6.1)))); });
      var before = String(footer.text).split("<br>").length;
      footer.text = lines.join("<br>");
      var extra = 15 * (lines.length - before);
      layout.margin.b += extra; layout.height += extra;
    }
    if (layout.title && layout.title.subtitle && meta.subtitle) {
      var sub = wrap(meta.subtitle, Math.max(24, Math.floor((px - 20) / 6.7)));
      var old = String(layout.title.subtitle.text || "").split("<br>").length;
      layout.title.subtitle.text = sub.join("<br>");
      var more = 17 * (sub.length - old);
      layout.margin.t += more; layout.height += more;
    }
    if (layout.title && meta.title && px < 600) {
      var t = wrap(meta.title, Math.max(20, Math.floor((px - 20) / 9.5)));
      if (t.length > 1) {
        layout.title.text = "<b>" + t.join("<br>") + "</b>";
        layout.margin.t += 20 * (t.length - 1); layout.height += 20 * (t.length - 1);
      }
    }
  }

  /* Phones: on a container narrower than NARROW px, a chart switches to a compact form. Long category labels on
     the y axis are abbreviated (the hover keeps the full name) so that the plot keeps at least 60 % of the
     width, category labels on the x axis are cut to their column's width, and the legend moves below the plot
     (horizontal, from the figure's left edge), the source line and notes moving down by the legend's height. */
  var NARROW = 600;

  function abbreviate(text, chars) {
    var s = String(text);
    return s.length <= chars ? s : s.slice(0, Math.max(1, chars - 1)).replace(/\s+$/, "") + "\u2026";
  }

  function categories(layout, data, axis) {
    var ax = layout[axis + "axis"] || {};
    if (ax.categoryarray && ax.categoryarray.length) { return ax.categoryarray; }
    var seen = [], all = true;
    (data || []).forEach(function (t) {
      if ((t.xaxis || "x") !== "x" || (t.yaxis || "y") !== "y" || !Array.isArray(t[axis])) { return; }
      t[axis].forEach(function (v) {
        if (typeof v !== "string") { all = false; } else if (seen.indexOf(v) < 0) { seen.push(v); }
      });
    });
    return all ? seen : [];
  }

  function legendItems(layout, data) {
    if (layout.showlegend === false) { return []; }
    /* traces of these types are left out of the legend unless they ask for it */
    var off = ["pie", "choropleth", "choroplethmap", "choroplethmapbox", "heatmap", "sankey", "table", "indicator"];
    var items = (data || []).filter(function (t) {
      return t.name && (t.showlegend === true || (t.showlegend !== false && off.indexOf(t.type) < 0));
    });
    return items.length > 1 || layout.showlegend === true ? items : [];
  }

  function compact(layout, data, px) {
    if (!px || px >= NARROW) { return null; }
    var margin = layout.margin = layout.margin || {};
    var footer = (layout.annotations || []).filter(function (a) { return a.name === "caption-footer"; })[0];
    var cap = Math.round(px * 0.36);
    var y = layout.yaxis, x = layout.xaxis;
    if (margin.l > cap) {
      margin.l = cap;
      if (footer) { footer.xshift = -(cap - 10); }
      var rows = y ? categories(layout, data, "y") : [];
      if (rows.length) {
        var chars = Math.max(6, Math.floor((cap - 14) / 6.2));
        y.tickmode = "array"; y.tickvals = rows.slice();
        y.ticktext = rows.map(function (r) { return abbreviate(r, chars); });
        y.tickfont = Object.assign({}, y.tickfont, { size: 11 });
      }
    }
    var plotW = px - (margin.l || 0) - (margin.r || 0);
    var cols = x && x.type === "category" ? categories(layout, data, "x") : [];
    if (cols.length) {
      var per = Math.max(4, Math.floor((plotW / cols.length - 4) / 5.8));
      if (cols.some(function (c) { return String(c).length > per; })) {
        x.tickmode = "array"; x.tickvals = cols.slice();
        x.ticktext = cols.map(function (c) { return abbreviate(c, per); });
        x.tickfont = Object.assign({}, x.tickfont, { size: 10 });
      }
    }
    /* a square plot (the network): no taller than it is wide; its point labels cut short (the hover has them) */
    if (y && y.scaleanchor === "x" && layout.height) {
      var plotH = layout.height - (margin.t || 0) - (margin.b || 0);
      if (plotH > plotW + 20) { layout.height -= plotH - plotW - 20; }
    }
    (data || []).forEach(function (t) {
      if (String(t.mode || "").indexOf("text") < 0 || !Array.isArray(t.text) || !t.hovertemplate) { return; }
      t.text = t.text.map(function (v) { return typeof v === "string" ? abbreviate(v, 14) : v; });
      t.textfont = Object.assign({}, t.textfont, { size: 10 });
    });
    var items = legendItems(layout, data);
    if (!items.length) { return null; }
    var lines = 1, used = 0;
    items.forEach(function (t) {
      var w = 42 + 5.8 * String(t.name).length;
      if (used && used + w > px - 12) { lines += 1; used = 0; }
      used += w;
    });
    var legendH = 20 * lines + 8;
    var legend = layout.legend = layout.legend || {};
    var wasTop = legend.orientation === "h" && legend.yanchor === "bottom" && legend.y >= 1;
    if (wasTop) { margin.t -= 30; layout.height -= 30; }
    var below = footer ? -(footer.yshift || 0) : Math.max(0, (margin.b || 0) - 10);
    margin.b = (margin.b || 0) + legendH; layout.height += legendH;
    if (footer) { footer.yshift = (footer.yshift || 0) - legendH; }
    legend.orientation = "h"; legend.xref = "container"; legend.x = 0; legend.xanchor = "left";
    legend.yref = "container"; legend.yanchor = "top"; legend.y = (margin.b - below) / layout.height;
    if (legend.title && legend.title.text) { legend.title = Object.assign({}, legend.title, { side: "top" }); }
    legend.font = { size: 10 }; legend.itemwidth = 30; legend.itemsizing = "constant"; legend.tracegroupgap = 0;
    return { legendH: legendH, below: below };
  }

  /* The legend's height was estimated before drawing: once drawn, give it the room it really takes. */
  function fitLegend(gd, plan) {
    var box = plan && gd.querySelector(".legend");
    if (!box) { return null; }
    var real = Math.ceil(box.getBBox().height) + 8;
    var d = real - plan.legendH;
    if (Math.abs(d) < 4) { return null; }
    var L = gd.layout, upd = {};
    upd["margin.b"] = L.margin.b + d; upd.height = L.height + d;
    upd["legend.y"] = (L.margin.b + d - plan.below) / (L.height + d);
    (L.annotations || []).forEach(function (a, i) {
      if (a.name === "caption-footer") { upd["annotations[" + i + "].yshift"] = (a.yshift || 0) - d; }
    });
    plan.legendH = real;
    return window.Plotly.relayout(gd, upd);
  }


  function draw(figure) {
    var data = document.getElementById(figure.dataset.plotly);
    var plot = figure.querySelector(".plot");
    var placeholder = figure.querySelector(".placeholder .loading");
    function fail(err) {
      figure.classList.add("failed");
      if (placeholder) { placeholder.parentNode.appendChild(document.createTextNode(T.chartFailed || "Chart failed")); }
      if (window.console && err) { console.error(err); }
    }
    if (!window.Plotly) { fail(new Error("plotly.js not loaded")); return; }
    var spec = figure.spec;
    if (!spec) {
      try { spec = JSON.parse(data.textContent); } catch (e) { fail(e); return; }
    }
    var layout = spec.layout || {};
    var px = plot.clientWidth || figure.clientWidth;
    fitCaption(layout, px);
    var plan = compact(layout, spec.data, px);
    var config = {
      responsive: true, scrollZoom: false,
      /* nothing in the modebar leaves the site: no Plotly logo link, no "Edit in Chart Studio"/send-to-cloud
         button (plotly.js 4 shows it by default, posting the figure to plotlyServerURL) and no cloud address */
      displaylogo: false, showSendToCloud: false, showEditInChartStudio: false, showLink: false, sendData: false,
      plotlyServerURL: "",
      modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "sendChartToCloud"],
      toImageButtonOptions: { format: "png", filename: figure.dataset.filename || "chart", scale: 2 }
    };
    window.Plotly.newPlot(plot, spec.data, layout, config).then(function (gd) {
      return Promise.resolve(fitLegend(gd, plan)).then(function () { return gd; });
    }).then(function (gd) {
      figure.classList.add("drawn");
      var frame = figure.querySelector(".plot-frame");
      if (frame) { frame.style.minHeight = ""; }  /* reserved for the server's height; the chart may be shorter */
      plot.removeAttribute("aria-hidden");
      gd.on("plotly_click", function (ev) {
        var p = ev && ev.points && ev.points[0];
        var url = p && p.customdata && p.customdata[0];
        if (typeof url === "string" && url.charAt(0) === "/") { window.location.href = url; }
      });
    }, fail);
  }

  function copy(button) {
    var input = document.getElementById(button.dataset.copy);
    var status = button.parentNode.querySelector(".copy-status");
    function say(text) { if (status) { status.textContent = text; } }
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () { say(T.copied); }, function () { say(T.copyFailed); });
    } else {
      try { say(document.execCommand("copy") ? T.copied : T.copyFailed); } catch (e) { say(T.copyFailed); }
    }
  }

  /* Filter drawers: folded on narrow screens (the summary is the toggle, keyboard-usable as a native button),
     always open on wide ones, where the summary is hidden. Without JavaScript they stay open. */
  function drawers() {
    var narrow = window.matchMedia ? window.matchMedia("(max-width: 600px)") : null;
    var all = document.querySelectorAll("details.filter-drawer");
    /* data-keep-open: a form with nothing chosen yet (the compare page's first visit) stays open */
    function fit() { all.forEach(function (d) { d.open = !(narrow && narrow.matches) || d.hasAttribute("data-keep-open"); }); }
    fit();
    if (narrow && narrow.addEventListener) { narrow.addEventListener("change", fit); }
  }

  /* The server loads the smallest plotly.js bundle for the page's charts (its script lists the trace types it
     draws in data-traces); a figure needing another type, or no plotly.js at all, gets the full bundle. */
  function covered(figures) {
    var tag = document.getElementById("plotly-js");
    var traces = tag && tag.dataset.traces;
    if (!traces) { return true; }
    var have = traces.split(" ");
    return figures.every(function (figure) {
      try { figure.spec = JSON.parse(document.getElementById(figure.dataset.plotly).textContent); } catch (e) { return true; }
      return (figure.spec.data || []).every(function (t) { return have.indexOf(t.type || "scatter") >= 0; });
    });
  }

  /* A year slider (the strength map): shown only with JavaScript, it moves the form's year select (the named
     control, which works without it) to the nearest year with data and applies the filters when released. */
  function yearSliders() {
    document.querySelectorAll("[data-year-slider]").forEach(function (box) {
      var range = box.querySelector("input[type=range]");
      var out = box.querySelector("output");
      var select = document.getElementById(range.dataset.yearFor);
      var years = (range.dataset.years || "").split(" ").map(Number);
      if (!select || !years.length) { return; }
      function nearest(v) {
        return years.reduce(function (a, b) { return Math.abs(b - v) < Math.abs(a - v) ? b : a; }, years[0]);
      }
      function sync() {
        var y = nearest(Number(range.value));
        range.value = y;
        out.textContent = y;
        select.value = String(y);
      }
      box.hidden = false;
      range.addEventListener("input", sync);
      range.addEventListener("change", function () {
        sync();
        var form = range.form || select.form;
        if (form) { if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); } }
      });
      select.addEventListener("change", function () { range.value = select.value; out.textContent = select.value; });
    });
  }

  /* A table wider than the screen scrolls in its box: the box then takes keyboard focus (arrow keys scroll it) and
     is a region named by the table's caption (WCAG 2.1.1; axe-core's scrollable-region-focusable). */
  function scrollBoxes() {
    /* two regions never share a name: a chart's table and a page table may share a caption, and a table's caption
       may repeat the heading that names its section (the categories page: axe-core's landmark-unique on a phone) */
    var used = {};
    document.querySelectorAll("section[aria-labelledby]").forEach(function (section) {
      var heading = document.getElementById(section.getAttribute("aria-labelledby"));
      if (heading) { used[heading.textContent.trim()] = 1; }
    });
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1) {
        var caption = box.querySelector("caption");
        var name = (caption && caption.textContent.trim()) || T.table || "Table";
        if (caption && used[name]) { name = (T.table || "Table") + ": " + name; }
        used[name] = (used[name] || 0) + 1;
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", used[name] > 1 ? name + " (" + used[name] + ")" : name);
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  function pollReport() {
    /* A report being generated: ask the same address again every few seconds, in the background, and show the
       page once it is no longer "being generated" (202). No <meta http-equiv="refresh">: the page never reloads
       while the report is still being made (WCAG 2.2.1, axe's meta-refresh rule). */
    var box = document.querySelector("[data-poll-seconds]");
    var seconds = box && parseFloat(box.getAttribute("data-poll-seconds"));
    if (!seconds || !window.fetch) { return; }
    function ask() {
      fetch(window.location.href, {method: "HEAD", cache: "no-store", credentials: "same-origin"}).then(function (r) {
        if (r.status === 202) { window.setTimeout(ask, seconds * 1000); } else { window.location.reload(); }
      }, function () { window.setTimeout(ask, seconds * 1000); });
    }
    window.setTimeout(ask, seconds * 1000);
  }

  function start() {
    pollReport();
    drawers();
    yearSliders();
    scrollBoxes();
    window.addEventListener("resize", scrollBoxes);
    document.querySelectorAll("details").forEach(function (d) { d.addEventListener("toggle", scrollBoxes); });
    var figures = Array.prototype.slice.call(document.querySelectorAll("figure.chart[data-plotly]"));
    if (figures.length && (!window.Plotly || !covered(figures))) {
      var s = document.createElement("script");
      s.src = window.CLUSTEROBS_PLOTLY || "/static/plotly/plotly.min.js";
      s.id = "plotly-js-full";
      s.onload = function () { figures.forEach(draw); };
      s.onerror = function () { figures.forEach(function (f) { draw(f); }); };
      document.head.appendChild(s);
    } else {
      figures.forEach(draw);
    }
    document.querySelectorAll("button[data-copy]").forEach(function (b) {
      b.addEventListener("click", function () { copy(b); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
