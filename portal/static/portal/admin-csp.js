/*
 * Starts the Wagtail admin widgets that Wagtail 8 starts with inline <script> tags (date and
 * time choosers, inline panels). The portal's Content-Security-Policy forbids inline scripts,
 * so the portal's copies of those templates leave a hidden marker with the same call as data,
 * and this file makes the call: on page load, and for markers that Wagtail inserts later
 * (a new inline form, a refreshed filter panel).
 */
(function () {
  "use strict";

  var starters = {
    initDateChooser: function (el, options) { window.initDateChooser(el.dataset.portalFor, options); },
    initTimeChooser: function (el, options) { window.initTimeChooser(el.dataset.portalFor, options); },
    initDateTimeChooser: function (el, options) {
      window.initDateTimeChooser(el.dataset.portalFor, options);
    },
    InlinePanel: function (el, options) { new window.InlinePanel(options); },
    MultipleChooserPanel: function (el, options) { new window.MultipleChooserPanel(options); },
  };

  function start(root) {
    var markers = root.querySelectorAll ? root.querySelectorAll("[data-portal-init]") : [];
    Array.prototype.forEach.call(markers, function (el) {
      var starter = starters[el.dataset.portalInit];
      // A marker inside a <template> is a blueprint for forms added later; Wagtail clones it.
      if (!starter || el.dataset.portalStarted || el.closest("template")) return;
      el.dataset.portalStarted = "1";
      starter(el, JSON.parse(el.dataset.portalOptions || "{}"));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    start(document);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) start(node.parentNode || node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
})();

/* Choosers (portal/admin_csp.py) start as their markers are parsed, before Wagtail's dropdown
 * moves their "Choose another…"/"Clear" buttons out of the widget (DOMContentLoaded is too late). */
(function () {
  "use strict";
  function startChooser(el) {
    if (el.dataset.portalStarted || el.closest("template")) return;
    var Chooser = window[el.dataset.portalConstructor];
    if (typeof Chooser !== "function") return;
    el.dataset.portalStarted = "1";
    new Chooser(el.dataset.portalFor, JSON.parse(el.dataset.portalOptions || "{}"));
  }
  document.querySelectorAll('[data-portal-init="Chooser"]').forEach(startChooser);
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) {
        if (node.nodeType !== 1) return;
        if (node.matches('[data-portal-init="Chooser"]')) startChooser(node);
        node.querySelectorAll('[data-portal-init="Chooser"]').forEach(startChooser);
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
