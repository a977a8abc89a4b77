/* The printed ticket: print on demand (or at once on a kiosk set to print silently);
   "your place" page: refresh every half minute while it is in view. */
(function () {
  "use strict";
  var button = document.getElementById("print-button");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
  if (document.body.dataset.autoprint) { window.addEventListener("load", function () { window.print(); }); }
  var place = document.querySelector("[data-refresh]");
  if (place) {
    window.setInterval(function () {
      if (!document.hidden) { window.location.reload(); }
    }, 1000 * parseInt(place.dataset.refresh, 10));
  }
})();
