// massage-intake on a clinic's website, with two lines of HTML:
//   <script src="https://intake.example/embed.js" async></script>
//   <div data-massage-intake></div>          (or <massage-intake></massage-intake>)
// Options as data-* attributes: data-view (learn, intake, welcome, learn_only),
// data-lang, data-primary (the clinic's colour, #rrggbb, used when readable),
// data-height (pixels, or "fixed" to keep it), data-title, data-load
// ("eager", or "click" for a button that loads it, with data-label), data-inline
// (the education only, in this page, styles isolated), data-phone (the clinic's
// number, shown if the form cannot open here).
// Never the endpoint: that is the widget origin's own configuration.
//
// The intake runs in a frame from the widget's origin, so no script of the
// host page can read what the patient types. The host element receives the
// events massage-intake:ready, :started, :submitted ({reference}) and :error
// ({code}); none depends on an answer. The frame posts only to this page's
// origin, which it learns from its address. Its height follows the education
// until the form starts, then stays fixed (the form scrolls inside), so the
// frame's size never tells the page how the patient answered.
(() => {
  const me = document.currentScript;
  if (!me) return;
  const base = new URL("./", me.src);
  const SELECTOR = "[data-massage-intake], massage-intake";
  const VIEWS = ["learn", "intake", "welcome", "learn_only"];
  const frames = new Map();
  const emit = (host, type, detail) =>
    host.dispatchEvent(new CustomEvent("massage-intake:" + type, { bubbles: true, detail }));
  addEventListener("message", (e) => {
    const entry = e.origin === base.origin && frames.get(e.source);
    const m = e.data;
    if (!entry || !m || m.massageIntake !== 1) return;
    const [host, frame] = entry;
    frame.massageIntakeAlive = true;
    const fixed = host.dataset.height === "fixed";
    if (m.type === "height") {
      if (!fixed && !frame.massageIntakeStarted && m.height > 0 && m.height < 100000)
        frame.style.height = Math.ceil(m.height) + "px";
      return;
    }
    if (m.type === "started" && !frame.massageIntakeStarted) {
      frame.massageIntakeStarted = true;
      // One height for every patient: data-height, or the window's within reason.
      const chosen = /^\d+$/.test(host.dataset.height || "") ? +host.dataset.height : innerHeight - 32;
      if (!fixed) frame.style.height = Math.round(Math.min(Math.max(chosen, 480), 900)) + "px";
    }
    // Only known events, with only their plain details, reach the host page.
    const detail = {};
    const take = (key, pattern) => pattern.test(m[key]) && (detail[key] = m[key]);
    if (m.type === "submitted") take("reference", /^MI-[A-Z0-9-]{1,20}$/);
    else if (m.type === "error") take("code", /^[a-z_]{1,40}$/);
    else if (m.type !== "ready" && m.type !== "started") return;
    emit(host, m.type, detail);
  });
  // When the frame loaded but the widget never spoke (the widget's server
  // refused to be framed here, or answered with an error page), the patient
  // gets the clinic's number and a link to the form on its own page instead
  // of a browser's error box.
  const WORDS = {
    en: ["The intake form cannot open inside this page.", "Open the intake form", "Or call the clinic at"],
    es: ["El formulario de admisión no se puede abrir en esta página.", "Abrir el formulario de admisión", "O llame a la clínica al"],
    pt: ["O formulário de admissão não pode abrir nesta página.", "Abrir o formulário de admissão", "Ou ligue para a clínica:"],
  };
  const fallback = async (host, frame, query) => {
    const d = host.dataset;
    const [said, open, call] = WORDS[(d.lang || document.documentElement.lang || "en").slice(0, 2)] || WORDS.en;
    const box = document.createElement("div");
    box.className = "massage-intake-fallback";
    box.setAttribute("role", "status");
    box.style.cssText = "padding:1em;border:1px solid #767676;border-radius:8px;background:#fff;color:#1a1a1a;font-size:1.125rem;line-height:1.5";
    box.append(Object.assign(document.createElement("p"), { textContent: said }));
    const standalone = new URLSearchParams({ view: "intake" });
    if (query.has("lang")) standalone.set("lang", query.get("lang"));
    const link = Object.assign(document.createElement("a"), {
      href: base.href + "?" + standalone,
      target: "_blank",
      rel: "noopener",
      textContent: open,
    });
    link.style.cssText = "display:inline-block;min-height:44px;line-height:44px;color:#0b57d0;font-weight:600";
    box.appendChild(document.createElement("p")).append(link);
    // The clinic's number: data-phone, or the widget's own configuration.
    const configured = () =>
      fetch(new URL("intake.config.json", base), { credentials: "omit" })
        .then((r) => (r.ok ? r.json() : {}))
        .then((c) => (typeof c.clinic_phone === "string" ? c.clinic_phone : ""))
        .catch(() => "");
    const phone = (d.phone || (await configured()) || "").trim();
    if (/^[0-9+() .-]{7,20}$/.test(phone)) {
      const p = box.appendChild(document.createElement("p"));
      p.append(call + " ");
      p.append(Object.assign(document.createElement("a"), { href: "tel:" + phone.replace(/[^0-9+]/g, ""), textContent: phone }));
    }
    frame.replaceWith(box);
    emit(host, "error", { code: "frame_refused" });
  };
  const frame = (host) => {
    const query = new URLSearchParams({ mode: "embedded" });
    const d = host.dataset;
    // data-load="click": nothing of the widget loads until the visitor asks.
    if (d.load === "click") {
      const b = host.appendChild(document.createElement("button"));
      b.type = "button";
      b.className = "massage-intake-open";
      b.textContent = d.label || "Open the intake form";
      b.onclick = () => {
        b.remove();
        d.load = "eager";
        frame(host);
        host.querySelector("iframe").focus();
      };
      return;
    }
    // Where the frame may send its events: this page's origin, nowhere else.
    if (location.origin.startsWith("http")) query.set("host", location.origin);
    if (VIEWS.includes(d.view)) query.set("view", d.view);
    if (/^[a-z]{2}(-[A-Za-z]{2})?$/.test(d.lang || "")) query.set("lang", d.lang);
    // The widget checks the colour's contrast before it uses it.
    if (/^#[0-9a-fA-F]{6}$/.test(d.primary || "")) query.set("primary", d.primary.slice(1));
    const f = document.createElement("iframe");
    f.src = base.href + "?" + query;
    f.title = d.title || "Medical massage intake";
    f.loading = d.load === "eager" ? "eager" : "lazy";
    f.referrerPolicy = "no-referrer";
    f.style.cssText = "display:block;width:100%;border:0;height:" + (/^\d+$/.test(d.height) ? d.height : 640) + "px";
    f.addEventListener("load", () =>
      setTimeout(() => f.isConnected && !f.massageIntakeAlive && fallback(host, f, query), 3000),
    );
    host.appendChild(f);
    frames.set(f.contentWindow, [host, f]);
  };
  let shell;
  const inline = async (host) => {
    // Open: it holds only the education, never an answer, and tools can inspect it.
    const root = host.attachShadow({ mode: "open" });
    const page = await (await fetch(base, { credentials: "omit" })).text();
    const attr = (name) => page.match(new RegExp(name + '="?([^"\\s>]+)'))?.[1];
    const css = page.match(/href="?([^"\s>]+\.css)/)?.[1];
    const text = await (await fetch(new URL(css, base), { credentials: "omit" })).text();
    // rem follows the host page's root font size: pixels keep the widget's own.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(
      ":host{display:block}.mi-isolate{all:initial;display:block}" +
        text.replace(/(\d*\.?\d+)rem\b/g, (_, n) => n * 16 + "px"),
    );
    root.adoptedStyleSheets = [sheet];
    const box = root.appendChild(document.createElement("div"));
    box.className = "mi-isolate";
    const target = box.appendChild(document.createElement("div"));
    globalThis.massageIntakeInline = true;
    const m = await (shell ??= import(new URL(attr("data-intake-js"), base).href).then(async (m) => {
      await m.default({ module_or_path: new URL(attr("data-intake-wasm"), base) });
      return m;
    }));
    const d = host.dataset;
    m.mount_inline(target, base.href, /^#[0-9a-fA-F]{6}$/.test(d.primary || "") ? d.primary : "", /^[a-z]{2}(-[A-Za-z]{2})?$/.test(d.lang || "") ? d.lang : "");
    emit(host, "ready", {});
  };
  const mount = (host) => {
    if (host.massageIntakeMounted) return;
    host.massageIntakeMounted = true;
    if ("inline" in host.dataset) inline(host).catch(() => emit(host, "error", { code: "unavailable" }));
    else frame(host);
  };
  const scan = (node) => node.querySelectorAll?.(SELECTOR).forEach(mount);
  if (!customElements.get("massage-intake")) customElements.define("massage-intake", class extends HTMLElement {});
  scan(document);
  // Elements added later (single-page sites) are picked up too.
  new MutationObserver((records) =>
    records.forEach((r) =>
      r.addedNodes.forEach((n) => {
        if (n.nodeType !== 1) return;
        if (n.matches(SELECTOR)) mount(n);
        scan(n);
      }),
    ),
  ).observe(document.documentElement, { childList: true, subtree: true });
})();
