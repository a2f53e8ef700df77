// Starts the widget without any inline script, so the page runs under
// `script-src 'self' 'wasm-unsafe-eval'`. Trunk writes the content-hashed
// file names into the data attributes of the script element that loads this file.
const tag = document.querySelector("script[data-intake-js]");
const { default: init } = await import(tag.dataset.intakeJs);
await init({ module_or_path: tag.dataset.intakeWasm });
