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
      vegaEmbed(target, JSON.parse(source.textContent), { actions: false, renderer: "svg" })
        .catch(function (error) { target.textContent = "Chart unavailable: " + error; });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { renderCharts(document); });
  document.addEventListener("htmx:afterSwap", function (event) { renderCharts(event.target); });
})();
