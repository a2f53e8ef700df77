//! The top component: loads the configuration, then Learn -> Intake -> Done.

use intake_core::config::{ResolvedConfig, StartView, WidgetConfig};
use intake_core::{parts, Catalog, Msg, Part};
use leptos::either::EitherOf4;
use leptos::prelude::*;

use crate::intake::IntakeForm;
use crate::learn::Learn;
use crate::text::{use_texts, Texts};

/// Where the patient is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stage {
    Learn,
    Intake,
    Done { reference: String },
}

/// The whole widget, once its configuration is known: provides the texts and
/// shows a notice instead of a blank page when the configuration is wrong.
#[component]
pub fn App(resolved: ResolvedConfig) -> impl IntoView {
    let texts = Texts::new(Catalog::english());
    provide_context(texts);
    view! {
        <div class="mi-root" lang=texts.lang()>
            <Widget resolved />
        </div>
    }
}

/// The widget once its configuration is known.
#[component]
pub fn Widget(resolved: ResolvedConfig) -> impl IntoView {
    let texts = use_texts();
    let ResolvedConfig { config, problems } = resolved;
    let start = match config.view {
        StartView::Intake if config.endpoint.is_some() => Stage::Intake,
        _ => Stage::Learn,
    };
    let stage = RwSignal::new(start);
    let notice = (!problems.is_empty()).then(|| {
        let items = problems
            .iter()
            .map(|p| {
                let (msg, args) = p.message();
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                view! { <li>{texts.f(msg, &args)}</li> }
            })
            .collect_view();
        view! {
            <section class="mi-notice" aria-labelledby="mi-notice-title">
                <h2 id="mi-notice-title">{texts.t(Msg::ConfigNoticeTitle)}</h2>
                <ul>{items}</ul>
            </section>
        }
    });
    let can_send = config.endpoint.is_some();
    let go = move |next: Stage, heading: &'static str| {
        stage.set(next);
        focus_when_rendered(heading);
    };
    let body = {
        let config = config.clone();
        move || match stage.get() {
            Stage::Learn => EitherOf4::A(view! {
                <Learn can_start=can_send on_start=Callback::new(move |()| go(Stage::Intake, "mi-intake-heading")) />
            }),
            Stage::Intake => match config.endpoint.clone() {
                Some(endpoint) => EitherOf4::B(view! {
                    <IntakeForm
                        endpoint
                        mode=config.mode
                        timeout_seconds=config.send_timeout_seconds
                        on_done=Callback::new(move |reference| go(Stage::Done { reference }, "mi-done-heading"))
                    />
                }),
                None => EitherOf4::C(
                    view! { <p class="mi-notice">{texts.t(Msg::ConfigIntakeUnavailable)}</p> },
                ),
            },
            Stage::Done { reference } => EitherOf4::D(view! { <Done reference /> }),
        }
    };
    view! {
        <header class="mi-header">
            {config.clinic_name.clone().map(|name| view! { <p class="mi-brand">{name}</p> })}
            <h1 class="mi-title">{texts.t(Msg::AppTitle)}</h1>
        </header>
        {notice}
        <main class="mi-main">{body}</main>
        <ClinicFooter config />
    }
}

/// The thank-you screen with the receiver's reference.
#[component]
fn Done(reference: String) -> impl IntoView {
    let texts = use_texts();
    let (before, after) = split_placeholder(texts.t(Msg::DoneReference), "reference");
    view! {
        <section class="mi-card mi-done" aria-labelledby="mi-done-heading">
            <h2 id="mi-done-heading" tabindex="-1">{texts.t(Msg::DoneHeading)}</h2>
            <p class="mi-done-reference">
                {before}<strong class="mi-reference" data-reference=reference.clone()>{reference.clone()}</strong>{after}
            </p>
            <p>{texts.t(Msg::DoneNext)}</p>
        </section>
    }
}

/// "Questions? Call the clinic at <tel link>", when the clinic gave a number.
#[component]
fn ClinicFooter(config: WidgetConfig) -> impl IntoView {
    let texts = use_texts();
    config.clinic_phone.map(|phone| {
        let clinic = config.clinic_name.as_deref().unwrap_or(texts.t(Msg::ClinicDefaultName));
        let sentence = texts.f(Msg::ClinicCall, &[("clinic", clinic)]);
        let (before, after) = split_placeholder(&sentence, "phone");
        view! {
            <footer class="mi-footer">
                <p>{before}<a class="mi-tel" href=format!("tel:{}", phone.e164())>{phone.display()}</a>{after}</p>
            </footer>
        }
    })
}

/// Splits a text around the placeholder `name`, so a link or emphasis can sit
/// inside a translated sentence wherever that language puts it.
pub fn split_placeholder(text: &str, name: &str) -> (String, String) {
    let (mut before, mut after, mut seen) = (String::new(), String::new(), false);
    for part in parts(text) {
        match part {
            Part::Placeholder(p) if p == name && !seen => seen = true,
            Part::Placeholder(p) => {
                let side = if seen { &mut after } else { &mut before };
                side.push('{');
                side.push_str(p);
                side.push('}');
            }
            Part::Text(t) => (if seen { &mut after } else { &mut before }).push_str(t),
        }
    }
    (before, after)
}

/// Moves keyboard and screen-reader focus to the element `id` once it exists.
pub fn focus_when_rendered(id: &'static str) {
    request_animation_frame(move || focus_by_id(id));
}

/// Focuses the element `id`, if there is one.
pub fn focus_by_id(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

#[cfg(test)]
mod tests {
    use super::split_placeholder;

    #[test]
    fn placeholders_split_wherever_the_language_puts_them() {
        assert_eq!(
            split_placeholder("Call {phone} now.", "phone"),
            ("Call ".into(), " now.".into())
        );
        assert_eq!(
            split_placeholder("{phone}", "phone"),
            (String::new(), String::new())
        );
        assert_eq!(
            split_placeholder("No number", "phone"),
            ("No number".into(), String::new())
        );
        assert_eq!(
            split_placeholder("{a} then {phone}", "phone"),
            ("{a} then ".into(), String::new())
        );
    }
}
