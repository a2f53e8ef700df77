// The staff inbox: sign in, the list of intakes, one intake's chart summary.
//
// Patient data lives only in this page's memory. Nothing is written to the
// browser's storage, the address holds only a reference, and everything is
// dropped, the clinic's key with it, when the session ends, when staff sign
// out, or when the page sits unused for the session's idle time. The key is
// read from the file staff choose and handed to the wasm module; it is never
// sent anywhere. Sealed intakes are opened here, with the same code the
// command line uses.

import init, { Key, chart, row, fhir, badge } from "./intake_staff.js";

const main = document.getElementById("main");
const announcer = document.getElementById("announce");
const who = document.getElementById("who");

const MODES = { kiosk: "Tablet", embedded: "Website", standalone: "Intake page" };
const LANGUAGES = { en: "English", es: "Spanish", pt: "Portuguese" };
const REFERENCE = /^MI-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

const state = {
  session: null,
  key: null,
  items: [],
  // reference -> submission JSON of sealed intakes opened with the key
  opened: new Map(),
  filters: { since: "", until: "", flag: "", search: "" },
  idleTimer: 0,
};

/** An element with attributes and children (strings become text). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function announce(text) {
  announcer.textContent = "";
  window.setTimeout(() => { announcer.textContent = text; }, 50);
}

function show(...nodes) {
  main.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined));
  const heading = main.querySelector("h1");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
}

class Ended extends Error {}

/** A call to the inbox's API; a 401 ends the session on this page. */
async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && state.session) headers["X-CSRF-Token"] = state.session.csrf;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
      redirect: "error",
    });
  } catch {
    throw new Error("The inbox cannot reach the receiver. Check the connection and try again.");
  }
  if (response.status === 401 && path !== "/staff/api/login" && path !== "/staff/api/session") {
    forget("Your session has ended. Please sign in again.");
    throw new Ended();
  }
  return response;
}

async function json(response) {
  try {
    return await response.json();
  } catch {
    return {};
  }
}

/** Records what happened only in this page (printing, downloading, opening with the key). */
async function audit(action, reference) {
  const response = await api("POST", "/staff/api/audit", { action, reference });
  if (!response.ok) throw new Error("The inbox could not record this in the audit trail, so it was not done.");
}

// ---- idle sign-out -------------------------------------------------------

function touch() {
  if (!state.session) return;
  window.clearTimeout(state.idleTimer);
  state.idleTimer = window.setTimeout(() => {
    forget(`Signed out after ${Math.round(state.session.idle_seconds / 60)} minutes without use.`);
  }, state.session.idle_seconds * 1000);
}

for (const type of ["pointerdown", "keydown"]) document.addEventListener(type, touch, { passive: true });

/** Drops everything this page holds and shows the sign-in form. */
function forget(message) {
  window.clearTimeout(state.idleTimer);
  if (state.key) state.key.free();
  state.key = null;
  state.session = null;
  state.items = [];
  state.opened.clear();
  who.hidden = true;
  if (location.hash) history.replaceState(null, "", location.pathname);
  login(message);
}

document.getElementById("sign-out").addEventListener("click", async () => {
  try {
    await api("POST", "/staff/api/logout", {});
  } catch (e) {
    if (e instanceof Ended) return;
  }
  forget("You have signed out.");
});

// ---- sign in -------------------------------------------------------------

function fieldError(input, message) {
  const id = `${input.id}-error`;
  let note = document.getElementById(id);
  if (!note) {
    note = el("p", { id, class: "field-error" });
    input.after(note);
  }
  note.textContent = message;
  if (message) {
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", id);
  } else {
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
  }
}

