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

  // The quick results under the search box: arrows walk them, Escape closes them.
  function quickLinks() {
    return Array.prototype.slice.call(document.querySelectorAll("#quick-results a"));
  }
  document.addEventListener("keydown", function (e) {
    var box = document.getElementById("global-search");
    var results = document.getElementById("quick-results");
    if (!box || !results) return;
    var inside = e.target === box || results.contains(e.target);
    if (!inside) return;
    var links = quickLinks();
    var at = links.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && links.length) {
      e.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (e.key === "ArrowUp" && at >= 0) {
      e.preventDefault();
      if (at === 0) box.focus(); else links[at - 1].focus();
    } else if (e.key === "Escape") {
      results.textContent = "";
      box.focus();
    }
  });
  document.addEventListener("click", function (e) {
    var results = document.getElementById("quick-results");
    var search = document.getElementById("global-search");
    if (results && e.target !== search && !results.contains(e.target)) {
      results.textContent = "";
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
  // The pipeline board: drag a card onto another column with pointer events (mouse, pen,
  // or touch on the card's grip). Open stages take the move at once; won and lost stages
  // first ask, in the page's dialog, for what their rule needs. Every card also has a
  // small form that does the same without a pointer.
  var board = document.querySelector("[data-board]");
  if (board) {
    var drag = null;
    var THRESHOLD = 6;

    var columnAt = function (x, y) {
      var el = document.elementFromPoint(x, y);
      return el ? el.closest("[data-stage]") : null;
    };
    var mark = function (col) {
      board.querySelectorAll(".drop-target").forEach(function (c) {
        if (c !== col) { c.classList.remove("drop-target"); }
      });
      if (col) { col.classList.add("drop-target"); }
    };
    var announce = function (text) {
      var live = document.getElementById("board-status");
      if (live && text) { live.textContent = text; }
    };
    var moveForm = function (card) {
      return card.querySelector("form.move");
    };
    var end = function () {
      if (drag && drag.started) {
        drag.card.classList.remove("dragging");
        drag.card.style.transform = "";
      }
      mark(null);
      drag = null;
    };

    var submitMove = function (card, col) {
      var form = moveForm(card);
      if (!form) { return; }
      var kind = col.getAttribute("data-stage-kind");
      var stageId = col.getAttribute("data-stage-id");
      if (kind === "open") {
        form.querySelector("select[name=stage_id]").value = stageId;
        announce(document.getElementById("board-status").getAttribute("data-moving"));
        form.submit();
        return;
      }
      var dialog = document.getElementById("move-dialog");
      if (!dialog || typeof dialog.showModal !== "function") {
        // Without <dialog>, the server's own page asks for what the rule needs.
        form.querySelector("select[name=stage_id]").value = stageId;
        form.submit();
        return;
      }
      var dform = dialog.querySelector("[data-move-form]");
      dform.setAttribute("action", form.getAttribute("action"));
      dform.querySelector("input[name=stage_id]").value = stageId;
      dform.querySelectorAll("fieldset[data-kind]").forEach(function (fs) {
        var wanted = fs.getAttribute("data-kind") === kind;
        fs.hidden = !wanted;
        fs.disabled = !wanted;
      });
      var title = dform.querySelector("[data-move-title]");
      title.textContent = title.getAttribute(kind === "won" ? "data-won" : "data-lost");
      dialog.showModal();
      var first = dform.querySelector("fieldset:not([disabled]) input, fieldset:not([disabled]) textarea");
      if (first) { first.focus(); }
    };

    board.addEventListener("pointerdown", function (e) {
      var card = e.target.closest("[data-card]");
      if (!card || e.button !== 0 || !moveForm(card)) { return; }
      if (e.target.closest("a, button, select, input, textarea, label")) { return; }
      // On touch the card scrolls the board; only its grip starts a drag.
      if (e.pointerType === "touch" && !e.target.closest("[data-grip]")) { return; }
      drag = { card: card, x: e.clientX, y: e.clientY, started: false, id: e.pointerId };
    });

    document.addEventListener("pointermove", function (e) {
      if (!drag || e.pointerId !== drag.id) { return; }
      var dx = e.clientX - drag.x;
      var dy = e.clientY - drag.y;
      if (!drag.started) {
        if (Math.abs(dx) + Math.abs(dy) < THRESHOLD) { return; }
        drag.started = true;
        drag.card.classList.add("dragging");
        if (window.getSelection) { window.getSelection().removeAllRanges(); }
      }
      e.preventDefault();
      drag.card.style.transform = "translate(" + dx + "px, " + dy + "px)";
      mark(columnAt(e.clientX, e.clientY));
    });

    document.addEventListener("pointerup", function (e) {
      if (!drag || e.pointerId !== drag.id) { return; }
      var d = drag;
      var col = d.started ? columnAt(e.clientX, e.clientY) : null;
      end();
      if (col && col !== d.card.closest("[data-stage]")) {
        submitMove(d.card, col);
      }
    });

    document.addEventListener("pointercancel", end);
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && drag) { end(); }
    });
  }
})();
