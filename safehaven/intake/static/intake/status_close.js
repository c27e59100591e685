// Closes a status page after the session's idle time (the page's script tag says how long and
// where to), so that a thread left open on a phone does not stay on the screen. Any activity
// on the page starts the count again: a message typed too long is carried through the codename
// form (the server's session has its own clock). Without scripts, a <noscript> refresh does it.
(function () {
  "use strict";
  var script = document.currentScript;
  var seconds = script ? parseInt(script.getAttribute("data-close-after"), 10) : NaN;
  var target = script ? script.getAttribute("data-close-to") : null;
  if (!target || !(seconds > 0)) { return; }
  var timer = null;
  var close = function () { window.location.replace(target); };
  var restart = function () {
    if (timer !== null) { window.clearTimeout(timer); }
    timer = window.setTimeout(close, seconds * 1000);
  };
  ["keydown", "pointerdown", "input"].forEach(function (name) {
    document.addEventListener(name, restart, { passive: true, capture: true });
  });
  restart();
})();
