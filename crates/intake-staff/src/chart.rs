//! The chart summary: one submission as a therapist reads it in two minutes
//! before a visit, and prints it on one or two pages. What stops or changes
//! treatment comes first, then why the patient comes, where it hurts, their
//! health, the prescription, who pays, and what they consented to.

use intake_core::body::{Shape, BACK, FRONT};
use intake_core::submission::{Attachment, ConsentRecord, Signature};
use intake_core::vocab::{
    Flag, FlagCode, Modality, PayerKind, Severity, SignatureMethod, SubscriberRelationship,
};
use intake_core::{Catalog, Date, Msg, Rules, Submission};

use crate::html::{escape, time, Html};

/// What the receiver knows of a submission besides its content.
#[derive(Clone, Copy, Debug)]
pub struct Receipt<'a> {
    /// `MI-7K3P-9QX2`
    pub reference: &'a str,
    /// When the receiver stored it (RFC 3339, UTC).
    pub received_at: &'a str,
    /// It came sealed and was opened in this browser.
    pub sealed: bool,
}

/// The English words the patient saw for `{prefix}.{code}`, else the code.
fn word(english: &Catalog, prefix: &str, code: &str) -> String {
    Msg::from_key(&format!("{prefix}.{code}"))
        .map_or_else(|| code.to_owned(), |m| english.text(m).to_owned())
}

/// An RFC 3339 UTC time as a person reads it, to the minute
/// (`2026-11-27 14:05 UTC`); anything else as it is.
pub fn when(timestamp: &str) -> String {
    let b = timestamp.as_bytes();
    let shaped = b.len() >= 17
        && b[10] == b'T'
        && b[13] == b':'
        && timestamp.ends_with('Z')
        && Date::parse(&timestamp[..10]).is_some();
    if shaped {
        format!("{} {} UTC", &timestamp[..10], &timestamp[11..16])
    } else {
        timestamp.to_owned()
    }
}

fn yes_no(answer: Option<bool>) -> &'static str {
    match answer {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "Not answered",
    }
}

/// Where the widget ran, as the front desk says it.
pub fn mode_name(code: &str) -> &'static str {
    match code {
        "kiosk" => "Waiting-room tablet",
        "embedded" => "Clinic website",
        "standalone" => "Intake page",
        _ => "Unknown",
    }
}

fn payer_name(kind: PayerKind) -> &'static str {
    match kind {
        PayerKind::SelfPay => "Self-pay",
        PayerKind::HealthInsurance => "Health insurance",
        PayerKind::AutoAccident => "Auto accident insurance (PIP)",
        PayerKind::WorkersComp => "Workers' compensation",
    }
}

fn relationship_name(r: SubscriberRelationship) -> &'static str {
    match r {
        SubscriberRelationship::SelfInsured => "Patient",
        SubscriberRelationship::Spouse => "Spouse or partner",
        SubscriberRelationship::Parent => "Parent",
        SubscriberRelationship::Other => "Other",
    }
}

/// Flags in reading order: those that stop treatment first.
pub fn ordered_flags(flags: &[Flag]) -> Vec<Flag> {
    let mut out: Vec<Flag> = flags
        .iter()
        .filter(|f| f.severity == Severity::Stop)
        .copied()
        .collect();
    out.extend(flags.iter().filter(|f| f.severity != Severity::Stop));
    out
}

/// The chart summary of `s` as an HTML fragment (an `<article>`), every
/// value escaped.
pub fn chart_html(s: &Submission, receipt: &Receipt<'_>) -> String {
    let english = Catalog::english();
    let mut h = Html::default();
    h.raw("<article class=\"chart\" aria-labelledby=\"chart-name\">");
    head(&mut h, s, receipt);
    if receipt.sealed {
        broken_rules(&mut h, s, receipt.received_at);
    }
    safety(&mut h, s, &english);
    visit(&mut h, s, &english);
    pain(&mut h, s, &english);
    health(&mut h, s, &english);
    prescription(&mut h, s, &english);
    payer(&mut h, s);
    contacts(&mut h, s);
    consents(&mut h, s);
    h.raw("</article>");
    h.finish()
}

