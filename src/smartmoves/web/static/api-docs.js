// Start Swagger UI on the API docs page (the page allows no inline script). Requests
// tried out from the page carry the session's CSRF token, as every other form does.
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle === "undefined") return;
  var csrf = root.getAttribute("data-csrf");
  SwaggerUIBundle({
    url: root.getAttribute("data-openapi"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    requestInterceptor: function (request) {
      request.headers["X-CSRF-Token"] = csrf;
      return request;
    },
  });
});