function login(message = "") {
  const name = el("input", { id: "name", name: "username", autocomplete: "username", autocapitalize: "none", spellcheck: "false", required: true });
  const password = el("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const problem = el("p", { id: "login-problem", class: "problem", role: "alert" }, message);
  const button = el("button", { type: "submit" }, "Sign in");
  const form = el("form", { class: "login", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    fieldError(name, name.value.trim() ? "" : "Enter your account name.");
    fieldError(password, password.value ? "" : "Enter your password.");
    if (!name.value.trim()) return name.focus();
    if (!password.value) return password.focus();
    problem.textContent = "";
    button.disabled = true;
    try {
      const response = await api("POST", "/staff/api/login", { name: name.value, password: password.value });
      const body = await json(response);
      if (response.ok) {
        password.value = "";
        return started(body);
      }
      if (response.status === 429) {
        const wait = Number(response.headers.get("Retry-After")) || 60;
        problem.textContent = `Too many attempts. Try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? "s" : ""}.`;
      } else if (response.status === 401) {
        problem.textContent = "The account name or password is wrong.";
      } else if (response.status === 403) {
        problem.textContent = "Open the inbox from the receiver's own address to sign in.";
      } else {
        problem.textContent = "The receiver could not sign you in. Try again in a moment.";
      }
      password.value = "";
      password.focus();
    } catch (e) {
      problem.textContent = e.message;
    } finally {
      button.disabled = false;
    }
  } },
    el("label", { for: "name" }, "Account name"), name,
    el("label", { for: "password" }, "Password"), password,
    problem, button);
  show(el("section", { class: "card narrow", "aria-labelledby": "login-title" },
    el("h1", { id: "login-title" }, "Sign in to the intake inbox"),
    el("p", {}, "For the clinic's staff. Patients' intakes are shown only after you sign in."),
    form));
  if (!message) name.focus();
}

function started(session) {
  state.session = session;
  who.hidden = false;
  document.getElementById("who-name").textContent = `Signed in as ${session.account}`;
  touch();
  route();
}

// ---- the clinic's key ----------------------------------------------------

function keyPanel(after) {
  const status = el("p", { id: "key-status", role: "status" });
  const panel = el("section", { class: "key", "aria-labelledby": "key-title" },
    el("h2", { id: "key-title" }, "Sealed intakes"));
  if (state.key) {
    status.textContent = `The clinic's key ${state.key.id()} is loaded for this session only.`;
    panel.append(status, el("button", { type: "button", class: "quiet", onclick: () => {
      state.key.free();
      state.key = null;
      state.opened.clear();
      announce("The key is forgotten.");
      after();
    } }, "Forget the key"));
    return panel;
  }
  const input = el("input", { id: "key-file", type: "file", "aria-describedby": "key-help key-status" });
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    let text = "";
    try {
      text = file.size > 4096 ? "" : await file.text();
    } catch {
      text = "";
    }
    input.value = "";
    try {
      state.key = new Key(text);
      text = "";
      announce(`The clinic's key ${state.key.id()} is loaded.`);
      after();
    } catch (e) {
      status.textContent = String(e.message || e);
      status.className = "problem";
    }
  });
  panel.append(
    el("label", { for: "key-file" }, "Clinic key file"),
    el("p", { id: "key-help", class: "help" }, "Sealed intakes are opened here in your browser with the clinic's private key. It stays in this page's memory until you sign out, and is never sent or saved."),
    input, status);
  return panel;
}

/** A sealed intake's submission JSON, opened with the key (and recorded). */
async function openSealed(reference, envelope) {
  if (state.opened.has(reference)) return state.opened.get(reference);
  const submission = state.key.open(envelope);
  await audit("key_use", reference);
  state.opened.set(reference, submission);
  return submission;
}

// ---- the list ------------------------------------------------------------

function time(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" });
}

function badges(codes) {
  if (!codes.length) return el("span", { class: "none" }, "None");
  return el("ul", { class: "badges" }, codes.map((code) => el("li", { class: `badge badge-${code}` }, badge(code))));
}

async function fetchList() {
  const query = new URLSearchParams();
  if (state.filters.since) query.set("since", state.filters.since);
  if (state.filters.until) query.set("until", state.filters.until);
  const response = await api("GET", `/staff/api/submissions?${query}`);
  const body = await json(response);
  if (!response.ok) {
    throw new Error(body.error === "dates_are_yyyy_mm_dd" ? "Choose dates as year, month and day." : "The list could not be loaded. Try again in a moment.");
  }
  state.items = body.items || [];
  // Rows of sealed intakes become readable once the key is loaded.
  if (state.key) {
    for (const item of state.items.filter((i) => i.sealed)) {
      try {
        const summary = JSON.parse(row(await openSealed(item.reference, item.envelope)));
        Object.assign(item, summary, { readable: true });
      } catch (e) {
        if (e instanceof Ended) throw e;
        item.problem = String(e.message || e);
      }
    }
  }
}

