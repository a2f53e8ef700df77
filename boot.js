// Starts the widget with no inline script (strict CSP); trunk puts the hashed
// file names on this script's tag. boot.js only loads: the first view at
// once; the form (with its rules) once the first view is up, or at once on a
// page that opens on the form; the FHIR writer and the sealing module only
// when the clinic configured them. Every function the modules call is on
// `globalThis.massageIntake` below, and declared on the Rust side in one file,
// src/bridge.rs (a test checks that each exists here). See README, "How the
// page loads".
const tag = document.querySelector("script[data-intake-js]");
const here = new URL(tag.dataset.intakeJs, document.baseURI);
const CONFIG = "intake.config.json";
// Each module's wasm memory, for `cargo xtask bench` to weigh (found by
// type: the release build shortens the exports' names).
const memories = {};
const memoryOf = (exports) => Object.values(exports).find((v) => v instanceof WebAssembly.Memory);
// A module loader: fetches the bindings and the wasm side by side, loads
// once, and tries again after a failure (under another address: the browser
// remembers a failed import() for the page).
const loader = (name) => {
  let loading;
  let tries = 0;
  return () =>
    (loading ??= (async () => {
      const attempt = tries++;
      const url = (file) => {
        const u = new URL(tag.dataset[name + file], here);
        if (attempt) u.searchParams.set("try", attempt);
        return u;
      };
      const wasm = fetch(url("Wasm"), { credentials: "same-origin" });
      wasm.catch(() => {});
      const m = await import(url("Js").href);
      memories[name] = memoryOf(await m.default({ module_or_path: wasm }));
      return m;
    })().catch((e) => {
      loading = undefined;
      throw e;
    }));
};
const form = loader("form");
let formModule;
// The configuration (and the English texts when the first view is not
// loaded), fetched once for the page from the first byte and handed to the
// modules (`massageIntakeFiles`, read by src/fetch.rs); a failure leaves it
// to them to try again.
const files = (globalThis.massageIntakeFiles ??= {});
const fetched = (file) => {
  files[file] = fetch(file, { credentials: "same-origin" }).then((r) => (r.ok ? r.text() : Promise.reject(r.status)));
  files[file].catch(() => delete files[file]);
};
fetched(CONFIG);
// A page that opens on the form (`view=intake` in its address: a kiosk, a
// patient's link) loads the form's module alone, with the English texts it
// would otherwise borrow from the first view. One whose configuration says so
// loads the form beside the first view, not after it.
const opensOnForm = (view) => view === "intake";
const alone = opensOnForm(new URLSearchParams(location.search).get("view"));
if (alone) {
  fetched("locales/en.lines");
  form().catch(() => {});
} else
  files[CONFIG]
    .then((text) => {
      if (!new URLSearchParams(location.search).has("view") && opensOnForm(JSON.parse(text).view)) form().catch(() => {});
    })
    .catch(() => {});
// A device with sealed envelopes waiting: the form module sends them.
(indexedDB?.databases?.() ?? Promise.resolve([]))
  .then((all) => all.some((d) => d.name === "massage-intake") && form().then((m) => m.deliver_kept()))
  .catch(() => {});
// In a frame on the clinic's website (embed.js), the page tells the host page
// what happens, and nothing that depends on an answer: ready, started,
// submitted (the reference only), error. Messages go to the embedding page's
// origin only, as embed.js named it in the frame's address (`host`); the
// browser drops them if the parent is anything else. The frame's height
// follows the page only until the form starts; from then on embed.js gives it
// one fixed height, the same for every patient, and the form scrolls inside.
const framed = window.parent !== window;
const hostOrigin = (() => {
  try {
    const named = new URLSearchParams(location.search).get("host") || "";
    return new URL(named).origin === named ? named : "";
  } catch {
    return "";
  }
})();
const tell = (type, detail = {}) => {
  if (framed && hostOrigin) window.parent.postMessage({ massageIntake: 1, type, ...detail }, hostOrigin);
};
const said = new Set();
let sizing = true;
if (framed) {
  let last = 0;
  // At once, before any rendering (a frame out of sight may not render): this
  // tells embed.js the frame was allowed to load at all.
  tell("height", { height: 0 });
  // The body's own height: the document's would never shrink below the frame.
  new ResizeObserver(() => {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    // From the first view on (with the form straight away, never).
    if (sizing && said.has("ready") && height !== last) tell("height", { height: (last = height) });
  }).observe(document.body);
}
// While a submission is unsent, or answers are on the screen that are not
// remembered on the device, leaving the page asks first (a listener only then).
const ask = (e) => {
  e.preventDefault();
  e.returnValue = "";
};
let asking = false;
const why = { unsent: false, answers: false };
let first;
globalThis.massageIntake = {
  // Fetch and compile the form in the background, with the sealing module
  // and the FHIR writer when the clinic configured them.
  prefetch: (seal, fhir) => {
    form().catch(() => {});
    if (seal) globalThis.massageIntake.loadSeal().catch(() => {});
    if (fhir) globalThis.massageIntake.loadFhir().catch(() => {});
  },
  // Put the form in place of the first view; settles once it is there.
  start: async (focus) => {
    sizing = false;
    formModule = await form();
    await formModule.mount_form(focus);
  },
  // A kiosk reset takes the form down (if it was ever started).
  stopForm: () => formModule?.unmount_form(),
  loadFhir: loader("fhir"),
  loadSeal: loader("seal"),
  event: (type, detail = {}) => {
    // Started once per page, however often the form is started again.
    if (type === "started" && said.has(type)) return;
    said.add(type);
    if (["ready", "started", "submitted", "error"].includes(type)) tell(type, detail);
  },
  guard: (reason, on) => {
    why[reason] = !!on;
    const now = why.unsent || why.answers;
    if (now === asking) return;
    asking = now;
    asking ? addEventListener("beforeunload", ask) : removeEventListener("beforeunload", ask);
  },
  leavingAsks: () => asking,
  // A language switched to in the form reaches the first view's module too.
  setLang: (lang) => first?.set_language(lang),
  // The form module has no English texts of its own: it takes the first view's.
  english: () => first?.english_lines(),
  memory: () => Object.fromEntries(Object.entries(memories).map(([k, m]) => [k, m.buffer.byteLength])),
};
const loadFirst = async () => {
  const wasm = fetch(new URL(tag.dataset.intakeWasm, here), { credentials: "same-origin" });
  wasm.catch(() => {});
  first = await import(here.href);
  memories.first = memoryOf(await first.default({ module_or_path: wasm }));
};
if (alone) {
  sizing = false;
  try {
    formModule = await form();
    await formModule.start_alone();
  } catch {
    // The form could not start: the first view comes, and says so.
    formModule = undefined;
    sizing = true;
    await loadFirst();
  }
} else await loadFirst();
