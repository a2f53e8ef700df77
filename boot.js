// Starts the widget with no inline script (strict CSP); trunk puts the hashed
// file names on this script's tag. The first view (the education) starts at
// once; the intake form and its rules are fetched once it is up, and the form
// starts when the patient asks for it (see README, "How the page loads").
const tag = document.querySelector("script[data-intake-js]");
const here = new URL(tag.dataset.intakeJs, document.baseURI);
// A module loader: loads once, and tries again after a failure.
const loader = (name) => {
  let loading;
  return () =>
    (loading ??= (async () => {
      const m = await import(new URL(tag.dataset[name + "Js"], here).href);
      await m.default({ module_or_path: new URL(tag.dataset[name + "Wasm"], here) });
      return m;
    })().catch((e) => {
      loading = undefined;
      throw e;
    }));
};
globalThis.massageIntakeRules = loader("rules");
const form = loader("form");
globalThis.massageIntakePrefetch = () => {
  form().catch(() => {});
  globalThis.massageIntakeRules().catch(() => {});
};
globalThis.massageIntakeStart = async (focus) => {
  globalThis.massageIntakeRules().catch(() => {});
  await (await form()).mount_form(focus);
};
// While a submission is unsent, leaving the page asks first (a listener only then).
const ask = (e) => {
  e.preventDefault();
  e.returnValue = "";
};
globalThis.massageIntakeUnsent = (unsent) =>
  unsent ? addEventListener("beforeunload", ask) : removeEventListener("beforeunload", ask);
const { default: init } = await import(here.href);
await init({ module_or_path: tag.dataset.intakeWasm });
