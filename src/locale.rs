//! The language in use. English is built in; Spanish and Portuguese are
//! fetched (`locales/es.lines`, made from `locales/es.txt` by the build and sent compressed) only when a patient needs
//! them, so a language nobody uses costs the page nothing.
//!
//! Which language: one chosen with the switch on this page (kept in
//! the page for both modules to read, see `bridge`, and a kiosk reset
//! clears it), else the URL's `lang`, else the clinic's configured `locale`,
//! else the browser's preferred languages, else English.

use std::cell::{Cell, RefCell};

use intake_core::{Catalog, Locale, ResolvedConfig};
use wasm_bindgen::JsValue;

thread_local! {
    static CURRENT: Cell<Option<&'static Catalog>> = const { Cell::new(None) };
    static LOADED: RefCell<Vec<&'static Catalog>> = const { RefCell::new(Vec::new()) };
}

fn keep(catalog: Catalog) -> &'static Catalog {
    LOADED.with(|loaded| {
        let mut loaded = loaded.borrow_mut();
        if let Some(same) = loaded.iter().find(|c| c.locale() == catalog.locale()) {
            return *same;
        }
        let kept: &'static Catalog = Box::leak(Box::new(catalog));
        loaded.push(kept);
        kept
    })
}

/// The English texts. The first view has them built in, but for those shown
/// only after sending; the form module, built with the `borrowed-english`
/// feature, takes them from the first view (`boot.js` hands them over as
/// `massageIntakeEnglish`), so a page carries them once, and adds those.
pub fn english() -> Catalog {
    // The first view: without the texts shown only after sending.
    #[cfg(not(feature = "borrowed-english"))]
    return Catalog::english_before_send();
    #[cfg(feature = "borrowed-english")]
    {
        crate::bridge::english()
            // A page that opens on the form has no first view: the texts
            // were fetched (see `fetch_english`).
            .or_else(|| {
                js_sys::Reflect::get(&crate::bridge::fetched_files(), &ENGLISH_FILE.into())
                    .ok()?
                    .as_string()
            })
            .and_then(|lines| Catalog::from_english_lines(&lines))
            .unwrap_or_else(|| Catalog::blank(Locale::En))
    }
}

/// The English texts as a file, for a page without the first view.
pub const ENGLISH_FILE: &str = "locales/en.lines";

/// Fetches the English texts when this module cannot borrow them (a page
/// that opens on the form); false when they cannot be had.
pub async fn fetch_english() -> bool {
    crate::bridge::english().is_some() || crate::fetch::fetch_once(ENGLISH_FILE).await.is_ok()
}

/// The texts in use (English until another language is loaded).
pub fn catalog() -> &'static Catalog {
    CURRENT.with(Cell::get).unwrap_or_else(|| {
        let english = keep(english());
        CURRENT.with(|c| c.set(Some(english)));
        english
    })
}

/// Makes `catalog` the language in use without fetching its file (tests).
#[cfg(all(test, target_arch = "wasm32"))]
pub fn use_catalog(catalog: Catalog) {
    CURRENT.with(|c| c.set(Some(keep(catalog))));
}

/// The language to show, as described at the top of this file.
pub fn choose(resolved: &ResolvedConfig) -> Locale {
    let chosen = crate::bridge::chosen_language().and_then(|tag| Locale::from_tag(&tag));
    let url = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|q| web_sys::UrlSearchParams::new_with_str(&q).ok())
        .and_then(|q| q.get("lang"))
        .and_then(|tag| Locale::from_tag(&tag));
    let configured = Some(resolved.config.locale).filter(|l| *l != Locale::En);
    let browser = || {
        let languages = web_sys::window()?.navigator().languages();
        languages
            .iter()
            .filter_map(|l| l.as_string())
            .find_map(|tag| Locale::from_tag(&tag))
    };
    chosen
        .or(url)
        .or(configured)
        .or_else(browser)
        .unwrap_or(Locale::En)
}

/// Makes `locale` the language in use, fetching its texts the first time.
/// Returns false (and keeps the language in use) when they cannot be had.
pub async fn use_locale(locale: Locale) -> bool {
    use_locale_at("", locale).await
}

/// [`use_locale`], with the widget's files under `base` (the inline embed
/// runs on a clinic's page, from the widget's origin).
pub async fn use_locale_at(base: &str, locale: Locale) -> bool {
    if let Some(kept) = LOADED.with(|l| l.borrow().iter().find(|c| c.locale() == locale).copied()) {
        CURRENT.with(|c| c.set(Some(kept)));
        return true;
    }
    if locale == Locale::En {
        CURRENT.with(|c| c.set(Some(keep(english()))));
        return true;
    }
    // Built by `cargo xtask dist` from `locales/<tag>.txt`, checked there.
    let url = format!("{base}locales/{}.lines", locale.tag());
    let Ok(lines) = crate::fetch::fetch_once(&url).await else {
        return false;
    };
    match Catalog::from_lines(locale, &lines) {
        Some(catalog) => {
            CURRENT.with(|c| c.set(Some(keep(catalog))));
            true
        }
        None => {
            web_sys::console::warn_1(&"massage-intake: a language file could not be read".into());
            false
        }
    }
}

/// Remembers a switch for both modules of this page (not across pages).
pub fn remember_choice(locale: Locale) {
    crate::bridge::set_chosen_language(Some(locale.tag()));
}

/// Forgets a switch (a kiosk reset: the next patient starts afresh).
pub fn forget_choice() {
    crate::bridge::set_chosen_language(None);
}

/// The language switch: one button per language, each named in its own
/// language, the current one pressed.
pub fn switch_html(current: Locale) -> String {
    let mut out =
        String::from(r#"<nav class="mi-langs" aria-label="Language / Idioma / Idioma"><ul>"#);
    for locale in Locale::ALL {
        out.push_str(&format!(
            r#"<li><button type="button" class="mi-lang" id="mi-lang-{tag}" data-lang="{tag}" lang="{tag}" aria-pressed="{pressed}">{name}</button></li>"#,
            tag = locale.tag(),
            pressed = *locale == current,
            name = locale.name(),
        ));
    }
    out.push_str("</ul></nav>");
    out
}

/// The month a consent text's version names (`privacy-2026-11`), as people
/// of `locale` write it ("November 2026", "noviembre de 2026"); `None` when
/// the version names no month.
pub fn version_month(version: &str, locale: Locale) -> Option<String> {
    let month = version.get(version.len().checked_sub(7)?..)?;
    written(
        &format!("{month}-01"),
        locale,
        &[("year", "numeric"), ("month", "long")],
    )
}

/// Formats a `YYYY-MM-DD` date as people of `locale` write it
/// ("April 12, 1961", "12 de abril de 1961"); other text is returned as is.
pub fn date(iso: &str, locale: Locale) -> String {
    written(iso, locale, &[("dateStyle", "long")]).unwrap_or_else(|| iso.to_owned())
}

/// A `YYYY-MM-DD` date through `Intl` with these options (in UTC).
fn written(iso: &str, locale: Locale, options: &[(&str, &str)]) -> Option<String> {
    intake_core::Date::parse(iso)?;
    let date = js_sys::Date::new(&JsValue::from_str(iso));
    let settings = js_sys::Object::new();
    for (key, value) in options.iter().chain(&[("timeZone", "UTC")]) {
        let _ = js_sys::Reflect::set(&settings, &(*key).into(), &(*value).into());
    }
    date.to_locale_date_string(locale.tag(), &settings)
        .as_string()
}
