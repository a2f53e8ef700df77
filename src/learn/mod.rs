//! The education view: what medical massage is, rendered from the texts.

use intake_core::Msg;
use leptos::either::Either;
use leptos::prelude::*;

use crate::text::use_texts;

/// The sections, each a heading and a body.
const SECTIONS: &[(Msg, Msg)] = &[
    (Msg::LearnWhatTitle, Msg::LearnWhatBody),
    (Msg::LearnPrescriptionTitle, Msg::LearnPrescriptionBody),
];

/// Short education, then the way into the intake (when it can be sent).
#[component]
pub fn Learn(can_start: bool, on_start: Callback<()>) -> impl IntoView {
    let texts = use_texts();
    let sections = SECTIONS
        .iter()
        .map(|(title, body)| {
            view! {
                <section class="mi-card mi-learn-section">
                    <h3>{texts.t(*title)}</h3>
                    <p>{texts.t(*body)}</p>
                </section>
            }
        })
        .collect_view();
    view! {
        <section class="mi-learn" aria-labelledby="mi-learn-heading">
            <h2 id="mi-learn-heading" tabindex="-1">{texts.t(Msg::LearnHeading)}</h2>
            {sections}
            <p class="mi-disclaimer">{texts.t(Msg::LearnDisclaimer)}</p>
            {if can_start {
                Either::Left(view! {
                    <button type="button" class="mi-button mi-button--primary" on:click=move |_| on_start.run(())>
                        {texts.t(Msg::LearnStartIntake)}
                    </button>
                })
            } else {
                Either::Right(view! { <p class="mi-notice">{texts.t(Msg::ConfigIntakeUnavailable)}</p> })
            }}
        </section>
    }
}
