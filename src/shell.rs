//! The first view, without Leptos: the header, any configuration notice, the
//! education and the footer, written as markup, with one delegated click
//! handler for the disclosures and the way into the intake.
//!
//! The intake form is a second module (`intake-form`, the Leptos app) that
//! `boot.js` fetches once this view is on screen and starts on the patient's
//! tap (through `bridge::prefetch` and `bridge::start`), so a visitor waits
//! only for what they first see.

use intake_core::config::{ConfigProblem, ResolvedConfig, StartView, WidgetConfig};
use intake_core::{Catalog, Msg};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::dom::ROOT_ID;
use crate::learn::html as learn_html;
use crate::markup::{escape, tel_sentence};

/// Installs a panic hook that never prints the panic's own text: that could
/// quote a patient's answer, and the console is no place for health information.
pub fn quiet_panics() {
    std::panic::set_hook(Box::new(|_| {
        web_sys::console::error_1(&"massage-intake stopped after an internal error".into());
    }));
}

/// Loads the configuration, then shows the first view in place of the page's
/// static "Loading…" line.
pub fn start() {
    quiet_panics();
    start_again();
}

/// Loads the configuration and shows the first view (again, after a kiosk
/// reset).
pub fn start_again() {
    wasm_bindgen_futures::spawn_local(async {
        let resolved = crate::config::load().await;
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if let Some(boot) = document.get_element_by_id("mi-boot") {
            boot.remove();
        }
        let (Ok(root), Some(body)) = (document.create_element("div"), document.body()) else {
            return;
        };
        root.set_id(ROOT_ID);
        let _ = body.append_child(&root);
        crate::locale::use_locale(crate::locale::choose(&resolved)).await;
        show(&root, resolved);
    });
}

/// The education only, in `target` on a clinic's page, with the configuration
/// and the texts from the widget's own origin (`base`), in `lang` when it is
/// one the widget speaks.
pub fn mount_inline(target: web_sys::Element, base: String, primary: String, lang: String) {
    quiet_panics();
    wasm_bindgen_futures::spawn_local(async move {
        let mut resolved =
            crate::config::load_from(&format!("{base}{}", crate::config::CONFIG_FILE)).await;
        // The host element's data-lang, else as on the widget's own page.
        let locale = intake_core::Locale::from_tag(&lang)
            .unwrap_or_else(|| crate::locale::choose(&resolved));
        crate::locale::use_locale_at(&base, locale).await;
        resolved.config.view = StartView::LearnOnly;
        // Whatever the host page's address says, this is an embed.
        resolved.config.mode = intake_core::Mode::Embedded;
        if !primary.is_empty() {
            match intake_core::config::readable_primary(&primary) {
                Some(color) => resolved.config.primary_color = Some(color),
                None => resolved
                    .problems
                    .push(ConfigProblem::BadValue("data-primary".to_owned())),
            }
        }
        resolved
            .problems
            .retain(|p| !matches!(p, ConfigProblem::NoEndpoint));
        show_in(&target, resolved, true);
    });
}

/// The clinic's colour on `root`, through the style object (no `style`
/// attribute, which the policy forbids).
pub fn apply_theme(root: &web_sys::Element, config: &WidgetConfig) {
    if let (Some(color), Some(root)) = (
        &config.primary_color,
        root.dyn_ref::<web_sys::HtmlElement>(),
    ) {
        let style = root.style();
        let _ = style.set_property("--mi-primary", color);
        let _ = style.set_property("--mi-primary-hover", color);
    }
}

thread_local! {
    /// The first view's click handler (see [`show_in`]).
    static CLICKS: Closure<dyn Fn(web_sys::MouseEvent)> =
        Closure::<dyn Fn(web_sys::MouseEvent)>::new(on_click);
}

/// A click in a first view: Start opens the form, a section's button toggles it.
fn on_click(ev: web_sys::MouseEvent) {
    let Some(root) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let button = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|t| t.closest("button").ok().flatten());
    if let Some(button) = button {
        if button.has_attribute("data-start") {
            crate::speech::stop();
            open_form(root, true, None);
        } else if let Some(tag) = button.get_attribute("data-lang") {
            crate::speech::stop();
            switch_language(root, &tag);
        } else if button.has_attribute("data-listen") {
            if let Ok(Some(section)) = button.closest("section") {
                let text = crate::speech::text_in(&section, crate::speech::SECTION_TEXT);
                crate::speech::toggle(&button, &text);
            }
        } else {
            toggle(&root, &button);
        }
    }
}