fn head(h: &mut Html, s: &Submission, receipt: &Receipt<'_>) {
    let p = &s.patient;
    let name = format!("{} {}", p.given_name.as_str(), p.family_name.as_str());
    let on = Date::of_timestamp(&s.submitted_at);
    let age = Date::parse(&p.date_of_birth)
        .zip(on)
        .map(|(born, on)| born.age_on(on))
        .filter(|age| (0..=130).contains(age))
        .map(|age| format!(" (age {age})"))
        .unwrap_or_default();
    h.raw("<header class=\"chart-head\"><h1 id=\"chart-name\">")
        .text(&name)
        .raw("</h1>");
    let text = |t: String| Some(escape(&t));
    h.pairs_markup(&[
        ("Date of birth", text(format!("{}{age}", p.date_of_birth))),
        ("Phone", text(p.phone.clone())),
        ("Email", p.email.as_ref().map(|e| escape(e.as_str()))),
        ("Reference", text(receipt.reference.to_owned())),
        (
            "Submitted",
            Some(time(&s.submitted_at, &when(&s.submitted_at))),
        ),
        (
            "Received",
            Some(time(receipt.received_at, &when(receipt.received_at))),
        ),
        (
            "From",
            text(format!(
                "{}, in {}{}",
                mode_name(mode_code(s)),
                language_name(&s.locale),
                if receipt.sealed { ", sealed" } else { "" }
            )),
        ),
    ]);
    h.raw("</header>");
}

/// What in `s` breaks the rules the receiver checks plain submissions with,
/// as of the day after it arrived (`field (code)`). Only a sealed intake can:
/// the receiver could not read it to refuse it.
pub fn rule_problems(s: &Submission, received_at: &str) -> Vec<String> {
    let Some(day) = Date::parse(received_at.get(..10).unwrap_or("")) else {
        return vec!["received at an unreadable time".to_owned()];
    };
    let today = Date::from_days_since_epoch(day.days_since_epoch() + 1);
    s.validate(&Rules::on(today))
        .errors
        .iter()
        .map(|e| format!("{} ({})", e.path, e.code.as_str()))
        .collect()
}

fn broken_rules(h: &mut Html, s: &Submission, received_at: &str) {
    let problems = rule_problems(s, received_at);
    if problems.is_empty() {
        return;
    }
    section(h, "problems", "Not as the intake form sends it");
    h.el(
        "p",
        "warning",
        "This sealed intake breaks the form's rules, so it did not come from the clinic's form as it is: check these answers with the patient.",
    );
    h.raw("<ul class=\"problems\">");
    for problem in problems.iter().take(20) {
        h.el("li", "", problem);
    }
    if problems.len() > 20 {
        h.el("li", "", &format!("and {} more", problems.len() - 20));
    }
    h.raw("</ul></section>");
}

fn language_name(tag: &str) -> &str {
    match tag {
        "en" => "English",
        "es" => "Spanish",
        "pt" => "Portuguese",
        other => other,
    }
}

fn mode_code(s: &Submission) -> &'static str {
    match s.mode {
        intake_core::Mode::Kiosk => "kiosk",
        intake_core::Mode::Embedded => "embedded",
        intake_core::Mode::Standalone => "standalone",
    }
}

fn section(h: &mut Html, id: &str, title: &str) {
    h.raw(&format!(
        "<section class=\"part part-{id}\" aria-labelledby=\"h-{id}\"><h2 id=\"h-{id}\">"
    ))
    .text(title)
    .raw("</h2>");
}

