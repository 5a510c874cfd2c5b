/* factsite: client-side filters and sorting for index tables (progressive enhancement:
   without JavaScript the tables stay plain, complete tables). No server needed.

   The contract with the generator (generator/render/overviews.py):
   - the table (table.fs-filterable) carries data-filters, a JSON list of filters, each
     [key, label] or [key, label, [values in their order]] (a rating scale, worst first);
   - optionally data-labels, a JSON object {key: {value: readable label}};
   - each row carries data-f-KEY, a JSON list of the row's values for that filter.
   The chosen filters and the sort order live in the page's address
   (?speaker=Anna+Weiss&year=2023&sort=date&order=ascending: sort names a column by its
   heading in lower case, words joined by "-"), so a filtered, sorted list can be shared,
   and is the same after Back, Forward or a reload. */
(function () {
  "use strict";

  function values(row, key) {
    var raw = row.getAttribute("data-f-" + key);
    if (!raw) return [];
    try { return JSON.parse(raw).map(String); } catch (e) { return []; }
  }

  function json(element, name, fallback) {
    try { return JSON.parse(element.getAttribute(name) || "") || fallback; } catch (e) { return fallback; }
  }

  function cellKey(cell) {
    if (!cell) return "";
    var sort = cell.getAttribute("data-sort");
    return sort !== null ? sort : cell.textContent.trim().toLowerCase();
  }

  function compare(a, b) {
    var x = Number(a), y = Number(b);
    if (a !== "" && b !== "" && !isNaN(x) && !isNaN(y)) return x - y;
    return a.localeCompare(b, undefined, { numeric: true });  // "tactic 2" before "tactic 10"
  }

  function readable(value) {
    var words = value.replace(/-/g, " ");
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  /* The options of one filter: the values the rows carry, in the filter's own order (a
     scale), newest first for years, else alphabetically by their readable label. */
  function optionsOf(filter, rows, labels) {
    var key = filter[0], order = Array.isArray(filter[2]) ? filter[2].map(String) : null;
    var seen = {};
    rows.forEach(function (row) { values(row, key).forEach(function (v) { seen[v] = true; }); });
    var label = function (v) { return (labels[key] && labels[key][v]) || readable(v); };
    var found = Object.keys(seen).filter(function (v) { return v !== ""; });
    found.sort(function (a, b) {
      if (order) {
        var i = order.indexOf(a), j = order.indexOf(b);
        if (i !== j) return (i === -1 ? order.length : i) - (j === -1 ? order.length : j);
      }
      if (key === "year") return compare(b, a);
      return label(a).localeCompare(label(b));
    });
    return found.map(function (v) { return [v, label(v)]; });
  }

  function wantedFromAddress(keys) {
    var params = new URLSearchParams(window.location.search), wanted = {};
    keys.forEach(function (key) { wanted[key] = params.get(key) || ""; });
    return wanted;
  }

  /* A column's name in the address: its heading, "Country or region" → country-or-region. */
  function columnKey(th) {
    return th.textContent.trim().toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  }

  /* The sort in the address: {column: key, ascending: bool}, or null. */
  function sortFromAddress() {
    var params = new URLSearchParams(window.location.search);
    var column = params.get("sort");
    if (!column) return null;
    return { column: column, ascending: params.get("order") !== "descending" };
  }

  function writeAddress(selects, sort) {
    var params = new URLSearchParams(window.location.search);
    Object.keys(selects).forEach(function (key) {
      if (selects[key].value) params.set(key, selects[key].value); else params.delete(key);
    });
    if (sort) {
      params.set("sort", sort.column);
      params.set("order", sort.ascending ? "ascending" : "descending");
    } else {
      params.delete("sort");
      params.delete("order");
    }
    var query = params.toString();
    var address = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(window.history.state, "", address);
  }

  function noun(table) {
    var caption = table.caption ? table.caption.textContent.trim() : "";
    return caption ? caption.charAt(0).toLowerCase() + caption.slice(1) : "rows";
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function enhance(table) {
    if (table.getAttribute("data-enhanced")) return;
    table.setAttribute("data-enhanced", "true");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var filters = json(table, "data-filters", []);
    var labels = json(table, "data-labels", {});
    var tableId = table.id || "fs-table-" + Math.random().toString(36).slice(2, 8);
    table.id = tableId;

    var form = element("div", "fs-filters");
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "Filter the table");
    var hint = element("p", "fs-hint");
    var status = element("p", "fs-status");
    status.setAttribute("aria-live", "polite");
    var empty = element("p", "fs-empty", "No " + noun(table) + " match these filters.");
    empty.hidden = true;
    var selects = {};
    var original = rows.slice();  // the generator's order, when no column is chosen
    var sorted = null;  // {column, ascending}: the column the reader sorted by

    filters.forEach(function (filter) {
      var key = filter[0], options = optionsOf(filter, rows, labels);
      if (!options.length) return;
      var label = element("label", "fs-filter-label", filter[1]);
      var select = element("select", "fs-filter");
      select.name = key;
      select.setAttribute("data-filter", key);
      select.setAttribute("aria-controls", tableId);
      select.autocomplete = "off";  // the address, not the browser's form memory, restores it
      select.appendChild(new Option("All", ""));
      options.forEach(function (o) { select.appendChild(new Option(o[1], o[0])); });
      select.addEventListener("change", function () { writeAddress(selects, sorted); apply(); });
      label.appendChild(select);
      form.appendChild(label);
      selects[key] = select;
    });

    var reset = element("button", "md-button fs-reset", "Reset filters");
    reset.type = "button";
    reset.addEventListener("click", function () {
      Object.keys(selects).forEach(function (key) { selects[key].value = ""; });
      writeAddress(selects, sorted);
      apply();
      var first = form.querySelector("select");
      if (first) first.focus();
    });
    if (Object.keys(selects).length) form.appendChild(reset);
    // Only the filters that have options to choose from are shown: the hint says so.
    hint.textContent = Object.keys(selects).length
      ? "Use the filters to narrow the table; choose a column heading to sort it."
      : "Choose a column heading to sort the table.";
    // The lists fold away on phones (they would fill the first screen) unless one is in use.
    var box = element("details", "fs-filter-box");
    var summary = element("summary", "", "Filters");
    box.appendChild(summary);
    box.appendChild(form);
    var wide = !window.matchMedia || window.matchMedia("(min-width: 45em)").matches;

    function fromAddress() {
      var wanted = wantedFromAddress(Object.keys(selects));
      Object.keys(selects).forEach(function (key) {
        var select = selects[key];
        var known = Array.prototype.some.call(select.options, function (o) { return o.value === wanted[key]; });
        select.value = known ? wanted[key] : "";
      });
    }

    function apply() {
      var shown = 0, active = false;
      Object.keys(selects).forEach(function (key) { if (selects[key].value) active = true; });
      rows.forEach(function (row) {
        var ok = Object.keys(selects).every(function (key) {
          var wanted = selects[key].value;
          return !wanted || values(row, key).indexOf(wanted) !== -1;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      reset.disabled = !active;
      var count = Object.keys(selects).filter(function (key) { return selects[key].value; }).length;
      summary.textContent = count ? "Filters (" + count + " in use)" : "Filters";
      if (active) box.open = true;
      empty.hidden = shown !== 0;
      table.hidden = shown === 0;
      status.textContent = shown === 0 ? "Showing 0 of " + rows.length + ": no "
        + noun(table) + " match these filters." : "Showing " + shown + " of " + rows.length;
    }

    var wrap = table.closest(".fs-table-wrap") || table;
    wrap.parentNode.insertBefore(hint, wrap);
    if (Object.keys(selects).length) wrap.parentNode.insertBefore(box, wrap);
    box.open = wide;
    wrap.parentNode.insertBefore(status, wrap);
    wrap.parentNode.insertBefore(empty, wrap);
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    var keys = Array.prototype.map.call(headers, columnKey);
    // Each cell knows its column's name (the phone layout writes it before a bare date).
    rows.forEach(function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, index) {
        if (headers[index]) cell.setAttribute("data-label", headers[index].textContent.trim());
      });
    });

    /* Sort the rows by a column ({column, ascending}), or back to the generator's order
       (null, or a column the table does not have). */
    function sortRows(sort) {
      var index = sort ? keys.indexOf(sort.column) : -1;
      sorted = index === -1 ? null : sort;
      Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
      var order = original.slice();
      if (sorted) {
        headers[index].setAttribute("aria-sort", sorted.ascending ? "ascending" : "descending");
        order.sort(function (a, b) {
          var result = compare(cellKey(a.cells[index]), cellKey(b.cells[index]));
          return sorted.ascending ? result : -result;
        });
      }
      rows = order;
      rows.forEach(function (row) { body.appendChild(row); });
    }

    Array.prototype.forEach.call(headers, function (th, index) {
      var button = element("button", "fs-sort", th.textContent);
      button.type = "button";
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        sortRows({ column: keys[index], ascending: th.getAttribute("aria-sort") !== "ascending" });
        writeAddress(selects, sorted);
      });
    });

    function fromAddressAll() { fromAddress(); sortRows(sortFromAddress()); apply(); }
    fromAddressAll();
    // Back/Forward from another page (the page may come from the back-forward cache, or
    // the browser may restore the lists' old choices): the address decides.
    window.addEventListener("pageshow", fromAddressAll);
    window.addEventListener("popstate", fromAddressAll);
  }

  /* The phones' table of contents (theme/main.html) comes before the page's heading in the
     HTML (Material renders the heading inside the content); put it under the heading. */
  function placeToc() {
    var toc = document.querySelector(".fs-toc-phone");
    var heading = document.querySelector(".md-content h1");
    if (toc && heading && toc.compareDocumentPosition(heading) & Node.DOCUMENT_POSITION_FOLLOWING) {
      heading.parentNode.insertBefore(toc, heading.nextSibling);
    }
  }

  /* Phones and tablets: the navigation drawer opens from a real button (Material's is a
     label, which the keyboard cannot reach); focus moves into the drawer, Escape or the
     overlay closes it and focus returns to the button. The closed drawer is out of the tab
     order (factsite.css), so Tab never lands on links that are off the screen. */
  function drawer() {
    var toggle = document.getElementById("__drawer");
    var button = document.querySelector(".fs-drawer-open");
    var label = document.querySelector(".fs-drawer-label");
    var panel = document.querySelector(".md-sidebar--primary");
    if (!toggle || !button || !panel || button.getAttribute("data-enhanced")) return;
    button.setAttribute("data-enhanced", "true");
    panel.id = panel.id || "fs-drawer";
    button.setAttribute("aria-controls", panel.id);
    button.hidden = false;
    if (label) label.hidden = true;
    function set(open) {
      if (toggle.checked !== open) {
        toggle.checked = open;
        toggle.dispatchEvent(new Event("change", { bubbles: true }));
      }
      sync();
    }
    function sync() {
      button.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
    }
    button.addEventListener("click", function () {
      set(!toggle.checked);
      if (!toggle.checked) return;
      var first = panel.querySelector("a[href], button, input:not([type=checkbox]), [tabindex='0']");
      // The drawer becomes visible (and focusable) in the same frame as it starts to slide.
      window.requestAnimationFrame(function () { if (first) first.focus(); });
    });
    toggle.addEventListener("change", function () {
      sync();
      if (!toggle.checked && panel.contains(document.activeElement)) button.focus();
    });
    // A section of the drawer (About) slides over the list when opened: focus follows
    // into it, or it would stay on the label now hidden under it.
    function sectionLabel(sectionToggle) {
      return panel.querySelector("label.md-nav__link[for='" + sectionToggle.id + "']");
    }
    panel.addEventListener("change", function (event) {
      var opened = event.target;
      if (!opened.classList || !opened.classList.contains("md-nav__toggle") || !opened.checked) return;
      if (document.activeElement !== sectionLabel(opened)) return;
      var first = opened.parentNode.querySelector(":scope > .md-nav a[href]");
      window.requestAnimationFrame(function () { if (first) first.focus(); });
    });
    // Escape goes back one level: out of an open section, then out of the drawer.
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !toggle.checked) return;
      var open = Array.prototype.filter.call(panel.querySelectorAll(".md-nav__toggle:checked"),
                                             sectionLabel);
      var deepest = open[open.length - 1];
      if (deepest) {
        deepest.checked = false;
        deepest.dispatchEvent(new Event("change", { bubbles: true }));
        sectionLabel(deepest).focus();
        return;
      }
      set(false);
      button.focus();
    });
    // Tab past the drawer's last link closes it (the page behind is under its overlay).
    document.addEventListener("focusin", function (event) {
      if (toggle.checked && event.target !== button && !panel.contains(event.target)) set(false);
    });
    sync();
  }

  /* The colour-scheme button (theme/partials/palette.html) checks the other scheme's radio,
     which Material's palette code listens to; focus follows to the button it then shows. */
  function palette() {
    Array.prototype.forEach.call(document.querySelectorAll(".fs-palette-switch"), function (button) {
      if (button.getAttribute("data-enhanced")) return;
      button.setAttribute("data-enhanced", "true");
      // Material's form turns Enter into a switch of its own: one switch per key press.
      button.addEventListener("keydown", function (event) {
        if (event.key === "Enter") event.stopPropagation();
      });
      button.addEventListener("click", function () {
        var radio = document.getElementById(button.getAttribute("data-fs-palette"));
        if (!radio) return;
        radio.click();
        window.requestAnimationFrame(function () {
          var shown = document.querySelector(".fs-palette-switch:not([hidden])");
          if (shown) shown.focus();
        });
      });
    });
  }

  function init() {
    drawer();
    palette();
    placeToc();
    Array.prototype.forEach.call(document.querySelectorAll("table.fs-filterable"), enhance);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