/// Shows the first view again in another language, and keeps the focus on
/// the switch.
fn switch_language(root: web_sys::Element, tag: &str) {
    let Some(locale) = intake_core::Locale::from_tag(tag) else {
        return;
    };
    crate::locale::remember_choice(locale);
    wasm_bindgen_futures::spawn_local(async move {
        let resolved = crate::config::load().await;
        if crate::locale::use_locale(locale).await {
            show(&root, resolved);
            focus_lang(locale);
        }
    });
}

/// Focuses the switch's button for `locale`.
pub fn focus_lang(locale: intake_core::Locale) {
    if let Some(button) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&format!("mi-lang-{}", locale.tag())))
        .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = button.focus();
    }
}

/// Shows the first view in `root` and wires its buttons.
pub fn show(root: &web_sys::Element, resolved: ResolvedConfig) {
    show_in(root, resolved, false);
}

/// [`show`]; `inline` on a clinic's own page, which has its own `h1`,
/// header and `main`: the education then starts at its `h2`, in a plain block.
fn show_in(root: &web_sys::Element, resolved: ResolvedConfig, inline: bool) {
    let catalog = crate::locale::catalog();
    let config = &resolved.config;
    let can_start = config.endpoint.is_some();
    apply_theme(root, config);
    let kiosk = config.mode == intake_core::Mode::Kiosk;
    root.set_class_name(if kiosk {
        "mi-root mi-root--kiosk"
    } else {
        "mi-root"
    });
    if kiosk {
        crate::kiosk::watch(config, start_again);
    }
    let _ = root.set_attribute("lang", catalog.locale().tag());
    // A reload mid-form (its history entry names a step) comes back to the form.
    let straight_to_form = can_start
        && (config.view == StartView::Intake
            || (!kiosk && crate::intake::history::current().is_some()));
    let main = if straight_to_form {
        format!(
            r#"<p class="mi-boot" role="status">{}</p>"#,
            escape(catalog.text(Msg::LearnOpening))
        )
    } else {
        format!(
            r#"<section class="mi-learn" aria-labelledby="mi-learn-heading">{}</section>"#,
            learn_html(catalog, config, can_start)
        )
    };
    let (header, main_tag) = if inline {
        (String::new(), "div")
    } else {
        (
            format!(
                r#"<header class="mi-header">{}</header>"#,
                header_html(catalog, config)
            ),
            "main",
        )
    };
    root.set_inner_html(&format!(
        concat!(
            r#"{header}{notice}"#,
            r#"<{main_tag} class="mi-main"><p id="mi-start-status" class="mi-start-status" role="alert" hidden></p>{main}</{main_tag}>{footer}"#
        ),
        header = header,
        main_tag = main_tag,
        notice = notice_html(catalog, &resolved.problems),
        main = main,
        footer = if config.view == StartView::LearnOnly {
            // The education-only view ends with the number to book already.
            String::new()
        } else {
            footer_html(catalog, config)
        },
    ));
    crate::speech::reveal(root);
    // One handler for every first view of the page's life: a kiosk shows a
    // new one after each patient, and a handler per view (holding its root)
    // kept every old view in memory.
    CLICKS.with(|clicks| {
        let _ = root.add_event_listener_with_callback("click", clicks.as_ref().unchecked_ref());
    });
    if resolved.problems.iter().any(ConfigProblem::blocks_sending)
        && config.view != StartView::LearnOnly
    {
        crate::bridge::event("error", &[("code", "configuration")]);
    } else {
        crate::bridge::event("ready", &[]);
    }
    if straight_to_form {
        // Should the form not load, the education takes its place.
        open_form(root.clone(), false, Some(config.clone()));
    } else if can_start && config.view != StartView::LearnOnly {
        // With a clinic key the sealing module comes too, and the FHIR
        // writer when the clinic asks for FHIR: everything a send needs is
        // in the page before the patient can press Send.
        let _ = crate::bridge::prefetch(
            config.public_key.is_some(),
            config.format == intake_core::config::Format::Fhir,
        );
    }
}

