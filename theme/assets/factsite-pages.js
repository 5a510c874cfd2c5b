/* factsite: a record page is not in the nav, so Material marks no tab as active; mark the
   tab of the page's section, named by its breadcrumb trail (data-fs-section). */
(function () {
  "use strict";
  function markSection() {
    var trail = document.querySelector(".fs-breadcrumbs[data-fs-section]");
    if (!trail) return;
    var section = new URL(trail.getAttribute("data-fs-section"), location.href).href;
    document.querySelectorAll(".md-tabs__link").forEach(function (link) {
      if (link.href === section) link.parentElement.classList.add("md-tabs__item--active");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", markSection);
  } else {
    markSection();
  }
})();
