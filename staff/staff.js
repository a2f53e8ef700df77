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
  lastCall: 0,
  more: false,
  // The last list without a search was cut short: searches go to the receiver.
  wide: false,
  limit: 0,
  printing: false,
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
  state.lastCall = Date.now();
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
  // Use of the page keeps the receiver's session alive too.
  if (Date.now() - state.lastCall > 60_000) {
    state.lastCall = Date.now();
    api("GET", "/staff/api/session").catch(() => {});
  }
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
      const key = new Key(text);
      text = "";
      const sealedTo = new Set(state.items.filter((i) => i.sealed && i.key_id).map((i) => i.key_id));
      if (sealedTo.size && !sealedTo.has(key.id())) {
        const id = key.id();
        key.free();
        throw new Error(`This key (${id}) opens none of the sealed intakes listed, which were sealed to ${[...sealedTo].join(", ")}. Choose the clinic's private key file, not its public key.`);
      }
      state.key = key;
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

/** The bound of a local day as a UTC instant: its start, or with `after` the next day's. */
function dayBound(value, after) {
  const [y, m, d] = value.split("-").map(Number);
  if (!y || !m || !d) return "";
  return new Date(y, m - 1, d + (after ? 1 : 0)).toISOString();
}

async function fetchList() {
  const query = new URLSearchParams();
  // Days as the staff member's own calendar has them, as the list shows times.
  if (state.filters.since) query.set("since", dayBound(state.filters.since, false));
  if (state.filters.until) query.set("until", dayBound(state.filters.until, true));
  // When the dates hold more than the list shows, a search asks the receiver.
  const search = state.filters.search.trim();
  if (search && state.wide) query.set("q", search);
  const response = await api("GET", `/staff/api/submissions?${query}`);
  const body = await json(response);
  if (!response.ok) {
    throw new Error(body.error === "dates_are_yyyy_mm_dd" ? "Choose dates as month, day and year." : "The list could not be loaded. Try again in a moment.");
  }
  state.items = body.items || [];
  state.more = Boolean(body.more);
  if (!query.has("q")) state.wide = state.more;
  state.limit = body.limit || state.items.length;
  // Rows of sealed intakes become readable once the key is loaded (those
  // with a photo are opened with their chart).
  if (state.key) {
    for (const item of state.items.filter((i) => i.sealed && i.envelope)) {
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

/** Lower case without accents: "Renée" finds "renee". */
function folded(text) {
  return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function matches(item) {
  const { flag, search } = state.filters;
  if (flag && !(item.flags || []).includes(flag)) return false;
  const needle = folded(search).trim().replace(/\s+/g, " ");
  if (!needle) return true;
  const haystack = [
    item.reference,
    `${item.given_name || ""} ${item.family_name || ""}`,
    `${item.family_name || ""}, ${item.given_name || ""}`,
  ].map(folded).join("\n");
  return haystack.includes(needle);
}

function listRow(item) {
  const sealedUnread = item.sealed && !item.readable;
  const unread = item.problem
    || (item.envelope ? "Sealed: load the clinic key to read" : "Sealed, with a photo: open it to read");
  const name = sealedUnread ? el("span", { class: "sealed" }, unread) : `${item.family_name}, ${item.given_name}`;
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

/** The count, the notice of older intakes, and the table, for the filters as they are. */
function results() {
  const shown = state.items.filter(matches);
  const total = `${shown.length} of ${state.items.length} intake${state.items.length === 1 ? "" : "s"}`;
  const parts = [el("p", { id: "count", class: "count" }, total)];
  if (state.more) {
    parts.push(el("p", { class: "notice" }, state.filters.search.trim()
      ? `Showing the newest ${state.limit} matches: choose dates to find older ones.`
      : `Only the newest ${state.limit} intakes in these dates are listed: search by name or reference, or choose dates, to find older ones.`));
  }
  const typed = state.filters.search.trim().toUpperCase();
  if (REFERENCE.test(typed) && !shown.some((i) => i.reference === typed)) {
    parts.push(el("p", { class: "notice" }, "Not in this list: ", el("a", { href: `#/s/${typed}` }, `open ${typed}`)));
  }
  if (state.items.length) {
    parts.push(el("table", { class: "list" },
      el("caption", { class: "visually-hidden" }, "Intakes, newest first"),
      el("thead", {}, el("tr", {}, ["Reference", "Received", "Patient", "Date of birth", "From", "Language", "Flags", "Status"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, shown.map(listRow))));
  } else {
    parts.push(el("p", { class: "empty" }, "No intakes in this range yet."));
  }
  return { parts, total };
}

function renderList(problem = "") {
  const since = el("input", { id: "since", type: "date", value: state.filters.since });
  const until = el("input", { id: "until", type: "date", value: state.filters.until });
  const flag = el("select", { id: "flag" },
    el("option", { value: "" }, "Any flag"),
    flagChoices().map((code) => el("option", { value: code, selected: code === state.filters.flag }, badge(code))));
  const search = el("input", { id: "search", type: "search", value: state.filters.search, autocomplete: "off" });
  const found = el("div", { id: "results" });
  const alert = el("p", { id: "list-problem", class: "problem", role: "alert" }, problem);
  const refresh = () => {
    const { parts, total } = results();
    found.replaceChildren(...parts);
    return total;
  };
  let asking = 0;
  const refilter = () => {
    state.filters.flag = flag.value;
    state.filters.search = search.value;
    announce(refresh());
    if (!state.wide) return;
    window.clearTimeout(asking);
    asking = window.setTimeout(async () => {
      try {
        await fetchList();
        announce(refresh());
      } catch (e) {
        if (!(e instanceof Ended)) alert.textContent = e.message;
      }
    }, 400);
  };
  flag.addEventListener("change", refilter);
  search.addEventListener("input", refilter);
  // A date applies when the staff member leaves the field or presses Enter,
  // not at each digit (a year half typed is a valid date too).
  const redate = async (input) => {
    const key = input.id;
    if (state.filters[key] === input.value) return;
    state.filters[key] = input.value;
    alert.textContent = "";
    try {
      await fetchList();
      announce(refresh());
    } catch (e) {
      if (!(e instanceof Ended)) alert.textContent = e.message;
    }
  };
  for (const input of [since, until]) {
    input.addEventListener("blur", () => redate(input));
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        redate(input);
      }
    });
  }
  refresh();
  show(
    el("h1", {}, "Intakes"),
    alert,
    keyPanel(() => list()),
    el("form", { class: "filters", role: "search", "aria-label": "Find intakes", onsubmit: (e) => e.preventDefault() },
      el("div", {}, el("label", { for: "since" }, "Received from"), since),
      el("div", {}, el("label", { for: "until" }, "to"), until),
      el("div", {}, el("label", { for: "flag" }, "Flag"), flag),
      el("div", { class: "grow" }, el("label", { for: "search" }, "Name or reference"), search)),
    found);
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
    act("print", "Print", async () => {
      await audit("print", reference);
      state.printing = true;
      try {
        window.print();
      } finally {
        state.printing = false;
      }
    }),
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
  // Times in the reader's own time zone (the chart writes them in UTC).
  for (const node of sheet.querySelectorAll("time[datetime]")) {
    const at = new Date(node.getAttribute("datetime"));
    if (!Number.isNaN(at.getTime())) {
      node.textContent = at.toLocaleString("en-US", { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" });
    }
  }
  state.showing = reference;
  show(tools, problem, reviewed, sheet);
}

// Printing with the browser's own command (Ctrl+P) is recorded too.
window.addEventListener("beforeprint", () => {
  const match = location.hash.match(/^#\/s\/(.+)$/);
  if (!state.session || state.printing || !match || state.showing !== match[1]) return;
  fetch("/staff/api/audit", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": state.session.csrf },
    body: JSON.stringify({ action: "print", reference: match[1] }),
    credentials: "same-origin",
    keepalive: true,
  }).catch(() => {});
});

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