/// Hands over to the form module; says so if it cannot be loaded, and keeps
/// this view so the patient can read on or try again.
/// With `education_for` (straight to the form, nothing else on screen), the
/// education for that configuration takes the form's place if it cannot load.
fn open_form(root: web_sys::Element, focus: bool, education_for: Option<WidgetConfig>) {
    let catalog = crate::locale::catalog();
    // A second tap after a failure starts afresh.
    if let Some(status) = root.query_selector("#mi-start-status").ok().flatten() {
        let _ = status.set_attribute("hidden", "");
    }
    wasm_bindgen_futures::spawn_local(async move {
        if crate::bridge::start(focus).await.is_ok() {
            crate::bridge::event("started", &[]);
        } else {
            crate::bridge::event("error", &[("code", "form_unavailable")]);
            if let Some(status) = root.query_selector("#mi-start-status").ok().flatten() {
                status.set_text_content(Some(catalog.text(Msg::LearnFormUnavailable)));
                let _ = status.remove_attribute("hidden");
            }
            // Straight to the form and it failed: show the education instead.
            if let Some(config) = education_for {
                let education = learn_html(catalog, &config, true);
                if let Some(main) = root.query_selector(".mi-main").ok().flatten() {
                    let _ = main.insert_adjacent_html(
                        "beforeend",
                        &format!(
                            r#"<section class="mi-learn" aria-labelledby="mi-learn-heading">{education}</section>"#
                        ),
                    );
                    if let Some(opening) = main.query_selector(".mi-boot").ok().flatten() {
                        opening.remove();
                    }
                }
            }
        }
    });
}

/// Opens or closes the panel a disclosure button controls. The panel is
/// looked up inside the view, so this works in a shadow root too.
fn toggle(root: &web_sys::Element, button: &web_sys::Element) {
    let Some(panel_id) = button.get_attribute("aria-controls") else {
        return;
    };
    let open = button.get_attribute("aria-expanded").as_deref() == Some("true");
    let _ = button.set_attribute("aria-expanded", if open { "false" } else { "true" });
    if let Ok(Some(panel)) = root.query_selector(&format!("#{panel_id}")) {
        // Closing the section being read moves on from it.
        if open
            && panel
                .query_selector("[data-speaking]")
                .ok()
                .flatten()
                .is_some()
        {
            crate::speech::stop();
        }
        let _ = panel.toggle_attribute_with_force("hidden", open);
    }
}

/// The inside of the header: the clinic's name, when configured, and the title.
pub fn header_html(catalog: &Catalog, config: &WidgetConfig) -> String {
    let brand = config
        .clinic_name
        .as_deref()
        .map(|name| format!(r#"<p class="mi-brand">{}</p>"#, escape(name)))
        .unwrap_or_default();
    format!(
        r#"{brand}<h1 class="mi-title">{}</h1>{}"#,
        escape(catalog.text(Msg::AppTitle)),
        crate::locale::switch_html(catalog.locale())
    )
}

/// The notice listing the configuration's problems, or nothing.
pub fn notice_html(catalog: &Catalog, problems: &[ConfigProblem]) -> String {
    if problems.is_empty() {
        return String::new();
    }
    let mut items = String::new();
    for problem in problems {
        let (msg, args) = problem.message();
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        items += &format!("<li>{}</li>", escape(&catalog.format(msg, &args)));
    }
    format!(
        r#"<section class="mi-notice" aria-labelledby="mi-notice-title"><h2 id="mi-notice-title">{}</h2><ul>{items}</ul></section>"#,
        escape(
            catalog.text(if problems.iter().any(ConfigProblem::blocks_sending) {
                Msg::ConfigNoticeTitle
            } else {
                Msg::ConfigNoticeTitleSettings
            })
        )
    )
}

/// The footer with the clinic's number as a `tel:` link, or nothing.
pub fn footer_html(catalog: &Catalog, config: &WidgetConfig) -> String {
    let Some(phone) = &config.clinic_phone else {
        return String::new();
    };
    let clinic = config
        .clinic_name
        .as_deref()
        .unwrap_or(catalog.text(Msg::ClinicDefaultName));
    format!(
        r#"<footer class="mi-footer"><p>{}</p></footer>"#,
        tel_sentence(catalog, Msg::ClinicCall, clinic, phone)
    )
}