fn safety(h: &mut Html, s: &Submission, english: &Catalog) {
    section(h, "safety", "Safety before treatment");
    let flags = ordered_flags(&s.flags);
    if flags.is_empty() {
        h.el("p", "no-flags", "No safety flags raised by the answers.");
    } else {
        h.raw("<ul class=\"flags\">");
        for flag in flags {
            let (class, severity) = match flag.severity {
                Severity::Stop => ("flag flag-stop", "Stop"),
                Severity::Caution => ("flag flag-caution", "Caution"),
            };
            h.raw(&format!("<li class=\"{class}\"><strong>"))
                .text(severity)
                .raw("</strong> ")
                .text(english.text(flag.code.msg()));
            let detail = match flag.code {
                FlagCode::SurgeryClearance => s
                    .health
                    .surgery_or_injury_date
                    .as_ref()
                    .map(|d| format!("Surgery or injury on {d}.")),
                FlagCode::PrenatalPositioning => s
                    .health
                    .pregnancy_weeks
                    .map(|w| format!("{w} weeks pregnant.")),
                FlagCode::AvoidArea => s
                    .visit
                    .areas_to_avoid
                    .as_ref()
                    .map(|a| format!("Areas to avoid: {}", a.as_str())),
                _ => None,
            };
            if let Some(detail) = detail {
                h.raw(" ").el("span", "flag-detail", &detail);
            }
            h.raw("</li>");
        }
        h.raw("</ul>");
    }
    h.raw("</section>");
}

fn visit(h: &mut Html, s: &Submission, english: &Catalog) {
    let v = &s.visit;
    section(h, "visit", "Reason and goals");
    h.el("p", "reason", v.reason.as_str());
    let mut goals: Vec<String> = v
        .goals
        .iter()
        .map(|g| word(english, "goal", g.code()))
        .collect();
    if let Some(other) = &v.goals_other {
        goals.push(other.as_str().to_owned());
    }
    h.pairs(&[
        (
            "Goals",
            Some(if goals.is_empty() {
                "None chosen".to_owned()
            } else {
                goals.join("; ")
            }),
        ),
        (
            "Pressure",
            v.pressure.map(|p| word(english, "pressure", p.code())),
        ),
        (
            "Areas to avoid",
            v.areas_to_avoid.as_ref().map(|a| a.as_str().to_owned()),
        ),
        (
            "Massage before",
            v.prior_massage.map(|p| word(english, "prior", p.code())),
        ),
    ]);
    h.raw("</section>");
}

/// The fill of a region by intensity: darker is worse; the number is
/// written on it too, so a black-and-white print reads the same.
fn intensity_class(intensity: u8) -> &'static str {
    match intensity {
        0..=3 => "pain-low",
        4..=6 => "pain-mid",
        _ => "pain-high",
    }
}

fn figure(h: &mut Html, s: &Submission, english: &Catalog, shapes: &[Shape], side: &str) {
    let marked: Vec<(Shape, u8)> = shapes
        .iter()
        .filter_map(|shape| {
            s.pain
                .iter()
                .find(|p| p.region.code() == shape.0)
                .map(|p| (*shape, p.intensity))
        })
        .collect();
    let described: Vec<String> = marked
        .iter()
        .map(|(shape, i)| format!("{} {i} of 10", english.text(shape.1)))
        .collect();
    let label = if described.is_empty() {
        format!("{side}: no pain marked")
    } else {
        format!("{side}: {}", described.join(", "))
    };
    h.raw("<figure class=\"body\"><svg viewBox=\"0 0 200 450\" role=\"img\" aria-label=\"")
        .text(&label)
        .raw("\">");
    for (code, _, x, y, w, hgt) in shapes {
        let rx = if code.ends_with("_head") { 22 } else { 8 };
        let class = marked
            .iter()
            .find(|(m, _)| m.0 == *code)
            .map_or("region", |(_, i)| intensity_class(*i));
        h.raw(&format!(
            "<rect class=\"{class}\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{hgt}\" rx=\"{rx}\"/>"
        ));
    }
    for ((_, _, x, y, w, hgt), intensity) in &marked {
        let (cx, cy) = (x + w / 2, y + hgt / 2 + 6);
        h.raw(&format!(
            "<text class=\"pain-number\" data-band=\"{band}\" x=\"{cx}\" y=\"{cy}\" text-anchor=\"middle\" aria-hidden=\"true\">{intensity}</text>",
            band = intensity_class(*intensity)
        ));
    }
    h.raw("</svg><figcaption>")
        .text(side)
        .raw("</figcaption></figure>");
}

