// Proof-of-work for the help request form (see safehaven/core/public_forms/proof_of_work.py). Progressive
// enhancement only: without this file the form still sends, under a stricter rate limit.
// The same file runs as the page script and as its Web Workers, so nothing else is loaded.
(function () {
  "use strict";
  var BATCH = 1024;
  var MAX_WORKERS = 4;
  var GIVE_UP_AFTER_MS = 20000;

  function zeroBits(bytes) {
    var bits = 0;
    for (var i = 0; i < bytes.length; i += 1) {
      if (bytes[i] === 0) { bits += 8; continue; }
      var byte = bytes[i];
      while ((byte & 0x80) === 0) { bits += 1; byte <<= 1; }
      break;
    }
    return bits;
  }

  // Tries counters first, first + step, ... in batches; each worker takes its own lane.
  // Between batches it yields, so a page without workers stays responsive.
  function solve(job, done) {
    var encoder = new TextEncoder();
    var next = job.first;
    function round() {
      var counters = [];
      var digests = [];
      for (var i = 0; i < BATCH; i += 1) {
        counters.push(next);
        digests.push(crypto.subtle.digest("SHA-256", encoder.encode(job.challenge + ":" + next)));
        next += job.step;
      }
      Promise.all(digests).then(function (results) {
        for (var j = 0; j < results.length; j += 1) {
          if (zeroBits(new Uint8Array(results[j])) >= job.bits) { done(counters[j]); return; }
        }
        setTimeout(round, 0);
      });
    }
    round();
  }

  if (typeof document === "undefined") {
    self.onmessage = function (event) {
      solve(event.data, function (counter) { self.postMessage(counter); });
    };
    return;
  }

  var form = document.querySelector("form[data-pow]");
  var script = document.currentScript;
  if (!form || !window.crypto || !crypto.subtle || !window.TextEncoder || !window.Promise) { return; }
  var challenge = form.querySelector("[name=pow_challenge]").value;
  var counterField = form.querySelector("[name=pow_counter]");
  var status = form.querySelector("[data-pow-status]");
  var bits = parseInt(form.getAttribute("data-pow-bits"), 10) || 0;
  var workers = [];
  var solved = false;
  var waiting = false;

  function found(counter) {
    if (solved) { return; }
    solved = true;
    counterField.value = String(counter);
    workers.forEach(function (worker) { worker.terminate(); });
    if (waiting) { form.submit(); }
  }

  function solveHere() {
    workers.forEach(function (worker) { worker.terminate(); });
    workers = [];
    solve({ challenge: challenge, bits: bits, first: 0, step: 1 }, found);
  }

  try {
    var lanes = Math.max(1, Math.min(MAX_WORKERS, navigator.hardwareConcurrency || 1));
    for (var lane = 0; lane < lanes; lane += 1) {
      var worker = new Worker(script.src);
      worker.onmessage = function (event) { found(event.data); };
      worker.onerror = function () { if (!solved && workers.length) { solveHere(); } };
      workers.push(worker);
      worker.postMessage({ challenge: challenge, bits: bits, first: lane, step: lanes });
    }
  } catch (error) {
    solveHere();
  }

  form.addEventListener("submit", function (event) {
    if (solved) { return; }
    event.preventDefault();
    if (waiting) { return; }
    waiting = true;
    if (status) { status.textContent = status.getAttribute("data-waiting"); }
    // Never hold a person back for long: without a stamp the request still goes.
    setTimeout(function () {
      if (!solved) { solved = true; workers.forEach(function (w) { w.terminate(); }); form.submit(); }
    }, GIVE_UP_AFTER_MS);
  });
})();
