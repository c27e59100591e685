// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var exitLink = document.querySelector("[data-quick-exit]");
  if (exitLink) {
    // replace() drops this page from the back button's history.
    var leave = function (event) {
      if (event) { event.preventDefault(); }
      window.location.replace(exitLink.href);
    };
    exitLink.addEventListener("click", leave);
    var lastEscape = 0;
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      var now = Date.now();
      if (now - lastEscape < 1000) { leave(null); }
      lastEscape = now;
    });
  }
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
})();
