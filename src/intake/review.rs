//! Review: every answer in words, grouped by step, each group with an Edit
//! button (`data-edit` holds the step's index in [`Step::ALL`]). Written as
//! markup once per visit to the step; nothing in it changes while it shows.

use intake_core::{FieldError, IntakeDraft, Msg, Step};

use super::figure::region_name;
use super::spec::{option_label, Binding, FieldSpec, Kind};
use super::steps::{blocks, title, Block, TYPED_SIGNATURE};
use crate::markup::escape;
use crate::text::Texts;

/// The answer to one question, in words (`None` when not answered).
pub fn answer(texts: Texts, spec: &FieldSpec, draft: &IntakeDraft) -> Option<String> {
    let text = match (spec.binding, spec.kind) {
        (Binding::Text(get, _), Kind::Radio(options)) => {
            let code = get(draft);
            (!code.is_empty()).then(|| option_label(texts, options, code).to_owned())?
        }
        (Binding::Text(get, _), Kind::Input("date", ..)) => {
            crate::locale::date(get(draft).trim(), texts.catalog().locale())
        }
        // Phone numbers as the clinic writes them, whatever was typed.
        (Binding::Text(get, _), Kind::Input("tel", ..)) => phone_as_written(get(draft).trim()),
        (Binding::Text(get, _), _) => get(draft).trim().to_owned(),
        (Binding::Codes(get, _), Kind::Checks(options)) => get(draft)
            .iter()
            .map(|c| option_label(texts, options, c))
            .collect::<Vec<_>>()
            .join(", "),
        (Binding::Codes(..), _) => String::new(),
        (Binding::Check(get, _), _) => texts
            .t(if get(draft) {
                Msg::AnswerYes
            } else {
                Msg::AnswerNo
            })
            .to_owned(),
    };
    (!text.is_empty()).then_some(text)
}

/// A North American number typed any way (`401-555-0134`, `+1 401 555
/// 0134`) as `(401) 555-0134`; anything else as typed.
pub fn phone_as_written(typed: &str) -> String {
    intake_core::phone::PhoneNumber::parse(typed)
        .map(|p| p.display())
        .unwrap_or_else(|_| typed.to_owned())
}

fn row(out: &mut String, texts: Texts, label: &str, value: Option<String>) {
    let value = match value {
        Some(v) => escape(&v),
        None => format!(
            r#"<span class="mi-none">{}</span>"#,
            escape(texts.t(Msg::ReviewNone))
        ),
    };
    out.push_str(&format!("<dt>{}</dt><dd>{value}</dd>", escape(label)));
}

fn rows(
    out: &mut String,
    texts: Texts,
    specs: &[FieldSpec],
    draft: &IntakeDraft,
    warnings: &[FieldError],
) {
    for spec in specs {
        if spec.when.is_some_and(|w| !w(draft)) {
            continue;
        }
        row(out, texts, texts.t(spec.label), answer(texts, spec, draft));
        // What does not block is still said, under the answer it is about.
        for warning in warnings.iter().filter(|w| w.path == spec.path) {
            out.push_str(&format!(
                r#"<dd class="mi-warning">{}</dd>"#,
                escape(texts.t(warning.code.msg()))
            ));
        }
    }
}

