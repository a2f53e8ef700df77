// Starts the widget without any inline script, so the page runs under
// `script-src 'self' 'wasm-unsafe-eval'`. Trunk writes the content-hashed file
// names into the data attributes of the script element that loads this file.
const tag = document.querySelector("script[data-intake-js]");
const here = new URL(tag.dataset.intakeJs, document.baseURI);

// The form's rules (intake-rules) load beside the first view. The widget asks
// for them through this function: one load, tried again after a failure.
let rules;
globalThis.massageIntakeRules = () =>
  (rules ??= (async () => {
    const module = await import(new URL(tag.dataset.rulesJs, here).href);
    await module.default({ module_or_path: new URL(tag.dataset.rulesWasm, here) });
    return module;
  })().catch((error) => {
    rules = undefined;
    throw error;
  }));
globalThis.massageIntakeRules().catch(() => {});

const { default: init } = await import(here.href);
await init({ module_or_path: tag.dataset.intakeWasm });
