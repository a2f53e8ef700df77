//! Read aloud on a real page: a device with a Portuguese voice of its own
//! (the browser's speech synthesis stood in for, recording what it is
//! asked, since headless Chromium has no voices) shows the Listen buttons
//! on the education and on the form's steps, reads in Portuguese with that
//! voice, and stops when the patient moves on. axe-core finds nothing wrong
//! with the buttons shown.

use intake_e2e::{Browser, Receiver};
use serde_json::json;

/// The stand-in, installed before the page's own scripts run.
const SPEECH: &str = "(() => {\
  window.miSpoken = [];\
  const synth = { speaking: false, pending: false, onvoiceschanged: null, current: null,\
    voices: [{ name: 'Nuvem', lang: 'pt-BR', localService: false }, { name: 'Joana', lang: 'pt-BR', localService: true }],\
    getVoices() { return this.voices; },\
    speak(u) { miSpoken.push({ text: u.text, lang: u.lang, voice: u.voice && u.voice.name }); this.speaking = true; this.current = u; },\
    cancel() { miSpoken.push('cancel'); const u = this.current; this.current = null; this.speaking = false; if (u && u.onend) u.onend(); } };\
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });\
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };\
})();";

async fn spoken(browser: &Browser) -> Vec<serde_json::Value> {
    browser
        .eval("return window.miSpoken;")
        .await
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portuguese_patient_hears_a_section_and_a_step_with_the_device_s_voice() {
    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": SPEECH }),
        )
        .await;
    browser.viewport(390, 844).await;
    browser.open(&receiver.url("/?lang=pt")).await;
    browser.wait_for(".mi-learn [data-start]").await;
    let shown = browser
        .eval("return document.querySelectorAll('.mi-learn [data-listen]:not([hidden])').length;")
        .await;
    assert_eq!(shown, 8, "one per section");
    browser.screenshot("listen-pt-learn-phone").await;
    browser.click("#mi-learn-what-panel [data-listen]").await;
    let said = spoken(&browser).await;
    let last = said.last().cloned().unwrap_or_default();
    assert_eq!(last["lang"], "pt");
    assert_eq!(
        last["voice"], "Joana",
        "the device's own voice, never the network's"
    );
    assert!(
        last["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("O que é massagem médica?")),
        "{last}"
    );
    let found = browser.axe().await;
    assert!(found.is_empty(), "axe with the Listen buttons: {found:#?}");
    browser.viewport(1024, 768).await;
    browser.screenshot("listen-pt-learn-tablet").await;
    // Into the form: the reading stops; step 1 has its own button.
    browser.click(".mi-learn [data-start]").await;
    browser.wait_for("#mi-patient-given-name").await;
    assert!(spoken(&browser).await.contains(&json!("cancel")));
    browser.wait_for(".mi-listen:not([hidden])").await;
    browser.click(".mi-listen").await;
    let last = spoken(&browser).await.last().cloned().unwrap_or_default();
    assert!(
        last["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Sobre você")),
        "{last}"
    );
    let found = browser.axe().await;
    assert!(
        found.is_empty(),
        "axe on a step with its Listen button: {found:#?}"
    );
    browser.screenshot("listen-pt-about-tablet").await;
    browser.viewport(390, 844).await;
    browser.screenshot("listen-pt-about-phone").await;
    browser.quit().await;
}
