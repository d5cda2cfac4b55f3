"use strict";
// /redoc: the same vendored Swagger UI as a read-only reference, every operation expanded
// (no "Try it out": that is /docs). Settings are a file so the CSP can forbid inline script.
window.ui = SwaggerUIBundle({
  url: "openapi.json",
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  docExpansion: "full",
  defaultModelsExpandDepth: 2,
  supportedSubmitMethods: [],
  validatorUrl: null,
});