/// The review of every step the patient saw.
pub fn markup(texts: Texts, draft: &IntakeDraft, warnings: &[FieldError]) -> String {
    let mut out = String::new();
    for (index, step) in Step::ALL.iter().enumerate() {
        if *step == Step::Review || !step.applies(draft) {
            continue;
        }
        let name = texts.t(title(*step));
        out.push_str(&format!(
            concat!(
                r#"<section class="mi-review-step" aria-labelledby="mi-review-{index}">"#,
                r#"<div class="mi-review-head"><h3 id="mi-review-{index}">{name}</h3>"#,
                r#"<button type="button" class="mi-more" data-edit="{index}" aria-label="{label}">{edit}</button></div><dl>"#
            ),
            index = index,
            name = escape(name),
            label = escape(&texts.f(Msg::WizardEditLabel, &[("step", name)])),
            edit = escape(texts.t(Msg::WizardEdit)),
        ));
        for block in blocks(*step) {
            match block {
                Block::Fields(specs) => rows(&mut out, texts, specs, draft, warnings),
                Block::Group(legend, _, specs, when) => {
                    if when.is_some_and(|w| !w(draft)) {
                        continue;
                    }
                    // An optional group left empty is one line, not one per question.
                    if when.is_none() && specs.iter().all(|s| answer(texts, s, draft).is_none()) {
                        row(&mut out, texts, texts.t(*legend), None);
                        continue;
                    }
                    out.push_str(&format!(
                        r#"</dl><h4 class="mi-review-group">{}</h4><dl>"#,
                        escape(texts.t(*legend))
                    ));
                    rows(&mut out, texts, specs, draft, warnings);
                    out.push_str(r#"</dl><dl>"#);
                }
                Block::Medications if draft.takes_medications != "yes" => {}
                Block::Medications => {
                    let list: Vec<String> = draft
                        .medications
                        .iter()
                        .filter(|m| !m.name.trim().is_empty())
                        .map(|m| match m.dose.trim() {
                            "" => m.name.trim().to_owned(),
                            dose => format!("{}, {dose}", m.name.trim()),
                        })
                        .collect();
                    row(
                        &mut out,
                        texts,
                        texts.t(Msg::MedicationsHeading),
                        (!list.is_empty()).then(|| list.join("; ")),
                    );
                }
                Block::BodyMap => {
                    let list: Vec<String> = draft
                        .pain
                        .iter()
                        .map(|p| {
                            let rated = match p.intensity {
                                Some(n) => texts
                                    .f(Msg::PainIntensityShort, &[("intensity", &n.to_string())]),
                                None => texts.t(Msg::PainNotRated).to_owned(),
                            };
                            format!("{}: {rated}", region_name(texts, &p.region))
                        })
                        .collect();
                    row(
                        &mut out,
                        texts,
                        texts.t(Msg::PainChosen),
                        (!list.is_empty()).then(|| list.join("; ")),
                    );
                }
                Block::Diagnoses => {
                    let list: Vec<String> = draft
                        .diagnoses
                        .iter()
                        .map(|d| {
                            format!("{} {}", d.code, d.description.trim())
                                .trim()
                                .to_owned()
                        })
                        .collect();
                    row(
                        &mut out,
                        texts,
                        texts.t(Msg::FieldDiagnoses),
                        (!list.is_empty()).then(|| list.join("; ")),
                    );
                }
                Block::Photo => row(
                    &mut out,
                    texts,
                    texts.t(Msg::FieldPhoto),
                    draft
                        .photo
                        .as_ref()
                        .map(|_| texts.t(Msg::ReviewPhoto).to_owned()),
                ),
                Block::Signature if !draft.signature_path.is_empty() => {
                    // The drawing itself, as the clinic receives it.
                    out.push_str(&format!(
                        concat!(
                            r#"<dt>{label}</dt><dd><svg class="mi-review-signature" viewBox="0 0 600 200" role="img" aria-label="{name}">"#,
                            r#"<path d="{path}" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg></dd>"#
                        ),
                        label = escape(texts.t(Msg::SignatureHeading)),
                        name = escape(texts.t(Msg::ReviewSignatureDrawn)),
                        path = escape(draft.signature_path.trim()),
                    ));
                }
                Block::Signature => {
                    let value = answer(texts, &TYPED_SIGNATURE, draft);
                    row(&mut out, texts, texts.t(Msg::SignatureHeading), value);
                }
                Block::Intro(_) | Block::Consent(..) => {}
            }
        }
        out.push_str("</dl></section>");
    }
    out.replace("<dl></dl>", "")
}

#[cfg(test)]
mod tests {
    use super::phone_as_written;

    #[test]
    fn phone_numbers_read_as_the_clinic_writes_them() {
        for typed in [
            "401-555-0134",
            "4015550134",
            "+1 (401) 555 0134",
            "1.401.555.0134",
        ] {
            assert_eq!(phone_as_written(typed), "(401) 555-0134", "{typed}");
        }
        assert_eq!(phone_as_written("555-0134"), "555-0134");
        assert_eq!(phone_as_written("ext 12"), "ext 12");
    }
}
