/* factsite: client-side filters and sorting for index tables (progressive enhancement:
   without JavaScript the tables stay plain, complete tables). No server needed. */
(function () {
  "use strict";

  function values(row, key) {
    var raw = row.getAttribute("data-f-" + key);
    if (!raw) return [];
    try { return JSON.parse(raw).map(String); } catch (e) { return []; }
  }

  function cellKey(cell) {
    if (!cell) return "";
    var sort = cell.getAttribute("data-sort");
    return sort !== null ? sort : cell.textContent.trim().toLowerCase();
  }

  function compare(a, b) {
    var x = Number(a), y = Number(b);
    if (a !== "" && b !== "" && !isNaN(x) && !isNaN(y)) return x - y;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function enhance(table) {
    if (table.getAttribute("data-enhanced")) return;
    table.setAttribute("data-enhanced", "true");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var filters = [];
    try { filters = JSON.parse(table.getAttribute("data-filters") || "[]"); } catch (e) {}

    var form = document.createElement("div");
    form.className = "fs-filters";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "Filter the table");
    var status = document.createElement("p");
    status.className = "fs-status";
    status.setAttribute("aria-live", "polite");
    var selects = {};

    filters.forEach(function (filter) {
      var key = filter[0], seen = {};
      rows.forEach(function (row) { values(row, key).forEach(function (v) { seen[v] = true; }); });
      var options = Object.keys(seen).sort(function (a, b) {
        return key === "year" ? compare(b, a) : a.localeCompare(b);
      });
      if (!options.length) return;
      var label = document.createElement("label");
      label.textContent = filter[1];
      var select = document.createElement("select");
      select.name = key;
      select.className = "fs-filter";
      select.setAttribute("data-filter", key);
      select.appendChild(new Option("All", ""));
      options.forEach(function (v) { select.appendChild(new Option(v, v)); });
      select.addEventListener("change", apply);
      label.appendChild(select);
      form.appendChild(label);
      selects[key] = select;
    });

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = Object.keys(selects).every(function (key) {
          var wanted = selects[key].value;
          return !wanted || values(row, key).indexOf(wanted) !== -1;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      status.textContent = "Showing " + shown + " of " + rows.length;
    }

    var wrap = table.closest(".fs-table-wrap") || table;
    wrap.parentNode.insertBefore(form, wrap);
    wrap.parentNode.insertBefore(status, wrap);
    apply();

    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "fs-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var result = compare(cellKey(a.cells[index]), cellKey(b.cells[index]));
          return ascending ? result : -result;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function init() {
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
