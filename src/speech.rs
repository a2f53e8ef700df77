//! Read aloud: a "Listen" button on each education section and on each step
//! of the form speaks its text with the browser's own speech synthesis (Web
//! Speech API), in the page's language.
//!
//! - Only voices on the device (`localService`) are used: no text leaves it.
//!   Where the device has none for the page's language, the buttons stay
//!   hidden ([`reveal`]), so nothing is offered that cannot work.
//! - It speaks only when pressed, never by itself (screen-reader users keep
//!   their own reader), and stops when pressed again, when the patient moves
//!   on (another step, the form, another language) or when another section
//!   starts.
//! - What a form step speaks is its heading, questions and hints, made from
//!   the steps' descriptions (`intake::listen`), never an answer: a waiting
//!   room must not hear a patient's answers.
//!
//! The buttons are plain markup (the first view has no Leptos), found by
//! their `data-listen` attribute; a section's text is collected from the
//! page when pressed.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What a section of the education reads: its title, paragraphs, points,
/// and each technique's name and description (the Listen button's own
/// words are not among them).
pub const SECTION_TEXT: &str =
    "h3, .mi-learn-panel > p, .mi-points > li, .mi-topic h4, .mi-topic-text > p";

thread_local! {
    /// The end of an utterance: its button no longer says "Stop". One
    /// closure for every utterance, so none is left behind.
    static ENDED: Closure<dyn Fn()> = Closure::<dyn Fn()>::new(ended);
    /// Voices can arrive after the page: then the buttons are shown.
    static VOICES: Closure<dyn Fn()> = Closure::<dyn Fn()>::new(|| {
        if let Some(page) = page() {
            reveal(&page);
        }
    });
}

fn synth() -> Option<web_sys::SpeechSynthesis> {
    web_sys::window()?.speech_synthesis().ok()
}

/// The whole page, for what is found anywhere in it.
fn page() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

/// The device's own voice for `lang` (`es`, `pt`…), if it has one: one
/// whose tag is the language, alone or with a region (`es-MX`, `pt_BR`).
pub fn voice_for(lang: &str) -> Option<web_sys::SpeechSynthesisVoice> {
    let lang = lang.as_bytes();
    synth()?
        .get_voices()
        .iter()
        // Unchecked: a voice is read through its properties only.
        .map(|v| v.unchecked_into::<web_sys::SpeechSynthesisVoice>())
        .filter(|v| v.local_service())
        .find(|v| {
            let tag = v.lang();
            let tag = tag.as_bytes();
            tag.len() >= lang.len()
                && tag[..lang.len()].eq_ignore_ascii_case(lang)
                && matches!(tag.get(lang.len()), None | Some(b'-' | b'_'))
        })
}

/// The language an element is in: its nearest `lang`.
fn lang_of(el: &web_sys::Element) -> String {
    el.closest("[lang]")
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute("lang"))
        .unwrap_or_else(|| "en".to_owned())
}

/// Shows each Listen button under `root` whose language has a voice on this
/// device, and hides the others. Voices that load later show them then.
pub fn reveal(root: &web_sys::Element) {
    let Some(synth) = synth() else {
        return;
    };
    VOICES.with(|v| synth.set_onvoiceschanged(Some(v.as_ref().unchecked_ref())));
    for button in all(root, "[data-listen]") {
        let _ =
            button.toggle_attribute_with_force("hidden", voice_for(&lang_of(&button)).is_none());
    }
}

/// The elements under `root` matching `selector`.
fn all(root: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.unchecked_into::<web_sys::Element>())
        .collect()
}

/// The text of what `selector` finds in `container` and can be seen, in
/// document order, a line each.
pub fn text_in(container: &web_sys::Element, selector: &str) -> String {
    let mut text = String::new();
    for el in all(container, selector) {
        if el.closest("[hidden]").ok().flatten().is_none() {
            text.extend(el.text_content());
            text.push('\n');
        }
    }
    text
}

/// A Listen button was pressed: stops what is being read and, unless it was
/// this button's own text, reads `text` in the button's language.
pub fn toggle(button: &web_sys::Element, text: &str) {
    let was_speaking = button.has_attribute("data-speaking");
    stop();
    if was_speaking {
        return;
    }
    let lang = lang_of(button);
    let (Some(synth), Some(voice)) = (synth(), voice_for(&lang)) else {
        return;
    };
    let Ok(utterance) = web_sys::SpeechSynthesisUtterance::new_with_text(text) else {
        return;
    };
    utterance.set_lang(&lang);
    utterance.set_voice(Some(&voice));
    // A little slower than the default: many of the clinic's patients are older.
    utterance.set_rate(0.9);
    ENDED.with(|ended| {
        utterance.set_onend(Some(ended.as_ref().unchecked_ref()));
        utterance.set_onerror(Some(ended.as_ref().unchecked_ref()));
    });
    synth.speak(&utterance);
    let _ = button.set_attribute("data-speaking", "");
}

/// Stops reading, whatever is being read.
pub fn stop() {
    if let Some(synth) = synth() {
        synth.cancel();
    }
    mark_silent();
}

fn ended() {
    // A cancelled utterance ends after the next one has started: only when
    // nothing is left to say are the buttons reset.
    if synth().is_some_and(|s| !s.speaking() && !s.pending()) {
        mark_silent();
    }
}

fn mark_silent() {
    if let Some(page) = page() {
        for button in all(&page, "[data-speaking]") {
            let _ = button.remove_attribute("data-speaking");
        }
    }
}

/// A Listen button's markup for the first view: hidden until a voice is
/// known; "Listen" or, while reading, "Stop reading", with what it reads
/// (`about`) for screen readers.
pub fn button_html(listen: &str, stop: &str, about: &str) -> String {
    format!(
        concat!(
            r#"<button type="button" class="mi-listen" data-listen hidden>"#,
            r#"<span class="mi-listen-start">{listen}</span><span class="mi-listen-stop">{stop}</span>"#,
            r#"<span class="mi-sr-only">: {about}</span></button>"#
        ),
        listen = listen,
        stop = stop,
        about = about,
    )
}