function matches(item) {
  const { flag, search } = state.filters;
  if (flag && !(item.flags || []).includes(flag)) return false;
  if (!search) return true;
  const needle = search.trim().toLowerCase();
  const haystack = [item.reference, item.given_name, item.family_name, `${item.given_name} ${item.family_name}`]
    .filter(Boolean).join(" ").toLowerCase();
  return haystack.includes(needle);
}

function listRow(item) {
  const sealedUnread = item.sealed && !item.readable;
  const name = sealedUnread
    ? el("span", { class: "sealed" }, item.problem || "Sealed: load the clinic key to read")
    : `${item.family_name}, ${item.given_name}`;
  const status = item.reviewed
    ? el("span", { class: "status reviewed" }, `Reviewed by ${item.reviewed.by}`)
    : el("span", { class: "status new" }, "New");
  return el("tr", {},
    el("th", { scope: "row" }, el("a", { href: `#/s/${item.reference}` }, item.reference)),
    el("td", { "data-label": "Received" }, time(item.received_at)),
    el("td", { "data-label": "Patient" }, name),
    el("td", { "data-label": "Date of birth" }, sealedUnread ? "" : item.date_of_birth),
    el("td", { "data-label": "From" }, sealedUnread ? "" : MODES[item.mode] || item.mode),
    el("td", { "data-label": "Language" }, sealedUnread ? "" : LANGUAGES[item.locale] || item.locale),
    el("td", { "data-label": "Flags" }, sealedUnread ? "" : badges(item.flags || [])),
    el("td", { "data-label": "Status" }, status));
}

function flagChoices() {
  const seen = new Set();
  for (const item of state.items) for (const code of item.flags || []) seen.add(code);
  return [...seen].sort();
}

function renderList(problem = "") {
  const shown = state.items.filter(matches);
  const since = el("input", { id: "since", type: "date", value: state.filters.since });
  const until = el("input", { id: "until", type: "date", value: state.filters.until });
  const flag = el("select", { id: "flag" },
    el("option", { value: "" }, "Any flag"),
    flagChoices().map((code) => el("option", { value: code, selected: code === state.filters.flag }, badge(code))));
  const search = el("input", { id: "search", type: "search", value: state.filters.search, autocomplete: "off" });
  const body = el("tbody", {}, shown.map(listRow));
  const count = el("p", { id: "count", class: "count" }, `${shown.length} of ${state.items.length} intake${state.items.length === 1 ? "" : "s"}`);
  const refilter = () => {
    state.filters.flag = flag.value;
    state.filters.search = search.value;
    const now = state.items.filter(matches);
    body.replaceChildren(...now.map(listRow));
    count.textContent = `${now.length} of ${state.items.length} intake${state.items.length === 1 ? "" : "s"}`;
    announce(count.textContent);
  };
  flag.addEventListener("change", refilter);
  search.addEventListener("input", refilter);
  const redate = async () => {
    state.filters.since = since.value;
    state.filters.until = until.value;
    await list();
  };
  since.addEventListener("change", redate);
  until.addEventListener("change", redate);
  const table = shown.length || state.items.length
    ? el("table", { class: "list" },
      el("caption", { class: "visually-hidden" }, "Intakes, newest first"),
      el("thead", {}, el("tr", {}, ["Reference", "Received", "Patient", "Date of birth", "From", "Language", "Flags", "Status"].map((h) => el("th", { scope: "col" }, h)))),
      body)
    : el("p", { class: "empty" }, "No intakes in this range yet.");
  show(
    el("h1", {}, "Intakes"),
    problem ? el("p", { class: "problem", role: "alert" }, problem) : null,
    keyPanel(() => list()),
    el("form", { class: "filters", role: "search", "aria-label": "Find intakes", onsubmit: (e) => e.preventDefault() },
      el("div", {}, el("label", { for: "since" }, "Received from"), since),
      el("div", {}, el("label", { for: "until" }, "to"), until),
      el("div", {}, el("label", { for: "flag" }, "Flag"), flag),
      el("div", { class: "grow" }, el("label", { for: "search" }, "Name or reference"), search)),
    count,
    table);
}

async function list() {
  try {
    await fetchList();
    renderList();
  } catch (e) {
    if (e instanceof Ended) return;
    renderList(e.message);
  }
}

