//! The intake form's top component: the form, then Done. The education and
//! the first view live in [`crate::shell`], which hands over to this.

use intake_core::config::{ResolvedConfig, StartView, WidgetConfig};
use intake_core::{parts, Msg, Part};
use leptos::either::EitherOf3;
use leptos::prelude::*;

use crate::dom::focus_when_rendered;
use crate::intake::{FormState, IntakeForm};
use crate::shell::{footer_html, header_html, notice_html};
use crate::text::{use_texts, Texts};

/// Where the patient is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stage {
    Intake,
    Done { reference: String },
}

/// The whole form, once its configuration is known. The texts are reactive:
/// a language switch renders the widget again, in place, in the other
/// language, over the same form state and stage (nothing is mounted again).
#[component]
pub fn App(resolved: ResolvedConfig) -> impl IntoView {
    let language = RwSignal::new(crate::locale::catalog());
    let config = &resolved.config;
    let class = if config.mode == intake_core::Mode::Kiosk {
        "mi-root mi-root--kiosk"
    } else {
        "mi-root"
    };
    let form = FormState::new(config.mode, config.public_key.is_some());
    let stage = RwSignal::new(Stage::Intake);
    view! {
        <div class=class id=crate::dom::ROOT_ID lang=move || language.get().locale().tag()>
            {move || {
                provide_context(Texts::from_static(language.get()));
                let resolved = resolved.clone();
                view! { <Widget resolved form stage language /> }
            }}
        </div>
    }
}

/// The form and what follows it, under the same header, notice and footer as
/// the first view (the same markup, from [`crate::shell`]).
#[component]
fn Widget(
    resolved: ResolvedConfig,
    form: FormState,
    stage: RwSignal<Stage>,
    language: RwSignal<&'static intake_core::Catalog>,
) -> impl IntoView {
    let texts = use_texts();
    let catalog = texts.catalog();
    let ResolvedConfig { config, problems } = resolved;
    let body = {
        let config = config.clone();
        move || match (stage.get(), config.endpoint.clone()) {
            (Stage::Done { reference }, _) => {
                EitherOf3::A(view! { <Done reference config=config.clone() form /> })
            }
            (Stage::Intake, Some(endpoint)) => EitherOf3::B(view! {
                <IntakeForm
                    form=Some(form)
                    endpoint
                    mode=config.mode
                    timeout_seconds=config.send_timeout_seconds
                    format=config.format
                    public_key=config.public_key.clone()
                    privacy_url=config.privacy_notice_url.clone()
                    on_done=Callback::new(move |reference: String| {
                        crate::bridge::event("submitted", &[("reference", &reference)]);
                        stage.set(Stage::Done { reference });
                        focus_when_rendered("mi-done-heading");
                    })
                />
            }),
            (Stage::Intake, None) => EitherOf3::C(
                view! { <p class="mi-notice">{texts.t(Msg::ConfigIntakeUnavailable)}</p> },
            ),
        }
    };
    // The language switch: the widget renders again in the other language
    // with every answer, on the same step (or the same thank-you screen).
    let switch_language = move |ev: leptos::ev::MouseEvent| {
        let Some(locale) = crate::dom::data_of(&ev, "data-lang")
            .and_then(|tag| intake_core::Locale::from_tag(&tag))
        else {
            return;
        };
        if locale == texts.catalog().locale() {
            return;
        }
        crate::speech::stop();
        crate::locale::remember_choice(locale);
        crate::bridge::set_lang(locale.tag());
        leptos::task::spawn_local(async move {
            if crate::locale::use_locale(locale).await
                && language.try_set(crate::locale::catalog()).is_none()
            {
                request_animation_frame(move || crate::shell::focus_lang(locale));
            }
        });
    };
    let footer = (config.view != StartView::LearnOnly)
        .then(|| footer_html(catalog, &config))
        .filter(|f| !f.is_empty());
    view! {
        <header class="mi-header" inner_html=header_html(catalog, &config) on:click=switch_language></header>
        <div inner_html=notice_html(catalog, &problems)></div>
        <main class="mi-main">{body}</main>
        {footer.map(|f| view! { <div inner_html=f></div> })}
    }
}

/// The thank-you screen with the receiver's reference, then what to expect
/// at the first visit, made from the patient's answers: on a personal device
/// the whole of it, with a button to print it; on a kiosk the short version,
/// with nothing of their health, and nothing to print.
#[component]
fn Done(reference: String, config: WidgetConfig, form: FormState) -> impl IntoView {
    use crate::markup::escape;
    let texts = use_texts();
    let kiosk = config.mode == intake_core::Mode::Kiosk;
    let (before, after) = split_placeholder(texts.t(Msg::DoneReference), "reference");
    let facts = form
        .draft
        .with_untracked(|d| crate::intake::expect_facts(d, config.mode, texts.lang()));
    // Static once shown, so written as markup, like what to expect.
    let reference = escape(&reference);
    let mut done = format!(
        concat!(
            r#"<h2 id="mi-done-heading" tabindex="-1">{heading}</h2>"#,
            r#"<p class="mi-done-reference">{before}<strong class="mi-reference" data-reference="{reference}">{reference}</strong>{after}</p>"#
        ),
        heading = escape(texts.t(Msg::DoneHeading)),
        before = escape(&before),
        reference = reference,
        after = escape(&after),
    );
    // On the kiosk the patient is already here: no "when you arrive".
    done += &if kiosk {
        format!(
            r#"<p class="mi-hand-back">{}</p>"#,
            escape(texts.t(Msg::DoneHandBack))
        )
    } else {
        format!("<p>{}</p>", escape(texts.t(Msg::DoneNext)))
    };
    let mut expect = format!(
        "<div>{}</div>",
        expect_html(texts.catalog(), &config, &facts)
    );
    if !kiosk {
        expect += &format!(
            r#"<button type="button" class="mi-button mi-button--secondary mi-print" data-print>{}</button>"#,
            escape(texts.t(Msg::ExpectPrint))
        );
    }
    let print = |ev: leptos::ev::MouseEvent| {
        if crate::dom::data_of(&ev, "data-print").is_some() {
            let _ = window().print();
        }
    };
    view! {
        <section class="mi-card mi-done" aria-labelledby="mi-done-heading" inner_html=done></section>
        <section class="mi-card mi-expect" aria-labelledby="mi-expect-heading" inner_html=expect on:click=print></section>
    }
}

