// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var EXIT_MARK = "safehaven-quick-exit";
  var exitLink = document.querySelector("[data-quick-exit]");
  var exitHref = exitLink ? exitLink.href : "/exit";
  var nav = window.navigation;  // the Navigation API, where the browser has it

  // Arrived here by the quick exit going back to this site's first page in the tab: replace
  // that page too, so that Back leads to whatever was open before this site.
  var finishExit = function () {
    var from = nav && nav.activation && nav.activation.from;
    var state;
    try { state = from ? from.getState() : undefined; } catch (error) { state = undefined; }
    if (state === EXIT_MARK) { window.location.replace(exitHref); return true; }
    return false;
  };
  if (finishExit()) { return; }
  window.addEventListener("pageshow", function (event) { if (event.persisted) { finishExit(); } });

  if (exitLink) {
    // replace() drops this page from the back button's history. The site's earlier pages in
    // this tab (the codename form...) would still be one Back away: where the browser lists
    // them, go back to the first and replace it instead (finishExit above). If that does
    // not happen at once, leave from here.
    var leave = function (event) {
      if (event) { event.preventDefault(); }
      var current = nav && nav.currentEntry;
      var entries = nav && nav.entries ? nav.entries() : [];
      if (current && current.index > 0 && entries.length > 0) {
        try {
          nav.updateCurrentEntry({ state: EXIT_MARK });
          nav.traverseTo(entries[0].key).finished.catch(function () {
            window.location.replace(exitHref);
          });
          window.setTimeout(function () { window.location.replace(exitHref); }, 2000);
          return;
        } catch (error) { /* fall through to the plain exit */ }
      }
      window.location.replace(exitHref);
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
