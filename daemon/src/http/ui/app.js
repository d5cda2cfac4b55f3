// luna's web page. Everything it loads is same-origin and relative to /ui, and every logo is
// shown through an <img> pointed at a /logo/... URL: server text is never parsed as HTML.
"use strict";

(() => {
  const SIZE_MIN = 16;
  const SIZE_MAX = 2048;
  const DEFAULT_SEED = 42;
  const STATS_EVERY_MS = 5000;
  const TYPING_DELAY_MS = 220;
  const COLOUR_ROLES = ["primary", "secondary", "accent", "glow"];

  const $ = (id) => document.getElementById(id);
  const el = {
    form: $("controls"),
    variant: $("variant"),
    variantDescription: $("variant-description"),
    swatch: $("swatch"),
    style: $("style"),
    styleDescription: $("style-description"),
    sizePreset: $("size-preset"),
    size: $("size"),
    sizeError: $("size-error"),
    seed: $("seed"),
    seedError: $("seed-error"),
    newSeed: $("new-seed"),
    animated: $("animated"),
    stage: $("stage"),
    preview: $("preview"),
    caption: $("preview-caption"),
    previewStatus: $("preview-status"),
    downloadSvg: $("download-svg"),
    downloadPng: $("download-png"),
    downloadPngNote: $("download-png-note"),
    downloadIco: $("download-ico"),
    downloadWebp: $("download-webp"),
    downloadWebpNote: $("download-webp-note"),
    downloadFavicon: $("download-favicon"),
    svgUrl: $("svg-url"),
    copyUrl: $("copy-url"),
    copyStatus: $("copy-status"),
    format: $("format"),
    generate: $("generate"),
    result: $("result"),
    total: $("stat-total"),
    cacheHits: $("stat-cache-hits"),
    last: $("stat-last"),
    byVariant: $("stat-variants"),
    statsUpdated: $("stats-updated"),
    connection: $("connection"),
    pageError: $("page-error"),
  };

  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  const numbers = new Intl.NumberFormat("en");

  /** Variants (registry order) and styles (aliases left out), as the API describes them. */
  const catalogue = { variants: [], styles: [] };
  let lastStats = null;
  let typingTimer = 0;
  let previewToken = 0;

  // ---------------------------------------------------------------------------------------
  // API

  class ApiError extends Error {}

  async function api(path, options = {}) {
    let response;
    try {
      response = await fetch(path, {
        cache: "no-store",
        credentials: "same-origin",
        ...options,
        headers: { accept: "application/json", ...(options.headers || {}) },
      });
    } catch (e) {
      setConnection(false);
      throw new ApiError("the daemon cannot be reached");
    }
    setConnection(true);
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      const message =
        (body && body.error && body.error.message) ||
        (body && typeof body.detail === "string" && body.detail) ||
        `HTTP ${response.status}`;
      throw new ApiError(message);
    }
    return body;
  }

  function setConnection(up) {
    el.connection.textContent = up ? "lunad online" : "lunad unreachable";
    el.connection.classList.toggle("chip-ok", up);
    el.connection.classList.toggle("chip-down", !up);
    el.connection.classList.remove("chip-pending");
  }

  // ---------------------------------------------------------------------------------------
  // The current design

  function readInteger(input, min, max) {
    const text = input.value.trim();
    if (!/^\d+$/.test(text)) return null;
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < min || value > max) return null;
    return value;
  }

  /** The form's design, or null while a field is invalid (each invalid field says why). */
  function design() {
    const size = readInteger(el.size, SIZE_MIN, SIZE_MAX);
    const seed = readInteger(el.seed, 0, Number.MAX_SAFE_INTEGER);
    showFieldError(el.size, el.sizeError, size === null ? `Enter a whole number from ${SIZE_MIN} to ${SIZE_MAX}.` : "");
    showFieldError(el.seed, el.seedError, seed === null ? "Enter a whole number, 0 or more." : "");
    if (size === null || seed === null || !el.variant.value || !el.style.value) return null;
    return {
      variant: el.variant.value,
      style: el.style.value,
      size,
      seed,
      animated: el.animated.checked,
    };
  }

  function showFieldError(input, message, text) {
    message.textContent = text;
    message.hidden = !text;
    if (text) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  /** The cacheable logo URL, relative to this page (/ui → /logo/...). */
  function logoUrl(d, ext, { still = !d.animated } = {}) {
    const query = new URLSearchParams({ size: String(d.size) });
    if (d.seed !== DEFAULT_SEED) query.set("seed", String(d.seed));
    if (ext === "svg" && still) query.set("static", "1");
    return `logo/${encodeURIComponent(d.style)}/${encodeURIComponent(d.variant)}.${ext}?${query}`;
  }

  /** The favicon package of the previewed logo (its style, variant and seed; any size). */
  function faviconUrl(d) {
    const query = new URLSearchParams();
    if (d.seed !== DEFAULT_SEED) query.set("seed", String(d.seed));
    const search = query.toString();
    return `favicon/${encodeURIComponent(d.style)}/${encodeURIComponent(d.variant)}.zip${search ? `?${search}` : ""}`;
  }

  function fileName(d, ext) {
    return `luna-${d.variant}-${d.style}-${d.size}${d.seed !== DEFAULT_SEED ? `-${d.seed}` : ""}.${ext}`;
  }

  const variantOf = (key) => catalogue.variants.find((v) => v.variant_type === key);
  const styleOf = (key) => catalogue.styles.find((s) => s.key === key);

  // ---------------------------------------------------------------------------------------
  // Rendering the design

  function update() {
    describeSelection();
    syncSizePreset();
    const d = design();
    setActionsEnabled(d !== null);
    if (!d) return;
    saveToAddress(d);

    // Downloads and the copyable URL.
    setLink(el.downloadSvg, logoUrl(d, "svg"), fileName(d, "svg"));
    setLink(el.downloadPng, logoUrl(d, "png"), fileName(d, "png"));
    setLink(el.downloadIco, logoUrl(d, "ico"), fileName(d, "ico"));
    setLink(el.downloadWebp, logoUrl(d, "webp"), fileName(d, "webp"));
    setLink(
      el.downloadFavicon,
      faviconUrl(d),
      `luna-favicon-${d.variant}-${d.style}${d.seed !== DEFAULT_SEED ? `-${d.seed}` : ""}.zip`,
    );
    el.downloadPngNote.textContent = `${d.size} px`;
    el.downloadWebpNote.textContent = `${d.size} px`;
    el.svgUrl.value = new URL(logoUrl(d, "svg"), document.baseURI).href;
    el.copyStatus.textContent = "";

    // The live preview: still when the design is, or when the system asks for less motion.
    const still = !d.animated || reducedMotion.matches;
    const src = logoUrl(d, "svg", { still });
    const variant = variantOf(d.variant);
    const style = styleOf(d.style);
    const alt = `${variant ? variant.name : d.variant} moon logo, ${style ? style.name : d.style} style, ${d.size} px, seed ${d.seed}${still ? "" : ", animated"}`;
    el.caption.textContent = `${style ? style.name : d.style} · ${d.size} px · seed ${d.seed}${still ? " · still" : " · animated"}`;
    if (d.animated && reducedMotion.matches) {
      setPreviewStatus("Preview kept still: your system asks for reduced motion.");
    } else {
      setPreviewStatus("");
    }
    if (el.preview.getAttribute("src") !== src) {
      const token = ++previewToken;
      el.stage.setAttribute("aria-busy", "true");
      el.preview.onload = () => {
        if (token !== previewToken) return;
        el.stage.setAttribute("aria-busy", "false");
      };
      el.preview.onerror = () => {
        if (token !== previewToken) return;
        el.stage.setAttribute("aria-busy", "false");
        explainPreviewFailure(src, token);
      };
      el.preview.src = src;
    }
    el.preview.alt = alt;
  }

  function setLink(a, href, name) {
    a.href = href;
    a.download = name;
    a.removeAttribute("aria-disabled");
    a.removeAttribute("tabindex");
  }

  function setActionsEnabled(enabled) {
    for (const a of [el.downloadSvg, el.downloadPng, el.downloadIco, el.downloadWebp, el.downloadFavicon]) {
      if (!enabled) {
        a.removeAttribute("href");
        a.setAttribute("aria-disabled", "true");
      }
    }
    el.copyUrl.disabled = !enabled;
    el.generate.disabled = !enabled || el.generate.getAttribute("aria-busy") === "true";
  }

  function setPreviewStatus(text, isError = false) {
    el.previewStatus.textContent = text;
    el.previewStatus.classList.toggle("is-error", isError);
  }

  /** An <img> cannot read the error body; ask again to show the API's message. */
  async function explainPreviewFailure(src, token) {
    let message = "The preview could not be drawn.";
    try {
      await api(src, { headers: { accept: "application/json" } });
    } catch (e) {
      message = `The preview could not be drawn: ${e.message}`;
    }
    if (token === previewToken) setPreviewStatus(message, true);
  }

  function describeSelection() {
    const variant = variantOf(el.variant.value);
    el.swatch.replaceChildren();
    if (variant) {
      el.variantDescription.textContent = variant.description || "";
      const names = [];
      for (const role of COLOUR_ROLES) {
        const colour = variant.colors && variant.colors[role];
        if (!colour) continue;
        const chip = document.createElement("span");
        chip.className = "swatch";
        chip.style.backgroundColor = colour;
        chip.style.setProperty("--glow", colour);
        chip.title = `${role} ${colour}`;
        chip.dataset.colour = colour;
        el.swatch.append(chip);
        names.push(`${role} ${colour}`);
      }
      el.swatch.setAttribute("aria-label", `Colours of ${variant.name}: ${names.join(", ")}`);
    }
    const style = styleOf(el.style.value);
    el.styleDescription.textContent = style ? style.description || "" : "";
  }

  function syncSizePreset() {
    const value = el.size.value.trim();
    const preset = [...el.sizePreset.options].find((o) => o.value === value);
    el.sizePreset.value = preset ? preset.value : "custom";
  }

  // ---------------------------------------------------------------------------------------
  // The design in the address (#variant=power&style=ultimate&...), so a reload keeps it

  function saveToAddress(d) {
    const hash = new URLSearchParams({
      variant: d.variant,
      style: d.style,
      size: String(d.size),
      seed: String(d.seed),
      animated: d.animated ? "1" : "0",
    });
    const next = `#${hash}`;
    if (location.hash !== next) history.replaceState(null, "", next);
  }

  function loadFromAddress() {
    const saved = new URLSearchParams(location.hash.slice(1));
    const pick = (select, value) => {
      if (value && [...select.options].some((o) => o.value === value)) select.value = value;
    };
    pick(el.variant, saved.get("variant"));
    pick(el.style, saved.get("style"));
    if (/^\d+$/.test(saved.get("size") || "")) el.size.value = saved.get("size");
    if (/^\d+$/.test(saved.get("seed") || "")) el.seed.value = saved.get("seed");
    if (saved.has("animated")) el.animated.checked = saved.get("animated") !== "0";
  }

  // ---------------------------------------------------------------------------------------
  // Actions

  function newSeed() {
    const words = new Uint32Array(1);
    crypto.getRandomValues(words);
    el.seed.value = String(words[0]);
    update();
  }

  async function copySvgUrl() {
    const url = el.svgUrl.value;
    if (!url) return;
    let copied = false;
    try {
      await navigator.clipboard.writeText(url);
      copied = true;
    } catch (e) {
      // No clipboard API (plain HTTP on a non-local host): select the text and copy it.
      el.svgUrl.focus();
      el.svgUrl.select();
      try {
        copied = document.execCommand("copy");
      } catch (e2) {
        copied = false;
      }
    }
    el.copyStatus.textContent = copied
      ? "SVG URL copied to the clipboard."
      : "Copy failed: the URL is selected, press Ctrl+C.";
  }

  async function generate() {
    const d = design();
    if (!d) return;
    const format = el.format.value;
    el.generate.disabled = true;
    el.generate.setAttribute("aria-busy", "true");
    el.generate.textContent = "Generating…";
    showResult("pending", [text("p", `Rendering ${format.toUpperCase()} on the daemon…`)]);
    try {
      const reply = await api("generate", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          variant: d.variant,
          generator_type: d.style,
          size: d.size,
          format,
          animated: d.animated,
          seed: d.seed,
        }),
      });
      showGenerated(reply);
    } catch (e) {
      showResult("error", [text("p", `Generation failed: ${e.message}`)]);
    } finally {
      el.generate.removeAttribute("aria-busy");
      el.generate.textContent = "Generate & store";
      el.generate.disabled = design() === null;
      refreshStats();
    }
  }

  function showGenerated(reply) {
    const seconds = Number(reply.generation_time) || 0;
    const time = seconds < 1 ? `${(seconds * 1000).toFixed(1)} ms` : `${seconds.toFixed(2)} s`;
    const details = document.createElement("dl");
    const add = (term, value) => details.append(text("dt", term), text("dd", value));
    add("Render time", reply.cached ? "none" : time);
    add("Cached", reply.cached ? "yes, served from the cache" : "no, freshly rendered");

    const link = document.createElement("a");
    link.id = "result-download";
    link.className = "button button-quiet";
    // download_url is absolute-path (/download/...); keep it relative to this page.
    link.href = String(reply.download_url).replace(/^\/+/, "");
    link.download = reply.file;
    link.textContent = `Download the stored ${String(reply.format).toUpperCase()}`;

    showResult("ok", [
      text("p", "Stored on the daemon.", "result-title"),
      text("p", reply.file, "file"),
      details,
      link,
    ]);
  }

  function showResult(kind, children) {
    el.result.hidden = false;
    el.result.className = `result${kind === "ok" ? "" : ` is-${kind}`}`;
    el.result.setAttribute("role", kind === "error" ? "alert" : "status");
    el.result.dataset.state = kind;
    el.result.replaceChildren(...children);
  }

  function text(tag, content, className) {
    const node = document.createElement(tag);
    node.textContent = content;
    if (className) node.className = className;
    return node;
  }

  // ---------------------------------------------------------------------------------------
  // Statistics

  async function refreshStats() {
    let stats;
    try {
      stats = await api("stats");
    } catch (e) {
      el.statsUpdated.textContent = `Statistics unavailable: ${e.message}`;
      return;
    }
    lastStats = stats;
    el.total.textContent = numbers.format(stats.total_generated || 0);
    el.cacheHits.textContent = numbers.format(stats.cache_hits || 0);
    renderLastGeneration();
    renderByVariant(stats.variants_used || {});
    el.statsUpdated.textContent = `Updated ${new Date().toLocaleTimeString("en-GB")}`;
  }

  function renderLastGeneration() {
    const iso = lastStats && lastStats.last_generation;
    el.last.replaceChildren();
    if (!iso) {
      el.last.textContent = "none yet";
      return;
    }
    const when = new Date(iso);
    const time = document.createElement("time");
    time.dateTime = iso;
    time.title = when.toLocaleString("en-GB");
    time.textContent = `${ago(when)} · ${when.toLocaleTimeString("en-GB")}`;
    el.last.append(time);
  }

  function ago(when) {
    const seconds = Math.max(0, Math.round((Date.now() - when.getTime()) / 1000));
    if (seconds < 5) return "just now";
    if (seconds < 60) return `${seconds} s ago`;
    if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
    if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
    return `${Math.floor(seconds / 86400)} d ago`;
  }

  function renderByVariant(used) {
    const keys = catalogue.variants.map((v) => v.variant_type);
    for (const key of Object.keys(used)) if (!keys.includes(key)) keys.push(key);
    const max = Math.max(1, ...keys.map((k) => used[k] || 0));
    const rows = keys.map((key) => {
      const variant = variantOf(key);
      const count = used[key] || 0;
      const row = document.createElement("li");
      row.className = "bar-row";
      row.id = `stat-variant-${key}`;
      row.append(text("span", variant ? variant.name : key, "bar-name"));
      const track = document.createElement("span");
      track.className = "bar-track";
      const fill = document.createElement("span");
      fill.className = "bar-fill";
      fill.style.width = `${(count / max) * 100}%`;
      if (variant && variant.colors) {
        fill.style.background = `linear-gradient(90deg, ${variant.colors.primary}, ${variant.colors.glow})`;
      }
      track.append(fill);
      row.append(track, text("span", numbers.format(count), "bar-count"));
      return row;
    });
    el.byVariant.replaceChildren(...rows);
  }

  // ---------------------------------------------------------------------------------------
  // Start

  function fill(select, items, value, label) {
    select.replaceChildren(
      ...items.map((item) => {
        const option = document.createElement("option");
        option.value = value(item);
        option.textContent = label(item);
        return option;
      }),
    );
    select.disabled = false;
  }

  async function start() {
    el.form.addEventListener("submit", (event) => event.preventDefault());
    try {
      const [variants, generators] = await Promise.all([
        api("variants?details=true"),
        api("generators?details=true"),
      ]);
      catalogue.variants = variants;
      catalogue.styles = generators.filter((g) => !g.alias);
    } catch (e) {
      el.pageError.textContent = `Cannot load the variants and styles: ${e.message}. Is lunad running?`;
      el.pageError.hidden = false;
      return;
    }
    fill(el.variant, catalogue.variants, (v) => v.variant_type, (v) => v.name);
    fill(el.style, catalogue.styles, (s) => s.key, (s) => s.name);
    if (reducedMotion.matches) el.animated.checked = false;
    loadFromAddress();

    for (const control of [el.variant, el.style, el.animated]) {
      control.addEventListener("change", update);
    }
    for (const control of [el.size, el.seed]) {
      control.addEventListener("input", () => {
        clearTimeout(typingTimer);
        typingTimer = setTimeout(update, TYPING_DELAY_MS);
      });
      control.addEventListener("change", () => {
        clearTimeout(typingTimer);
        update();
      });
    }
    el.sizePreset.addEventListener("change", () => {
      if (el.sizePreset.value === "custom") {
        el.size.focus();
        el.size.select();
        return;
      }
      el.size.value = el.sizePreset.value;
      update();
    });
    el.newSeed.addEventListener("click", newSeed);
    el.copyUrl.addEventListener("click", copySvgUrl);
    el.generate.addEventListener("click", generate);
    reducedMotion.addEventListener("change", update);
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) refreshStats();
    });

    update();
    refreshStats();
    setInterval(() => {
      if (!document.hidden) refreshStats();
    }, STATS_EVERY_MS);
  }

  start();
})();
