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
//! - What a form step speaks is its heading, questions and hints, never an
//!   answer ([`FORM_TEXT`]): a waiting room must not hear a patient's answers.
//!
//! The buttons are plain markup (the first view has no Leptos), found by
//! their `data-listen` attribute; the text they read is collected from the
//! page when pressed.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What a section of the education reads: its title, paragraphs, points,
/// and each technique's name and description.
pub const SECTION_TEXT: &str =
    "h3, .mi-learn-panel > p, .mi-points > li, .mi-topic h4, .mi-topic-text > p";

/// What a step of the form reads: the step's heading, its introduction,
/// questions (legends and labels) and hints. Never an input's value, a
/// list of what was entered, or the review's answers.
pub const FORM_TEXT: &str =
    ".mi-intake > h2, .mi-intake > div > p, .mi-step legend, .mi-step label, .mi-step .mi-hint";

thread_local! {
    /// The end of an utterance: its button no longer says "Stop". One
    /// closure for every utterance, so none is left behind.
    static ENDED: Closure<dyn Fn()> = Closure::<dyn Fn()>::new(ended);
    /// Voices can arrive after the page: then the buttons are shown.
    static VOICES: Closure<dyn Fn()> = Closure::<dyn Fn()>::new(|| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            reveal(&document);
        }
    });
}

fn synth() -> Option<web_sys::SpeechSynthesis> {
    web_sys::window()?.speech_synthesis().ok()
}

/// The device's own voice for `lang` (`es`, `pt`…), if it has one.
pub fn voice_for(lang: &str) -> Option<web_sys::SpeechSynthesisVoice> {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or(lang)
        .to_ascii_lowercase();
    synth()?
        .get_voices()
        .iter()
        // Unchecked: a voice is read through its properties only.
        .map(|v| v.unchecked_into::<web_sys::SpeechSynthesisVoice>())
        .filter(|v| v.local_service())
        .find(|v| {
            let tag = v.lang().to_ascii_lowercase();
            tag == primary
                || tag.starts_with(&format!("{primary}-"))
                || tag.starts_with(&format!("{primary}_"))
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
pub fn reveal(root: &web_sys::Node) {
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
fn all(root: &web_sys::Node, selector: &str) -> Vec<web_sys::Element> {
    let list = if let Some(el) = root.dyn_ref::<web_sys::Element>() {
        el.query_selector_all(selector)
    } else if let Some(doc) = root.dyn_ref::<web_sys::Document>() {
        doc.query_selector_all(selector)
    } else {
        return Vec::new();
    };
    let Ok(list) = list else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .collect()
}

/// The text of what `selector` finds in `container` and can be seen, in
/// document order, a line each (the Listen buttons' own words left out).
pub fn text_in(container: &web_sys::Element, selector: &str) -> String {
    all(container, selector)
        .into_iter()
        .filter(|el| el.closest("[hidden]").ok().flatten().is_none())
        .filter_map(|el| {
            let el = el
                .clone_node_with_deep(true)
                .ok()?
                .dyn_into::<web_sys::Element>()
                .ok()?;
            for own in all(&el, "[data-listen], .mi-sr-only") {
                own.remove();
            }
            el.text_content()
        })
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A Listen button was pressed: stops what is being read and, unless it was
/// this button's own text, reads `text` in the button's language.
pub fn toggle(button: &web_sys::Element, text: &str) {
    let was_speaking = button.has_attribute("data-speaking");
    stop();
    if was_speaking || text.is_empty() {
        return;
    }
    if speak(text, &lang_of(button)) {
        let _ = button.set_attribute("data-speaking", "");
    }
}

fn speak(text: &str, lang: &str) -> bool {
    let (Some(synth), Some(voice)) = (synth(), voice_for(lang)) else {
        return false;
    };
    let Ok(utterance) = web_sys::SpeechSynthesisUtterance::new_with_text(text) else {
        return false;
    };
    utterance.set_lang(lang);
    utterance.set_voice(Some(&voice));
    // A little slower than the default: many of the clinic's patients are older.
    utterance.set_rate(0.9);
    ENDED.with(|ended| {
        utterance.set_onend(Some(ended.as_ref().unchecked_ref()));
        utterance.set_onerror(Some(ended.as_ref().unchecked_ref()));
    });
    synth.speak(&utterance);
    true
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
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        for button in all(&document, "[data-speaking]") {
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