/// What to expect, as markup (static once shown, so written as a string
/// like the education: far smaller than rendering code): the heading, the
/// visit, how it starts, the likely techniques, what to bring, how the visit
/// is adapted, and the clinic's number. On a kiosk, the short version.
pub fn expect_html(
    catalog: &intake_core::Catalog,
    config: &WidgetConfig,
    facts: &intake_core::expect::Facts,
) -> String {
    use crate::markup::escape;
    let kiosk = config.mode == intake_core::Mode::Kiosk;
    let shown =
        intake_core::expect::what_to_expect(facts, catalog, &config.learn, &config.expect, kiosk);
    let heading = if kiosk {
        Msg::ExpectKioskHeading
    } else {
        Msg::ExpectHeading
    };
    let mut out = format!(
        r#"<h2 id="mi-expect-heading">{}</h2>"#,
        escape(catalog.text(heading))
    );
    for p in [&shown.visit, &shown.first, &shown.techniques_intro]
        .into_iter()
        .flatten()
    {
        out += &format!("<p>{}</p>", escape(p));
    }
    let list = |out: &mut String, class: &str, items: Vec<String>| {
        if !items.is_empty() {
            *out += &format!(r#"<ul class="{class}">"#);
            for item in items {
                *out += &format!("<li>{item}</li>");
            }
            *out += "</ul>";
        }
    };
    let techniques = shown
        .techniques
        .iter()
        .map(|t| format!("<strong>{}</strong> {}", escape(&t.name), escape(&t.what)))
        .collect();
    list(&mut out, "mi-expect-techniques", techniques);
    for (heading, class, items) in [
        (Msg::ExpectBringHeading, "mi-expect-bring", shown.bring),
        (
            Msg::ExpectAdaptedHeading,
            "mi-expect-adapted",
            shown.adapted,
        ),
    ] {
        if !items.is_empty() {
            out += &format!("<h3>{}</h3>", escape(catalog.text(heading)));
            list(&mut out, class, items.iter().map(|i| escape(i)).collect());
        }
    }
    if let Some(phone) = &config.clinic_phone {
        let clinic = config
            .clinic_name
            .as_deref()
            .unwrap_or(catalog.text(Msg::ClinicDefaultName));
        out += &format!(
            r#"<p class="mi-expect-call">{}</p>"#,
            crate::markup::tel_sentence(catalog, Msg::ExpectCall, clinic, phone)
        );
    }
    out
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

#[cfg(test)]
mod tests {
    use super::{expect_html, split_placeholder};
    use intake_core::config::resolve;
    use intake_core::expect::Facts;
    use intake_core::{Catalog, FlagCode, Msg};

    #[test]
    fn what_to_expect_is_escaped_markup_with_the_clinics_number_and_a_kiosk_says_little() {
        let en = Catalog::english();
        let facts = Facts {
            flags: vec![FlagCode::SurgeryClearance, FlagCode::LightPressure],
            goals: vec![intake_core::vocab::Goal::ReduceStress],
            ..Facts::default()
        };
        let mut home = resolve(
            Ok(r#"{"endpoint":"/a","clinic_name":"A&B <Clinic>","clinic_phone":"401-423-4433"}"#),
            "",
        )
        .config;
        // Read by the form's build of the configuration (the first view's leaves it).
        home.expect = intake_core::expect::parse_overrides(
            &intake_core::value::ConfigValue::from_json(serde_json::json!({
                "visit": "<b>One hour</b>"
            })),
        )
        .0;
        let html = expect_html(&en, &home, &facts);
        assert!(html.starts_with(r#"<h2 id="mi-expect-heading">What to expect at your first visit</h2><p>&lt;b&gt;One hour&lt;/b&gt;</p>"#), "{html}");
        assert!(html.contains(en.text(Msg::ExpectBringSurgeryClearance)));
        assert!(html.contains(r#"<ul class="mi-expect-adapted"><li>"#));
        assert!(html.contains(r#"<a class="mi-tel" href="tel:+14014234433">"#));
        assert!(html.contains("A&amp;B &lt;Clinic&gt;"));
        assert!(!html.contains("<b>"));
        let kiosk = resolve(Ok(r#"{"endpoint":"/a","mode":"kiosk"}"#), "").config;
        let short = expect_html(&en, &kiosk, &facts);
        assert!(short.contains(en.text(Msg::ExpectKioskHeading)));
        assert!(!short.contains("<ul") && !short.contains("<h3"), "{short}");
    }

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
