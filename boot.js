// Starts the widget with no inline script (strict CSP); trunk puts the hashed
// file names on this script's tag. The first view (the education) starts at
// once; the intake form and its rules are fetched once it is up, and the form
// starts when the patient asks for it (see README, "How the page loads").
const tag = document.querySelector("script[data-intake-js]");
const here = new URL(tag.dataset.intakeJs, document.baseURI);
// Each module's wasm memory, for `cargo xtask bench` to weigh.
const memories = {};
globalThis.massageIntakeMemory = () =>
  Object.fromEntries(Object.entries(memories).map(([k, m]) => [k, m.buffer.byteLength]));
// A module loader: loads once, and tries again after a failure (under
// another address: the browser remembers a failed import() for the page).
const loader = (name) => {
  let loading;
  let tries = 0;
  return () =>
    (loading ??= (async () => {
      const url = new URL(tag.dataset[name + "Js"], here);
      if (tries++) url.searchParams.set("try", tries);
      const m = await import(url.href);
      memories[name] = (await m.default({ module_or_path: new URL(tag.dataset[name + "Wasm"], here) })).memory;
      return m;
    })().catch((e) => {
      loading = undefined;
      throw e;
    }));
};
globalThis.massageIntakeRules = loader("rules");
globalThis.massageIntakeSeal = loader("seal");
const form = loader("form");
let formModule;
// A kiosk reset takes the form down (if it was ever started).
globalThis.massageIntakeStopForm = () => formModule?.unmount_form();
globalThis.massageIntakePrefetch = (seal) => {
  form().catch(() => {});
  globalThis.massageIntakeRules().catch(() => {});
  if (seal) globalThis.massageIntakeSeal().catch(() => {});
};
// The frame's height follows the page until the form starts (see below).
let sizing = true;
globalThis.massageIntakeStart = async (focus) => {
  sizing = false;
  globalThis.massageIntakeRules().catch(() => {});
  formModule = await form();
  await formModule.mount_form(focus);
};
// The outbox: sealed envelopes only (never a readable submission), kept in
// IndexedDB until the receiver has stored them, and sent whenever the page is
// open and online: now, when the network returns, when the page is shown
// again, and on a backoff while any are left.
const SEALED = "application/vnd.massage-intake.sealed+json";
// Version 2 makes the store wherever it is missing (a database of that name
// without it would otherwise make every use fail, and none settle).
const store = (mode, use) =>
  new Promise((done, fail) => {
    const open = indexedDB.open("massage-intake", 2);
    open.onupgradeneeded = () =>
      open.result.objectStoreNames.contains("outbox") ||
      open.result.createObjectStore("outbox", { keyPath: "id" });
    open.onerror = open.onblocked = () => fail(open.error);
    open.onsuccess = () => {
      const db = open.result;
      try {
        const tx = db.transaction("outbox", mode);
        const request = use(tx.objectStore("outbox"));
        tx.oncomplete = () => (db.close(), done(request.result));
        tx.onerror = tx.onabort = () => (db.close(), fail(tx.error));
      } catch (e) {
        db.close();
        fail(e);
      }
    };
  });
// One attempt to deliver a kept submission; true once the receiver has it.
const post = (r) =>
  fetch(r.endpoint, {
    method: "POST",
    headers: { "Content-Type": r.type, "Idempotency-Key": r.id },
    body: r.body,
    credentials: "omit",
  }).then((reply) => reply.ok, () => false);
let wait = 5000;
let timer;
// Only a device that already has an outbox gets it opened: without a key
// nothing is ever stored, not even an empty database.
const hasOutbox = () =>
  (indexedDB?.databases?.() ?? Promise.resolve([]))
    .then((all) => all.some((d) => d.name === "massage-intake"))
    .catch(() => false);
const flush = async () => {
  clearTimeout(timer);
  if (!(await hasOutbox())) return;
  const records = await store("readonly", (s) => s.getAll()).catch(() => []);
  let left = 0;
  for (const r of records) {
    if (await post(r)) await store("readwrite", (s) => s.delete(r.id)).catch(() => left++);
    else left++;
  }
  if (left) {
    timer = setTimeout(flush, wait);
    wait = Math.min(wait * 2, 300000);
  } else {
    wait = 5000;
  }
};
globalThis.massageIntakeOutbox = {
  put: (r) =>
    r.type === SEALED
      ? store("readwrite", (s) =>
          s.put({ ...r, endpoint: new URL(r.endpoint, document.baseURI).href }),
        ).then(() => {
          clearTimeout(timer);
          timer = setTimeout(flush, wait);
        })
      : Promise.reject(new Error("only sealed submissions are kept")),
  remove: (id) => store("readwrite", (s) => s.delete(id)),
};
addEventListener("online", flush);
document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && flush());
flush();
// A submission the form was sending when a kiosk reset took the form down:
// sent from memory (never stored on the device) until the receiver has it.
const background = new Map();
let backgroundWait = 2000;
const sendBackground = async () => {
  for (const [id, r] of background) if (await post(r)) background.delete(id);
  if (background.size) {
    setTimeout(sendBackground, backgroundWait);
    backgroundWait = Math.min(backgroundWait * 2, 60000);
  } else {
    globalThis.massageIntakeUnsent(false);
  }
};
globalThis.massageIntakeBackground = (r) => {
  background.set(r.id, r);
  backgroundWait = 2000;
  sendBackground();
};
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
globalThis.massageIntakeEvent = (type, detail = {}) => {
  // Started once per page, however often the form is started again.
  if (type === "started" && said.has(type)) return;
  said.add(type);
  if (["ready", "started", "submitted", "error"].includes(type)) tell(type, detail);
};
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
const guard = (reason, on) => {
  why[reason] = on;
  const now = why.unsent || why.answers;
  if (now === asking) return;
  asking = now;
  asking ? addEventListener("beforeunload", ask) : removeEventListener("beforeunload", ask);
};
globalThis.massageIntakeUnsent = (unsent) => guard("unsent", !!unsent);
globalThis.massageIntakeAnswers = (typed) => guard("answers", !!typed);
const first = await import(here.href);
// A language switched to in the form reaches the first view's module too.
globalThis.massageIntakeSetLang = (lang) => first.set_language(lang);
// The form module has no English texts of its own: it takes the first view's.
globalThis.massageIntakeEnglish = () => first.english_lines();
memories.first = (await first.default({ module_or_path: tag.dataset.intakeWasm })).memory;
