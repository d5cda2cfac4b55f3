"use strict";
// Swagger UI's settings are a file, not an inline script, so the page's CSP can forbid inline
// script. The URL is relative: from /docs it is this daemon's /openapi.json.
window.ui = SwaggerUIBundle({
  url: "openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  // The default validator is a third-party web service: never ask it.
  validatorUrl: null,
});
