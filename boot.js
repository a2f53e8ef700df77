// Starts the widget with no inline script (strict CSP); trunk puts the hashed
// file names on this script's tag. The form's rules load alongside (see README).
const tag = document.querySelector("script[data-intake-js]");
const here = new URL(tag.dataset.intakeJs, document.baseURI);
let rules;
globalThis.massageIntakeRules = () =>
  (rules ??= (async () => {
    const m = await import(new URL(tag.dataset.rulesJs, here).href);
    await m.default({ module_or_path: new URL(tag.dataset.rulesWasm, here) });
    return m;
  })().catch((e) => {
    rules = undefined;
    throw e;
  }));
globalThis.massageIntakeRules().catch(() => {});
// While a submission is unsent, leaving the page asks first (a listener only then).
const ask = (e) => {
  e.preventDefault();
  e.returnValue = "";
};
globalThis.massageIntakeUnsent = (unsent) =>
  unsent ? addEventListener("beforeunload", ask) : removeEventListener("beforeunload", ask);
const { default: init } = await import(here.href);
await init({ module_or_path: tag.dataset.intakeWasm });
