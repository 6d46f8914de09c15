// Rapport's own script: small enhancements on top of pages that work without it.
// Loaded from /assets (CSP: script-src 'self'); no inline script, no eval.
(function () {
  "use strict";

  // Ctrl+K (or Cmd+K) jumps to the global search box from anywhere.
  document.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && (e.key === "k" || e.key === "K")) {
      var box = document.getElementById("global-search");
      if (box) {
        e.preventDefault();
        box.focus();
        box.select();
      }
    }
  });

  // htmx requests carry the session's CSRF token in a header.
  document.addEventListener("htmx:configRequest", function (e) {
    var token = document.body.getAttribute("data-csrf");
    if (token) {
      e.detail.headers["X-CSRF-Token"] = token;
    }
  });

  // Forms that destroy something ask first; the text comes from the page's language.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var question = form.getAttribute("data-confirm");
    if (form.id === "bulk") {
      var chosen = form.querySelector("input[name=action]:checked");
      question = chosen && chosen.value === "delete" ? form.getAttribute("data-confirm-delete") : null;
    }
    if (question && !window.confirm(question)) {
      e.preventDefault();
    }
  });
})();
