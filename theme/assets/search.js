/* factsite search: a front end for the Pagefind index written by `factsite index`.

   Nothing is downloaded until the reader opens the search (the button, or "/"): then
   pagefind.js and the index chunks the query needs. Results show the record's kind, its
   rating badge (fact-checks), its date and a snippet; facets with counts narrow them.
   The query and the facets live in the address (?q=…&search-kind=…), so a search can be
   shared, bookmarked and restored with Back. */
(function () {
  "use strict";

  var FACETS = [["kind", "Kind"], ["rating", "Rating"], ["election", "Election"],
                ["tactic", "Tactic"], ["actor", "Speaker or claimant"],
                ["country", "Country"], ["year", "Year"]];
  var PREFIX = "search-";      // facet parameters: ?search-kind=Statement
  var PAGE = 10;               // results shown at a time
  var FACET_VALUES = 8;        // facet values shown before "More"

  var dialog = document.getElementById("fs-search");
  var opener = document.querySelector(".fs-search-open");
  if (!dialog || !opener || typeof dialog.showModal !== "function") return;

  var input = dialog.querySelector(".fs-search__input");
  var facetBox = dialog.querySelector(".fs-search__facets");
  var filterBox = dialog.querySelector(".fs-search__filters");
  var statusLine = dialog.querySelector(".fs-search__status");
  var list = dialog.querySelector(".fs-search__results");
  var more = dialog.querySelector(".fs-search__more");

  var state = { query: "", filters: {} };   // filters: facet -> [values]
  var expanded = {};                        // facets showing all their values
  var opened = {};                          // facet groups the reader opened or closed
  var current = null;                       // the last search: for recounting its facets
  var loading = null;
  var results = [];
  var shown = 0;
  var generation = 0;

  opener.hidden = false;

  // -- loading Pagefind (only once the reader searches) -----------------------------------
  //
  // A large site's index is split into shards searched together (generator/search.py,
  // "shards"); the manifest beside pagefind.js names them, the page that holds each shard's
  // share of the other shards' words (never a result), and the facet files: each page's
  // facet values, counted here rather than by Pagefind (whose counting compares every
  // matching page with every page of every facet value).

  function load() {
    if (!loading) {
      var bundle = new URL(dialog.getAttribute("data-bundle"), location.href);
      var folder = bundle.href.replace(/pagefind\.js$/, "");
      var root = bundle.pathname.replace(/pagefind\/pagefind\.js$/, "");
      // A named record's name (its "name" meta: actors, elections, tactics) weighs above
      // any title that mentions it: "Putin" lists the actor page before a source titled
      // "TASS: Putin on Trump…" (generator/render/searchmeta.py). Titles weigh 1, not
      // Pagefind's 5: at 5 a fact-check's title ("Łukasz Kovač’s claim that …") scored
      // 70 for "Kovač", against 29 for the actor page itself.
      // Every index gets the ranking: Pagefind ranks each merged shard with its own
      // options, and applies a ranking only to an index already loaded.
      var options = { baseUrl: root, excerptLength: 26 };
      var ranking = { metaWeights: { title: 1, name: 10 } };
      var merged = Object.assign({ ranking: ranking }, options);
      var manifest = fetch(folder + "factsite-search.json", { cache: "no-cache" })
        .then(function (response) { return response.ok ? response.json() : {}; })
        .catch(function () { return {}; });
      loading = Promise.all([import(bundle.href), manifest]).then(function (loaded) {
        var pagefind = loaded[0];
        var shards = loaded[1].shards || [];
        return Promise.resolve(pagefind.options(options))
          .then(function () { return pagefind.init(); })
          .then(function () { return pagefind.options({ ranking: ranking }); })
          .then(function () {
            return Promise.all(shards.map(function (shard) {
              return pagefind.mergeIndex(folder + shard, merged);
            }));
          })
          .then(function () {
            return { pagefind: pagefind, hidden: loaded[1].hidden || null, folder: folder,
                     facets: loaded[1].facets && loaded[1].facets.columns
                       ? loaded[1].facets : null };
          });
      });
      loading.catch(function () {
        loading = null;
        say("Search is not available: its index could not be loaded.");
      });
    }
    return loading;
  }

  // -- the facets: each fetched only when the reader sees its counts or narrows by it -----
  //
  // generator/search.py ("the facets, counted by the search panel") writes one file that
  // turns a Pagefind page id into a page number, and one file per facet with each page
  // number's values; a facet of many values starts closed, and its file is fetched when
  // the reader opens it.

  var facetFiles = {};   // file -> Promise of its header and bytes

  function fetchFacetFile(search, file) {
    if (!facetFiles[file]) {
      facetFiles[file] = fetch(search.folder + file).then(function (response) {
        if (!response.ok) throw new Error(file + ": " + response.status);
        return response.arrayBuffer();
      }).then(gunzip).then(function (bytes) {
        var end = bytes.indexOf(10);   // the JSON header, a line break, the numbers
        return { header: JSON.parse(new TextDecoder().decode(bytes.subarray(0, end))),
                 body: bytes.subarray(end + 1) };
      });
      facetFiles[file].catch(function () { delete facetFiles[file]; });
    }
    return facetFiles[file];
  }

  /* The facet files are gzip: unpacked here unless the server already did. */
  function gunzip(buffer) {
    var bytes = new Uint8Array(buffer);
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (out) { return new Uint8Array(out); });
  }

  /* Unsigned LEB128 numbers, as many as there are. */
  function varints(bytes) {
    var out = [];
    var number = 0;
    var shift = 0;
    for (var at = 0; at < bytes.length; at++) {
      number += (bytes[at] & 0x7f) * Math.pow(2, shift);
      if (bytes[at] & 0x80) {
        shift += 7;
      } else {
        out.push(number);
        number = 0;
        shift = 0;
      }
    }
    return out;
  }

  /* A page id -> its page number (-1 if none): per group of ids (a language, so many hex
     digits) the sorted numbers, stored as gaps; any other id by name. */
  function pageNumbers(file) {
    var gaps = varints(file.body);
    var groups = {};
    var first = 0;
    file.header.groups.forEach(function (group) {
      var numbers = new Float64Array(group[2]);
      var at = 0;
      for (var i = 0; i < group[2]; i++) {
        at += gaps[first + i];
        numbers[i] = at;
      }
      groups[group[0] + "\u0000" + group[1]] = { numbers: numbers, first: first };
      first += group[2];
    });
    var other = new Map();
    file.header.other.forEach(function (id, i) { other.set(id, first + i); });
    return function (id) {
      if (other.has(id)) return other.get(id);
      var cut = id.lastIndexOf("_");
      var digits = id.slice(cut + 1);
      var group = groups[id.slice(0, cut) + "\u0000" + digits.length];
      if (cut < 0 || !group || !/^[0-9a-f]+$/.test(digits)) return -1;
      var wanted = parseInt(digits, 16);
      var low = 0;
      var high = group.numbers.length - 1;
      while (low <= high) {
        var middle = (low + high) >> 1;
        if (group.numbers[middle] === wanted) return group.first + middle;
        if (group.numbers[middle] < wanted) low = middle + 1;
        else high = middle - 1;
      }
      return -1;
    };
  }

  /* A facet's values of each page number: where its value numbers start and end. */
  function facetColumn(file) {
    var numbers = varints(file.body);
    var starts = [];
    var at = 0;
    while (at < numbers.length) {
      starts.push(at + 1);
      at += 1 + numbers[at];
    }
    starts.push(at + 1);
    return {
      names: file.header.values,
      of: function (page) {
        if (page < 0 || page >= starts.length - 1) return [];
        return numbers.slice(starts[page], starts[page + 1] - 1);
      }
    };
  }

  var lookups = {};   // "pages" and facet name -> Promise of a lookup

  function facetLookup(search, name) {
    if (!lookups[name]) {
      var file = name === "pages" ? search.facets.pages : search.facets.columns[name].file;
      lookups[name] = fetchFacetFile(search, file)
        .then(name === "pages" ? pageNumbers : facetColumn);
      lookups[name].catch(function () { delete lookups[name]; });
    }
    return lookups[name];
  }

  /* Whether a facet's counts are on screen: the filters are open, and so is its group. */
  function facetOpen(search, name) {
    if (!filterBox.open) return false;
    if (name in opened) return opened[name];
    var column = search.facets.columns[name];
    return Boolean(state.filters[name]) || column.values <= search.facets.open;
  }

  /* The facets to fetch: those chosen (to narrow by) and those on screen. */
  function neededFacets(search) {
    if (!search.facets) return [];
    return FACETS.map(function (facet) { return facet[0]; }).filter(function (name) {
      return search.facets.columns[name] &&
        (Boolean(state.filters[name]) || facetOpen(search, name));
    });
  }

  function loadFacets(search) {
    var names = neededFacets(search);
    if (!names.length) return Promise.resolve({ page: null, columns: {} });
    return Promise.all([facetLookup(search, "pages")].concat(names.map(function (name) {
      return facetLookup(search, name);
    }))).then(function (loaded) {
      var columns = {};
      names.forEach(function (name, i) { columns[name] = loaded[i + 1]; });
      return { page: loaded[0], columns: columns };
    });
  }

  // -- the address holds the search ---------------------------------------------------------

  function readAddress() {
    var params = new URLSearchParams(location.search);
    state.query = params.get("q") || "";
    state.filters = {};
    FACETS.forEach(function (facet) {
      var values = params.getAll(PREFIX + facet[0]).filter(Boolean);
      if (values.length) state.filters[facet[0]] = values;
    });
    return Boolean(state.query || Object.keys(state.filters).length);
  }

  function writeAddress(keep) {
    var params = new URLSearchParams(location.search);
    params.delete("q");
    FACETS.forEach(function (facet) { params.delete(PREFIX + facet[0]); });
    if (keep) {
      if (state.query) params.set("q", state.query);
      Object.keys(state.filters).forEach(function (name) {
        state.filters[name].forEach(function (value) { params.append(PREFIX + name, value); });
      });
    }
    var query = params.toString();
    var address = location.pathname + (query ? "?" + query : "") + location.hash;
    if (address !== location.pathname + location.search + location.hash) {
      history.replaceState(history.state, "", address);
    }
  }

  // -- opening and closing ------------------------------------------------------------------

  function open() {
    if (!dialog.open) dialog.showModal();
    if (window.matchMedia("(max-width: 59.984em)").matches) filterBox.open = false;
    input.focus();
    load();
  }

  opener.addEventListener("click", open);
  dialog.querySelector(".fs-search__close").addEventListener("click", function () {
    dialog.close();
  });
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close();   // the backdrop
  });
  dialog.addEventListener("close", function () { writeAddress(false); });
  dialog.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) first.focus();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || dialog.open) {
      return;
    }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      return;
    }
    event.preventDefault();
    open();
  });

  // Escape closes (a search field would first only clear itself); arrow keys move between
  // the box and the results.
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      dialog.close();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (event.target === input && event.key === "ArrowDown" && links.length) {
      links[0].focus();
    } else if (at >= 0) {
      var next = at + (event.key === "ArrowDown" ? 1 : -1);
      if (next < 0) input.focus();
      else if (next < links.length) links[next].focus();
    } else {
      return;
    }
    event.preventDefault();
  });

  input.addEventListener("input", function () {
    state.query = input.value;
    run();
  });

  // -- searching ----------------------------------------------------------------------------

  function say(text) { statusLine.textContent = text; }

  function active() {
    return Boolean(state.query.trim()) || Object.keys(state.filters).length > 0;
  }

  /* A page is shown if its values fail no chosen facet ("any of" the values chosen in a
     facet, and every facet with a choice); a facet's counts are over the pages that fail
     no other facet (its own values are alternatives). */
  function narrow(found, facets) {
    var chosen = Object.keys(state.filters).map(function (name) {
      var column = facets.columns[name];
      var wanted = new Set();
      if (column) {
        state.filters[name].forEach(function (value) {
          var at = column.names.indexOf(value);
          if (at >= 0) wanted.add(at);
        });
      }
      return { name: name, column: column, wanted: wanted };
    });
    var counted = Object.keys(facets.columns);
    var tallies = {};
    counted.forEach(function (name) {
      tallies[name] = new Uint32Array(facets.columns[name].names.length);
    });
    var kept = [];
    found.forEach(function (result) {
      var page = facets.page ? facets.page(result.id) : -1;
      var fails = [];
      chosen.forEach(function (facet) {
        var values = facet.column ? facet.column.of(page) : [];
        if (!values.some(function (value) { return facet.wanted.has(value); })) {
          fails.push(facet.name);
        }
      });
      if (fails.length === 0) kept.push(result);
      if (fails.length > 1) return;
      counted.forEach(function (name) {
        if (fails.length === 1 && fails[0] !== name) return;
        facets.columns[name].of(page).forEach(function (value) { tallies[name][value]++; });
      });
    });
    var counts = {};
    counted.forEach(function (name) {
      var names = facets.columns[name].names;
      var facet = counts[name] = {};
      tallies[name].forEach(function (count, value) {
        if (count) facet[names[value]] = count;
      });
    });
    return { results: kept, counts: counts };
  }

  function run() {
    var mine = ++generation;
    current = null;
    writeAddress(true);
    if (!active()) {
      results = [];
      list.textContent = "";
      more.hidden = true;
      facetBox.textContent = "";
      say("");
      return;
    }
    var term = state.query.trim() || null;
    var filtered = Object.keys(state.filters).length > 0;
    load().then(function (search) {
      return search.pagefind.debouncedSearch(term, {}, 60).then(function (found) {
        if (!found || mine !== generation) return;   // a newer search replaced this one
        var pages = found.results.filter(function (result) {
          return result.id !== search.hidden;
        });
        current = { search: search, pages: pages, mine: mine };
        // Without a facet chosen the results are shown before any facet file is needed.
        var shownFirst = filtered ? Promise.resolve() : show(pages, mine);
        return shownFirst.then(function () { return loadFacets(search); })
          .then(function (facets) {
            if (mine !== generation) return;
            var narrowed = narrow(pages, facets);
            renderFacets(search, narrowed.counts);
            if (filtered) return show(narrowed.results, mine);
          });
      });
    }).catch(function () {
      if (mine === generation) say("Search failed. Reload the page and try again.");
    });
  }

  /* The same results, their facets counted again (a group opened, more values shown). */
  function recount() {
    var last = current;
    if (!last) return;
    loadFacets(last.search).then(function (facets) {
      if (last.mine !== generation) return;
      renderFacets(last.search, narrow(last.pages, facets).counts);
    }).catch(function () {
      if (last.mine === generation) say("Search failed. Reload the page and try again.");
    });
  }

  function show(found, mine) {
    results = found;
    shown = 0;
    list.textContent = "";
    return showMore(mine).then(function () {
      if (mine === generation) announce();
    });
  }

  function announce() {
    var count = results.length;
    var words = state.query.trim();
    var what = words ? " for \u201c" + words + "\u201d" : "";
    var narrowed = Object.keys(state.filters).length ? " with the filters chosen" : "";
    if (!count) {
      say("No results" + what + narrowed + ". Try other words" +
          (narrowed ? " or remove a filter." : "."));
    } else {
      say(count + (count === 1 ? " result" : " results") + what + narrowed +
          (shown < count ? "; showing " + shown + "." : "."));
    }
  }

  function showMore(mine) {
    var next = results.slice(shown, shown + PAGE);
    return Promise.all(next.map(function (result) { return result.data(); }))
      .then(function (pages) {
        if (mine !== generation) return;
        pages.forEach(function (page) { list.appendChild(resultItem(page)); });
        shown += pages.length;
        more.hidden = shown >= results.length;
      });
  }

  more.addEventListener("click", function () {
    var first = shown;
    showMore(generation).then(function () {
      announce();
      var links = list.querySelectorAll("a");
      if (links[first]) links[first].focus();
    });
  });

  // -- rendering ----------------------------------------------------------------------------

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /* Pagefind's excerpt is HTML with <mark> around the matched words: keep the text and the
     marks, nothing else. */
  function excerpt(html) {
    var out = element("span", "fs-result__excerpt");
    var parsed = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    parsed.body.childNodes.forEach(function (node) {
      if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK") {
        out.appendChild(element("mark", "", node.textContent));
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function resultItem(page) {
    var meta = page.meta || {};
    var item = element("li", "fs-result");
    var link = element("a", "fs-result__link");
    link.href = page.url;
    var line = element("span", "fs-result__meta");
    line.appendChild(element("span", "fs-result__kind", meta.kind || "Page"));
    if (meta.rating) {
      var badge = element("span", "fs-rating fs-rating--" + (meta.rating_id || ""));
      var icon = element("span", "fs-rating__icon");
      icon.setAttribute("aria-hidden", "true");
      badge.appendChild(icon);
      badge.appendChild(document.createTextNode(meta.rating));
      line.appendChild(badge);
    }
    if (meta.date) line.appendChild(element("span", "fs-result__date", meta.date));
    link.appendChild(line);
    link.appendChild(element("span", "fs-result__title", meta.title || page.url));
    link.appendChild(excerpt(page.excerpt || ""));
    item.appendChild(link);
    return item;
  }

  function facetValues(name, counts) {
    var chosen = state.filters[name] || [];
    var values = Object.keys(counts).filter(function (value) { return counts[value] > 0; });
    chosen.forEach(function (value) {   // a value chosen stays on offer, even at 0
      if (values.indexOf(value) < 0) values.push(value);
    });
    values.sort(function (a, b) {
      return (counts[b] || 0) - (counts[a] || 0) || a.localeCompare(b);
    });
    return values;
  }

  /* What names a focused control across a redraw of the facets. */
  function focusKey(node) {
    if (!node || !node.closest || !node.closest(".fs-facet")) return null;
    if (node.tagName === "SUMMARY") return "group\u0000" + node.parentNode.getAttribute("data-facet");
    return node.name ? node.name + "\u0000" + (node.value || "") : null;
  }

  function renderFacets(search, counts) {
    var focused = focusKey(document.activeElement);
    facetBox.textContent = "";
    FACETS.forEach(function (facet) {
      var name = facet[0];
      if (!search.facets || !search.facets.columns[name]) return;
      var isOpen = facetOpen(search, name);
      var values = facetValues(name, counts[name] || {});
      if (isOpen && name in counts && !values.length) return;   // nothing to count here
      var group = element("details", "fs-facet");
      group.setAttribute("data-facet", name);
      group.open = isOpen;
      group.appendChild(element("summary", "fs-facet__name", facet[1]));
      if (isOpen) group.appendChild(facetChoices(name, values, counts[name] || {}));
      facetBox.appendChild(group);
    });
    if (focused) {
      var again = Array.prototype.find.call(
        facetBox.querySelectorAll("summary, input, button"),
        function (node) { return focusKey(node) === focused; });
      if (again) again.focus();
    }
  }

  function facetChoices(name, values, counts) {
    var set = element("fieldset", "fs-facet__values");
    set.appendChild(element("legend", "fs-sr-only", FACETS.find(function (facet) {
      return facet[0] === name;
    })[1]));
    var limit = expanded[name] ? values.length : FACET_VALUES;
    var chosen = state.filters[name] || [];
    values.forEach(function (value, index) {
      if (index >= limit && chosen.indexOf(value) < 0) return;
      var label = element("label", "fs-facet__value");
      var box = element("input");
      box.type = "checkbox";
      box.name = name;
      box.value = value;
      box.checked = chosen.indexOf(value) >= 0;
      label.appendChild(box);
      label.appendChild(element("span", "fs-facet__label", value));
      label.appendChild(element("span", "fs-facet__count", String(counts[value] || 0)));
      set.appendChild(label);
    });
    if (values.length > FACET_VALUES) {
      var toggle = element("button", "fs-facet__more",
                           expanded[name] ? "Fewer" : "All " + values.length);
      toggle.type = "button";
      toggle.name = "more-" + name;
      toggle.setAttribute("aria-expanded", expanded[name] ? "true" : "false");
      set.appendChild(toggle);
    }
    return set;
  }

  facetBox.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || box.type !== "checkbox") return;
    var chosen = (state.filters[box.name] || []).filter(function (v) { return v !== box.value; });
    if (box.checked) chosen.push(box.value);
    if (chosen.length) state.filters[box.name] = chosen;
    else delete state.filters[box.name];
    run();
  });

  facetBox.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest(".fs-facet__more");
    if (!toggle) return;
    var name = toggle.name.replace(/^more-/, "");
    expanded[name] = !expanded[name];
    recount();
  });

  // A group opened or closed by the reader (toggle does not bubble: caught on the way down).
  facetBox.addEventListener("toggle", function (event) {
    var group = event.target;
    if (!current || !group.matches || !group.matches("details.fs-facet")) return;
    var name = group.getAttribute("data-facet");
    if (group.open === facetOpen(current.search, name)) return;   // as drawn
    opened[name] = group.open;
    recount();
  }, true);

  filterBox.addEventListener("toggle", function (event) {
    if (event.target === filterBox && filterBox.open) recount();
  });

  // -- a search in the address (shared link, Back, the 404 page) opens the panel ------------

  function restore() {
    if (!readAddress()) {
      if (dialog.open) dialog.close();
      return;
    }
    input.value = state.query;
    open();
    run();
  }

  window.addEventListener("popstate", restore);
  restore();
})();
