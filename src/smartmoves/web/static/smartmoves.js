// Render every Vega-Lite spec on the page (and in fragments HTMX swaps in).
(function () {
  function renderCharts(root) {
    if (typeof vegaEmbed === "undefined") return;
    root.querySelectorAll("[data-chart]:not([data-rendered])").forEach(function (figure) {
      var source = figure.querySelector('script[type="application/json"]');
      if (!source) return;
      var target = document.createElement("div");
      figure.appendChild(target);
      figure.setAttribute("data-rendered", "");
      // ast + Vega's expression interpreter: no code is compiled from the spec, so the
      // page's Content-Security-Policy needs no 'unsafe-eval'; no injected <style>
      // either (the rules are in smartmoves.css).
      var options = {
        actions: false,
        renderer: "svg",
        ast: true,
        defaultStyle: false,
        tooltip: { disableDefaultStyle: true },
      };
      vegaEmbed(target, JSON.parse(source.textContent), options)
        .catch(function (error) { target.textContent = "Chart unavailable: " + error; });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { renderCharts(document); });
  document.addEventListener("htmx:afterSwap", function (event) { renderCharts(event.target); });
})();

// A failed HTMX request shows its message at the form the user posted, never silently:
// the server answers a refused form with the _problem.html fragment and the error's
// status (HTMX swaps nothing for a 4xx or 5xx), and an expired login with HX-Redirect.
(function () {
  var UNANSWERED = "The server did not answer. Check the connection and try again.";
  var FAILED = "Something went wrong on the server; nothing was changed. Try again.";

  function formOf(element) {
    return (element && element.closest && element.closest("form")) || element;
  }
  function slotOf(element, create) {
    var form = formOf(element);
    if (!form) return null;
    var slot = form.querySelector(":scope > [data-problem-slot]");
    if (!slot && create) {
      slot = document.createElement("div");
      slot.setAttribute("data-problem-slot", "");
      form.insertBefore(slot, form.firstChild);
    }
    return slot;
  }
  function plainNote(text) {
    var note = document.createElement("div");
    note.className = "problem-note";
    note.setAttribute("role", "alert");
    note.setAttribute("data-problem", "");
    var line = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = text;
    line.appendChild(strong);
    note.appendChild(line);
    return note;
  }
  function show(element, html, fallback) {
    var slot = slotOf(element, true);
    if (!slot) return;
    if (html && html.indexOf("data-problem") !== -1) {
      slot.innerHTML = html;  // rendered and escaped by the server's template
    } else {
      slot.replaceChildren(plainNote(fallback));
    }
    var note = slot.querySelector("[data-problem]");
    if (note) {
      note.setAttribute("tabindex", "-1");
      note.focus();
    }
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var slot = slotOf(event.detail.elt, false);
    if (slot) slot.replaceChildren();
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status < 400 || xhr.getResponseHeader("HX-Redirect")) return;
    event.detail.shouldSwap = false;
    show(event.detail.requestConfig.elt, xhr.responseText, FAILED);
  });
  document.addEventListener("htmx:sendError", function (event) {
    show(event.detail.elt, null, UNANSWERED);
  });
})();