// ---- one intake ----------------------------------------------------------

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = el("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function summary(reference) {
  show(el("h1", {}, `Intake ${reference}`), el("p", { role: "status" }, "Loading…"));
  let detail;
  try {
    const response = await api("GET", `/staff/api/submissions/${reference}`);
    detail = await json(response);
    if (response.status === 404) {
      return show(el("h1", {}, "No such intake"), el("p", {}, `There is no intake ${reference}.`), el("p", {}, el("a", { href: "#/" }, "Back to the intakes")));
    }
    if (!response.ok) throw new Error("The intake could not be loaded. Try again in a moment.");
  } catch (e) {
    if (e instanceof Ended) return;
    return show(el("h1", {}, `Intake ${reference}`), el("p", { class: "problem", role: "alert" }, e.message), el("p", {}, el("a", { href: "#/" }, "Back to the intakes")));
  }
  const back = el("a", { href: "#/", class: "back" }, "Back to the intakes");
  let submission = detail.body;
  if (detail.sealed) {
    if (!state.key) {
      return show(el("nav", { class: "toolbar", "aria-label": "Intake" }, back),
        el("h1", {}, `Sealed intake ${reference}`),
        el("p", {}, "This intake was sealed in the patient's browser. Load the clinic key to read it."),
        keyPanel(() => summary(reference)));
    }
    try {
      submission = await openSealed(reference, detail.body);
    } catch (e) {
      if (e instanceof Ended) return;
      return show(el("nav", { class: "toolbar", "aria-label": "Intake" }, back),
        el("h1", {}, `Sealed intake ${reference}`),
        el("p", { class: "problem", role: "alert" }, String(e.message || e)),
        keyPanel(() => summary(reference)));
    }
  }
  let html;
  try {
    html = chart(submission, reference, detail.received_at, detail.sealed);
  } catch (e) {
    return show(el("h1", {}, `Intake ${reference}`), el("p", { class: "problem", role: "alert" }, String(e.message || e)), back);
  }
  const problem = el("p", { class: "problem", role: "alert" });
  const act = (id, label, what) => el("button", { id, type: "button", onclick: async () => {
    problem.textContent = "";
    try {
      await what();
    } catch (e) {
      if (!(e instanceof Ended)) problem.textContent = e.message;
    }
  } }, label);
  const reviewed = el("p", { class: "reviewed-note", role: "status" },
    detail.reviewed ? `Reviewed by ${detail.reviewed.by} on ${time(detail.reviewed.at)}` : "");
  const review = act("review", "Mark reviewed", async () => {
    const response = await api("POST", `/staff/api/submissions/${reference}/review`, {});
    const body = await json(response);
    if (!response.ok) throw new Error("The review mark could not be saved. Try again.");
    reviewed.textContent = `Reviewed by ${body.by} on ${time(body.at)}`;
    // The button goes; the focus goes to what replaced it.
    reviewed.setAttribute("tabindex", "-1");
    reviewed.focus();
    review.remove();
  });
  const tools = el("nav", { class: "toolbar", "aria-label": "Intake" },
    back,
    act("print", "Print", async () => { await audit("print", reference); window.print(); }),
    act("download-fhir", "Download FHIR JSON", async () => {
      const text = fhir(submission);
      await audit("download_fhir", reference);
      download(`${reference}.fhir.json`, "application/fhir+json", text);
    }),
    act("download-json", "Download JSON", async () => {
      await audit("download_json", reference);
      download(`${reference}.json`, "application/json", JSON.stringify(JSON.parse(submission), null, 2));
    }),
    detail.reviewed ? null : review);
  const sheet = el("div", { class: "sheet" });
  // The chart's markup is written by the wasm module, every value escaped;
  // the patient's name is its heading, which takes the focus.
  sheet.innerHTML = html;
  show(tools, problem, reviewed, sheet);
}

// ---- where we are --------------------------------------------------------

function route() {
  if (!state.session) return;
  const match = location.hash.match(/^#\/s\/(.+)$/);
  if (match && REFERENCE.test(match[1])) summary(match[1]);
  else list();
}

window.addEventListener("hashchange", route);
// The skip link moves the focus without touching the address (which routes).
document.querySelector(".skip").addEventListener("click", (event) => {
  event.preventDefault();
  main.focus();
});

async function start() {
  await init();
  try {
    const response = await api("GET", "/staff/api/session");
    if (response.ok) return started(await json(response));
  } catch {
    // Not signed in, or the receiver is away: the sign-in form says the rest.
  }
  login();
}

start();
