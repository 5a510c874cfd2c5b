/* factsite: the CMS's pre-save clean-up and its previews (loaded after decap-cms.js).
   Plain browser JavaScript using the globals Decap defines: CMS, createClass, h. */
(function () {
  "use strict";

  /* -- No live reload in the editor -------------------------------------------------
     `mkdocs serve` (make cms) appends a live-reload script to every HTML page, this one
     included: each save rebuilds the site, and the reload would throw away whatever the
     editor typed since. The script declares `var livereload` and calls it; a global that
     cannot be overwritten makes that call do nothing (the site's own pages still reload). */
  Object.defineProperty(window, "livereload", {
    value: function () {}, writable: false, configurable: false,
  });

  /* -- Saving: leave out what the editor left empty ----------------------------------
     Decap keeps a cleared field as '' and an untouched list as []. factsite rejects an
     empty text ("must not be empty") and the content model leaves optional fields out,
     so every empty value (null, '', [], {}) is dropped before the file is written. */
  function isEmpty(value) {
    if (value === null || value === undefined || value === "") return true;
    return Boolean(value && typeof value.toJS === "function" && value.size === 0);
  }

  function prune(value) {
    if (value && typeof value.toJS === "function") {  // an Immutable Map or List
      return value.map(prune).filter(function (item) { return !isEmpty(item); });
    }
    return value;
  }

  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) { return prune(event.entry.get("data")); },
  });

  /* -- Previews: the record as the site shows it ------------------------------------- */
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"];

  /* "2020", "October 2023" or "20 October 2023", as the site renders a partial date. */
  function displayDate(value) {
    var match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(String(value || ""));
    if (!match) return String(value || "");
    if (!match[2]) return match[1];
    var month = MONTHS[Number(match[2]) - 1] + " " + match[1];
    return match[3] ? Number(match[3]) + " " + month : month;
  }

  /* The name of the record a relation field points to, once the editor has picked it in
     this session; its id otherwise. */
  function referenced(props, field, kind, id) {
    var name = props.fieldsMetaData &&
      (props.fieldsMetaData.getIn([field, kind, id, "name"]) ||
       props.fieldsMetaData.getIn([field, kind, id, "title"]));
    return name || id || "";
  }

  function ratingLabel(collection, rating) {
    var field = collection.get("fields").find(function (f) { return f.get("name") === "rating"; });
    var option = field && field.get("options").find(function (o) { return o.get("value") === rating; });
    return option ? option.get("label") : rating;
  }

  function facts(rows) {
    var items = [];
    rows.forEach(function (row) {
      if (!row[1]) return;
      items.push(h("dt", { key: row[0] + "-t" }, row[0]), h("dd", { key: row[0] + "-d" }, row[1]));
    });
    return h("dl", { className: "fs-facts" }, items);
  }

  var ClaimPreview = createClass({
    render: function () {
      var data = this.props.entry.get("data");
      var rating = data.get("rating") || "";
      var label = ratingLabel(this.props.collection, rating);
      var claimant = data.get("claimant");
      var reviewers = data.get("reviewers");
      return h("article", { className: "md-typeset fs-preview" },
        h("h1", {}, data.get("claim") || ""),
        h("div", { className: "fs-verdict" },
          h("p", { className: "fs-verdict__rating" }, "Rating: ",
            rating ? h("span", { className: "fs-rating fs-rating--" + rating, title: "Rating: " + label },
              h("span", { className: "fs-rating__icon", "aria-hidden": "true" }), label) : "(none yet)"),
          h("p", { className: "fs-verdict__text" }, h("strong", {}, "Verdict:"), " ",
            data.get("verdict") || "")),
        facts([["Claim", data.get("claim")],
               ["Claimant", referenced(this.props, "claimant", "actors", claimant)],
               ["Claimed", displayDate(data.get("claimed"))],
               ["Fact-check published", displayDate(data.get("published"))],
               ["Reviewed by", reviewers ? reviewers.join(", ") : ""]]),
        h("h2", {}, "Analysis"),
        h("div", { className: "fs-prose" }, this.props.widgetFor("analysis")));
    },
  });

  var StatementPreview = createClass({
    render: function () {
      var data = this.props.entry.get("data");
      var speaker = referenced(this.props, "speaker", "actors", data.get("speaker"));
      var behalf = data.get("on_behalf_of");
      var byline = "— " + speaker +
        (behalf ? ", on behalf of " + referenced(this.props, "on_behalf_of", "actors", behalf) : "") +
        ", " + displayDate(data.get("date"));
      var text = data.get("text") || "";
      var figure = data.get("form") === "quote"
        ? h("figure", { className: "fs-statement" },
            h("blockquote", { className: "fs-statement__text" }, h("p", {}, text)),
            h("figcaption", {}, byline + " ", h("span", { className: "fs-tag" }, "verbatim quote")))
        : h("figure", { className: "fs-statement fs-statement--paraphrase" },
            h("p", { className: "fs-statement__text" },
              h("span", { className: "fs-tag" }, "Paraphrase, not a quote"), " " + text),
            h("figcaption", {}, byline));
      return h("article", { className: "md-typeset fs-preview" }, figure,
        facts([["Stated confidence", data.get("stated_confidence")]]),
        data.get("context") ? h("h2", {}, "Context") : null,
        h("div", { className: "fs-prose" }, this.props.widgetFor("context")));
    },
  });

  function sibling(path) { return new URL(path, document.baseURI).href; }

  CMS.registerPreviewStyle(sibling("../assets/factsite.css"));
  CMS.registerPreviewStyle(sibling("../assets/factsite-ratings.css"));
  CMS.registerPreviewStyle(sibling("preview.css"));
  CMS.registerPreviewTemplate("claims", ClaimPreview);
  CMS.registerPreviewTemplate("statements", StatementPreview);
})();