fn pain(h: &mut Html, s: &Submission, english: &Catalog) {
    section(h, "pain", "Where it hurts");
    if s.pain.is_empty() {
        h.el("p", "", "No painful areas marked.");
        h.raw("</section>");
        return;
    }
    h.raw("<div class=\"figures\">");
    figure(h, s, english, FRONT, "Front (patient's left on the right)");
    figure(h, s, english, BACK, "Back (patient's left on the left)");
    h.raw("</div>");
    let mut regions = s.pain.clone();
    regions.sort_by_key(|p| std::cmp::Reverse(p.intensity));
    h.raw("<ul class=\"pain-list\">");
    for p in regions {
        h.raw("<li>")
            .text(&word(english, "region", p.region.code()))
            .raw(": <strong>")
            .text(&format!("{}/10", p.intensity))
            .raw("</strong></li>");
    }
    h.raw("</ul></section>");
}

fn health(h: &mut Html, s: &Submission, english: &Catalog) {
    let x = &s.health;
    section(h, "health", "Health history, medicines and allergies");
    let conditions = if x.conditions.is_empty() {
        "Not answered".to_owned()
    } else {
        x.conditions
            .iter()
            .map(|c| word(english, "condition", c.code()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let medications = match x.takes_medications {
        Some(true) if !x.medications.is_empty() => Some(
            x.medications
                .iter()
                .map(|m| match &m.dose {
                    Some(dose) => format!("{} ({})", m.name.as_str(), dose.as_str()),
                    None => m.name.as_str().to_owned(),
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        other => Some(yes_no(other).to_owned()),
    };
    let mut allergies: Vec<String> = x
        .allergies
        .iter()
        .map(|a| word(english, "allergen", a.code()))
        .collect();
    if let Some(other) = &x.allergies_other {
        allergies.push(other.as_str().to_owned());
    }
    h.pairs(&[
        ("Conditions", Some(conditions)),
        ("Surgery or injury", x.surgery_or_injury_date.clone()),
        ("Pregnancy", x.pregnancy_weeks.map(|w| format!("{w} weeks"))),
        (
            "Notes",
            x.condition_notes.as_ref().map(|n| n.as_str().to_owned()),
        ),
        ("Medicines", medications),
        ("Blood thinners", Some(yes_no(x.blood_thinners).to_owned())),
        (
            "Allergies",
            Some(if allergies.is_empty() {
                "Not answered".to_owned()
            } else {
                allergies.join("; ")
            }),
        ),
    ]);
    h.raw("</section>");
}

fn modality_name(m: Modality) -> &'static str {
    match m {
        Modality::Massage => "97124 massage therapy",
        Modality::ManualTherapy => "97140 manual therapy",
        Modality::NeuromuscularReeducation => "97112 neuromuscular re-education",
    }
}

fn prescription(h: &mut Html, s: &Submission, _english: &Catalog) {
    let r = &s.prescription;
    section(h, "prescription", "Prescription");
    if !r.has_prescription {
        h.el(
            "p",
            "",
            "No prescription: the first visit starts with the therapist's assessment.",
        );
        h.raw("</section>");
        return;
    }
    let frequency = match (r.frequency_per_week, r.duration_weeks) {
        (Some(f), Some(d)) => Some(format!("{f} a week for {d} weeks")),
        (Some(f), None) => Some(format!("{f} a week")),
        (None, Some(d)) => Some(format!("for {d} weeks")),
        (None, None) => None,
    };
    let prescriber = r.prescriber.as_ref();
    h.pairs(&[
        (
            "Prescriber",
            prescriber.map(|p| match &p.practice {
                Some(practice) => format!("{}, {}", p.name.as_str(), practice.as_str()),
                None => p.name.as_str().to_owned(),
            }),
        ),
        ("NPI", prescriber.map(|p| p.npi.clone())),
        (
            "Prescriber's phone",
            prescriber.map(|p| match &p.fax {
                Some(fax) => format!("{} (fax {fax})", p.phone),
                None => p.phone.clone(),
            }),
        ),
        ("Written on", r.date_written.clone()),
        ("Frequency", frequency),
        (
            "Visits authorized",
            r.visits_authorized.map(|v| v.to_string()),
        ),
        (
            "Session length",
            r.session_minutes.map(|m| format!("{m} minutes")),
        ),
        (
            "Procedures",
            (!r.modalities.is_empty()).then(|| {
                r.modalities
                    .iter()
                    .map(|m| modality_name(*m))
                    .collect::<Vec<_>>()
                    .join("; ")
            }),
        ),
        (
            "Prior authorization",
            r.prior_authorization
                .as_ref()
                .map(|a| a.as_str().to_owned()),
        ),
        (
            "Restrictions",
            r.restrictions.as_ref().map(|x| x.as_str().to_owned()),
        ),
    ]);
    if !r.diagnoses.is_empty() {
        h.raw("<table class=\"diagnoses\"><caption>Diagnoses (ICD-10-CM)</caption><thead><tr><th scope=\"col\">Code</th><th scope=\"col\">Meaning</th><th scope=\"col\">As written</th></tr></thead><tbody>");
        for d in &r.diagnoses {
            let meaning = intake_core::icd10::lookup(&d.code)
                .map_or("Not in the built-in list: check the code", |e| {
                    e.description
                });
            h.raw("<tr><td>")
                .text(&d.code)
                .raw("</td><td>")
                .text(meaning)
                .raw("</td><td>")
                .text(d.description.as_str())
                .raw("</td></tr>");
        }
        h.raw("</tbody></table>");
    }
    for photo in &s.attachments {
        image(h, photo);
    }
    h.raw("</section>");
}

/// Whether `data` is standard base64 and nothing else (it goes into an
/// attribute as it is).
fn is_base64(data: &str) -> bool {
    !data.is_empty()
        && data
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
}

fn image(h: &mut Html, a: &Attachment) {
    let allowed = matches!(
        a.mime_type.as_str(),
        "image/jpeg" | "image/png" | "image/webp"
    );
    if !allowed || !is_base64(&a.data_base64) {
        h.el(
            "p",
            "warning",
            "A photo of the prescription came in a form that cannot be shown.",
        );
        return;
    }
    h.raw(&format!(
        "<figure class=\"photo\"><img alt=\"Photo of the prescription\" src=\"data:{};base64,{}\"><figcaption>Photo of the prescription ({} KB)</figcaption></figure>",
        a.mime_type,
        a.data_base64,
        a.size_bytes.div_ceil(1024)
    ));
}

fn payer(h: &mut Html, s: &Submission) {
    let p = &s.payer;
    section(h, "payer", "Payer");
    let mut pairs: Vec<(&str, Option<String>)> =
        vec![("Pays", Some(payer_name(p.kind).to_owned()))];
    if let Some(i) = &p.health_insurance {
        pairs.extend([
            ("Carrier", Some(i.carrier.as_str().to_owned())),
            ("Member ID", Some(i.member_id.as_str().to_owned())),
            (
                "Group",
                i.group_number.as_ref().map(|g| g.as_str().to_owned()),
            ),
            (
                "Policyholder",
                Some(match i.subscriber_relationship {
                    Some(r) => format!("{} ({})", i.subscriber_name.as_str(), relationship_name(r)),
                    None => i.subscriber_name.as_str().to_owned(),
                }),
            ),
        ]);
    }
    if let Some(a) = &p.auto_accident {
        pairs.extend([
            ("Carrier", Some(a.carrier.as_str().to_owned())),
            ("Claim", Some(a.claim_number.as_str().to_owned())),
            ("Accident on", Some(a.date_of_accident.clone())),
            (
                "Adjuster",
                adjuster(a.adjuster_name.as_ref(), a.adjuster_phone.as_ref()),
            ),
        ]);
    }
    if let Some(w) = &p.workers_comp {
        pairs.extend([
            ("Employer", Some(w.employer.as_str().to_owned())),
            ("Carrier", w.carrier.as_ref().map(|c| c.as_str().to_owned())),
            ("Claim", Some(w.claim_number.as_str().to_owned())),
            ("Injured on", Some(w.date_of_injury.clone())),
            (
                "Adjuster",
                adjuster(w.adjuster_name.as_ref(), w.adjuster_phone.as_ref()),
            ),
        ]);
    }
    h.pairs(&pairs);
    h.raw("</section>");
}

fn adjuster(name: Option<&intake_core::text::Name>, phone: Option<&String>) -> Option<String> {
    match (name, phone) {
        (Some(n), Some(p)) => Some(format!("{}, {p}", n.as_str())),
        (Some(n), None) => Some(n.as_str().to_owned()),
        (None, Some(p)) => Some(p.clone()),
        (None, None) => None,
    }
}

fn contacts(h: &mut Html, s: &Submission) {
    let p = &s.patient;
    if p.address.is_none() && p.emergency_contact.is_none() && p.primary_care.is_none() {
        return;
    }
    section(h, "contacts", "Address and contacts");
    h.pairs(&[
        (
            "Address",
            p.address.as_ref().map(|a| {
                let line2 = a
                    .line2
                    .as_ref()
                    .map(|l| format!(", {}", l.as_str()))
                    .unwrap_or_default();
                format!(
                    "{}{line2}, {}, {} {}",
                    a.line1.as_str(),
                    a.city.as_str(),
                    a.region,
                    a.postal_code
                )
            }),
        ),
        (
            "Emergency contact",
            p.emergency_contact.as_ref().map(|e| {
                format!(
                    "{} ({}), {}",
                    e.name.as_str(),
                    e.relationship.as_str(),
                    e.phone
                )
            }),
        ),
        (
            "Primary care",
            p.primary_care.as_ref().map(|c| {
                let mut text = c.name.as_str().to_owned();
                if let Some(practice) = &c.practice {
                    text.push_str(", ");
                    text.push_str(practice.as_str());
                }
                if let Some(phone) = &c.phone {
                    text.push_str(", ");
                    text.push_str(phone);
                }
                if let Some(fax) = &c.fax {
                    text.push_str(&format!(" (fax {fax})"));
                }
                text
            }),
        ),
    ]);
    h.raw("</section>");
}

fn consent(record: Option<&ConsentRecord>) -> Option<String> {
    Some(match record {
        Some(r) => format!(
            "Accepted {} (version {})",
            when(&r.accepted_at),
            r.version.as_str()
        ),
        None => "Not given".to_owned(),
    })
}

fn consents(h: &mut Html, s: &Submission) {
    let c = &s.consents;
    section(h, "consents", "Consents and signature");
    h.pairs(&[
        ("Treatment", consent(c.treatment.as_ref())),
        ("Privacy notice", consent(c.privacy_notice.as_ref())),
        (
            "Share with primary care",
            consent(c.share_with_primary_care.as_ref()),
        ),
        (
            "Signed for the patient by",
            c.guardian.as_ref().map(|g| {
                format!(
                    "{} ({}), {}",
                    g.name.as_str(),
                    g.relationship.as_str(),
                    g.phone
                )
            }),
        ),
    ]);
    signature(h, &s.signature);
    h.raw("</section>");
}

fn signature(h: &mut Html, sig: &Signature) {
    h.raw("<div class=\"signature\">");
    match (sig.method, &sig.svg_path, &sig.typed_name) {
        (Some(SignatureMethod::Drawn), Some(path), _) => {
            h.raw(&format!(
                "<svg class=\"signature-drawn\" viewBox=\"0 0 600 200\" role=\"img\" aria-label=\"Drawn signature\"><path d=\"{}\"/></svg>",
                escape(path.as_str())
            ));
        }
        (Some(SignatureMethod::Typed), _, Some(name)) => {
            h.el("p", "signature-typed", name.as_str());
        }
        _ => {
            h.el("p", "warning", "No signature.");
        }
    }
    h.raw("<p class=\"signed-at\">Signed ")
        .raw(&time(&sig.signed_at, &when(&sig.signed_at)))
        .raw("</p>");
    h.raw("</div>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use intake_core::vocab::Flag;

    /// The documented example (`docs/example-submission.json`).
    fn example() -> Submission {
        let text = include_str!("../../../docs/example-submission.json");
        Submission::from_json_value(serde_json::from_str(text).expect("example is JSON"))
            .expect("example is a submission")
    }

    fn receipt() -> Receipt<'static> {
        Receipt {
            reference: "MI-7K3P-9QX2",
            received_at: "2026-11-20T15:04:05.123Z",
            sealed: false,
        }
    }

    #[test]
    fn times_read_to_the_minute_in_utc_and_odd_ones_stay_as_they_are() {
        assert_eq!(when("2026-11-27T14:05:09.120Z"), "2026-11-27 14:05 UTC");
        assert_eq!(when("2026-11-27T14:05:09Z"), "2026-11-27 14:05 UTC");
        assert_eq!(when("yesterday"), "yesterday");
        assert_eq!(when("2026-13-27T14:05:09Z"), "2026-13-27T14:05:09Z");
    }

    #[test]
    fn flags_come_first_stops_before_cautions() {
        let mut s = example();
        s.flags = vec![
            Flag {
                code: FlagCode::LightPressure,
                severity: Severity::Caution,
            },
            Flag {
                code: FlagCode::PhysicianClearance,
                severity: Severity::Stop,
            },
        ];
        let html = chart_html(&s, &receipt());
        let safety = html
            .find("Safety before treatment")
            .expect("safety section");
        let reason = html.find("Reason and goals").expect("visit section");
        let stop = html.find("Physician clearance needed").expect("stop flag");
        let caution = html.find("Use light pressure").expect("caution flag");
        assert!(
            safety < stop && stop < caution && caution < reason,
            "{html}"
        );
        assert!(html.contains("flag flag-stop"));
    }

    #[test]
    fn the_example_shows_what_a_therapist_needs() {
        let s = example();
        let html = chart_html(&s, &receipt());
        for needed in [
            s.patient.family_name.as_str(),
            &s.patient.date_of_birth,
            "MI-7K3P-9QX2",
            "Prescription",
            "Consents and signature",
        ] {
            assert!(html.contains(&escape(needed)), "missing {needed}");
        }
        if let Some(p) = &s.prescription.prescriber {
            assert!(html.contains(&p.npi), "the NPI");
        }
        for d in &s.prescription.diagnoses {
            assert!(html.contains(&d.code), "diagnosis {}", d.code);
            if let Some(e) = intake_core::icd10::lookup(&d.code) {
                assert!(
                    html.contains(&escape(e.description)),
                    "meaning of {}",
                    d.code
                );
            }
        }
        for p in &s.pain {
            assert!(
                html.contains(&format!("{}/10", p.intensity)),
                "intensity of {}",
                p.region.code()
            );
        }
    }

    #[test]
    fn a_sealed_intake_that_breaks_the_rules_says_so_at_the_top() {
        let mut s = example();
        s.pain[0].intensity = 99;
        s.patient.date_of_birth = "2030-01-01".into();
        let sealed = Receipt {
            sealed: true,
            ..receipt()
        };
        let html = chart_html(&s, &sealed);
        let warning = html
            .find("Not as the intake form sends it")
            .expect("a warning");
        assert!(warning < html.find("Safety before treatment").unwrap_or(0));
        assert!(html.contains("pain[0].intensity (out_of_range)"), "{html}");
        assert!(html.contains("date_in_future"), "{html}");
        assert!(!html.contains("(age -"), "no negative age");
        let plain = chart_html(&example(), &sealed);
        assert!(
            !plain.contains("Not as the intake form"),
            "a good one has no warning"
        );
    }

    #[test]
    fn times_are_time_elements_the_page_can_show_in_local_time() {
        let html = chart_html(&example(), &receipt());
        assert!(
            html.contains(
                "<time datetime=\"2026-11-20T15:04:05.123Z\">2026-11-20 15:04 UTC</time>"
            ),
            "{html}"
        );
    }

    #[test]
    fn what_the_patient_typed_cannot_become_markup() {
        let mut s = example();
        s.visit.reason = intake_core::text::Text::new("<script>alert(1)</script>");
        s.signature.method = Some(SignatureMethod::Drawn);
        s.signature.svg_path = Some(intake_core::text::Text::new("M0 0\"/><script>x</script>"));
        let html = chart_html(&s, &receipt());
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    #[test]
    fn a_photo_of_another_type_or_with_markup_is_not_shown() {
        let mut s = example();
        s.attachments = vec![Attachment {
            kind: intake_core::vocab::AttachmentKind::PrescriptionPhoto,
            mime_type: "image/svg+xml".into(),
            size_bytes: 3,
            data_base64: "PHN2Zz4=".into(),
        }];
        let html = chart_html(&s, &receipt());
        assert!(!html.contains("data:image/svg"), "{html}");
        assert!(html.contains("cannot be shown"));
        s.attachments[0].mime_type = "image/png".into();
        s.attachments[0].data_base64 = "AA\"onerror=\"x".into();
        let html = chart_html(&s, &receipt());
        assert!(!html.contains("onerror"), "{html}");
    }

    #[test]
    fn unanswered_health_questions_say_so_and_never_read_as_no() {
        let mut s = example();
        s.health.conditions.clear();
        s.health.takes_medications = None;
        s.health.blood_thinners = None;
        s.health.allergies.clear();
        let html = chart_html(&s, &receipt());
        assert_eq!(html.matches("Not answered").count(), 4, "{html}");
        assert!(!html.contains("T14:03"), "times read as times: {html}");
    }

    #[test]
    fn painful_regions_are_drawn_on_their_figure_with_their_number() {
        let s = example();
        let html = chart_html(&s, &receipt());
        let marked = html.matches("class=\"pain-").count()
            - html.matches("class=\"pain-list").count()
            - html.matches("class=\"pain-number").count();
        assert_eq!(marked, s.pain.len(), "one filled region a painful area");
        assert_eq!(html.matches("class=\"pain-number\"").count(), s.pain.len());
        let english = Catalog::english();
        for p in &s.pain {
            let name = word(&english, "region", p.region.code());
            assert!(
                html.contains(&escape(&format!("{name} {} of 10", p.intensity))),
                "{name} named on its figure"
            );
        }
    }

    #[test]
    fn no_prescription_says_the_visit_starts_with_an_assessment() {
        let mut s = example();
        s.prescription = intake_core::submission::Prescription::default();
        let html = chart_html(&s, &receipt());
        assert!(html.contains("starts with the therapist&#39;s assessment"));
        assert!(!html.contains("NPI"));
    }
}
