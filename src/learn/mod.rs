//! The education view: the sections of `intake_core::learn`, each an
//! accessible disclosure (a heading holding a button with `aria-expanded`),
//! with technique and therapy cards and their illustrations, and a way into
//! the intake from every section.
//!
//! The content is static once rendered, so it is written as markup by
//! [`html`] (every text escaped) and its buttons work through one delegated
//! click handler in [`crate::shell`]. The same view as Leptos elements cost
//! 17 KB gzip of monomorphised rendering code.

use intake_core::config::{StartView, WidgetConfig};
use intake_core::learn::{resolve, Shown, Topic};
use intake_core::{Catalog, Msg};

use crate::markup::{escape, tel_sentence};

/// The markup of the education view: `h2`, then one `h3` disclosure per
/// section, `h4` per technique or therapy card, then the disclaimer and the
/// way on (the intake, the clinic's number, or why the intake is closed).
pub fn html(catalog: &Catalog, config: &WidgetConfig, can_start: bool) -> String {
    let view = config.view;
    let t = |msg| escape(catalog.text(msg));
    let clinic = config
        .clinic_name
        .as_deref()
        .unwrap_or(catalog.text(Msg::ClinicDefaultName));
    let clinic_arg = [("clinic", clinic)];
    let offer_intake = can_start && view != StartView::LearnOnly;
    let start = |class: &str| {
        if offer_intake {
            format!(
                r#"<button type="button" class="mi-button{class}" data-start>{}</button>"#,
                t(Msg::LearnStartIntake)
            )
        } else {
            String::new()
        }
    };

    let mut out = format!(
        r#"<h2 id="mi-learn-heading" tabindex="-1">{}</h2><p class="mi-learn-intro">{}</p>"#,
        t(Msg::LearnHeading),
        t(Msg::LearnIntro)
    );
    if view == StartView::Welcome && offer_intake {
        out += &format!(
            r#"<div class="mi-card mi-welcome"><h3>{}</h3><p>{}</p>{}</div>"#,
            t(Msg::LearnWelcomeTitle),
            t(Msg::LearnWelcomeBody),
            start(" mi-button--primary")
        );
    }
    for (index, shown) in resolve(catalog, &config.learn, clinic).iter().enumerate() {
        // Reading from the top, the first section starts open. The welcome
        // keeps them all closed, so the way in is the first thing to see.
        let open = index == 0 && view != StartView::Welcome;
        out += &section(catalog, shown, open, &start(" mi-learn-start"));
    }
    out += &format!(
        r#"<p class="mi-disclaimer">{}</p>"#,
        escape(&catalog.format(Msg::LearnDisclaimer, &clinic_arg))
    );
    if view == StartView::LearnOnly {
        if let Some(phone) = &config.clinic_phone {
            out += &format!(
                r#"<p class="mi-card mi-book">{}</p>"#,
                tel_sentence(catalog, Msg::LearnCallToBook, clinic, phone)
            );
        }
    } else if can_start {
        out += &start(" mi-button--primary");
    } else {
        out += &format!(
            r#"<p class="mi-notice">{}</p>"#,
            t(Msg::ConfigIntakeUnavailable)
        );
    }
    out
}

/// One section: its heading holds the button that opens and closes it.
fn section(catalog: &Catalog, shown: &Shown, open: bool, start: &str) -> String {
    let id = shown.id;
    let mut panel = crate::speech::button_html(
        &escape(catalog.text(Msg::ListenStart)),
        &escape(catalog.text(Msg::ListenStop)),
        &escape(&shown.title),
    );
    for p in &shown.paragraphs {
        panel += &format!("<p>{}</p>", escape(p));
    }
    if !shown.points.is_empty() {
        panel += r#"<ul class="mi-points">"#;
        for p in &shown.points {
            panel += &format!("<li>{}</li>", escape(p));
        }
        panel += "</ul>";
    }
    if !shown.topics.is_empty() {
        panel += r#"<ul class="mi-topics">"#;
        for topic in shown.topics {
            panel += &topic_card(catalog, topic);
        }
        panel += "</ul>";
    }
    if let Some(note) = &shown.note {
        panel += &format!(r#"<p class="mi-note">{}</p>"#, escape(note));
    }
    format!(
        concat!(
            r#"<section class="mi-card mi-learn-section" aria-labelledby="mi-learn-{id}">"#,
            r#"<h3 class="mi-disclosure-heading"><button type="button" class="mi-disclosure" id="mi-learn-{id}" aria-expanded="{expanded}" aria-controls="mi-learn-{id}-panel">{title}</button></h3>"#,
            r#"<div class="mi-learn-panel" id="mi-learn-{id}-panel"{hidden}>{panel}{start}</div></section>"#
        ),
        id = id,
        expanded = open,
        title = escape(&shown.title),
        hidden = if open { "" } else { " hidden" },
        panel = panel,
        start = start,
    )
}

/// A technique or therapy: illustration, name and what it is; what it feels
/// like and who it helps behind a disclosure.
fn topic_card(catalog: &Catalog, topic: &Topic) -> String {
    let t = |msg| escape(catalog.text(msg));
    let name = catalog.text(topic.name);
    format!(
        concat!(
            r#"<li class="mi-topic"><svg class="mi-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="{icon}"/></svg>"#,
            r#"<div class="mi-topic-text"><h4>{name}</h4><p>{what}</p>"#,
            r#"<button type="button" class="mi-more" aria-expanded="false" aria-controls="mi-topic-{id}">{more}</button>"#,
            r#"<dl id="mi-topic-{id}" hidden><dt>{feels_label}</dt><dd>{feels}</dd><dt>{helps_label}</dt><dd>{helps}</dd></dl></div></li>"#
        ),
        icon = topic.icon,
        name = escape(name),
        what = t(topic.what),
        id = topic.id,
        more = escape(&catalog.format(Msg::LearnMore, &[("topic", name)])),
        feels_label = t(Msg::LearnFeels),
        feels = t(topic.feels),
        helps_label = t(Msg::LearnHelps),
        helps = t(topic.helps),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use intake_core::config::resolve as resolve_config;

    fn markup(file: &str, can_start: bool) -> String {
        let config = resolve_config(Ok(file), "").config;
        html(&crate::locale::english(), &config, can_start)
    }

    /// The heading levels in document order.
    fn heading_levels(html: &str) -> Vec<u8> {
        html.match_indices("<h")
            .filter_map(|(i, _)| html[i + 2..].bytes().next())
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect()
    }

    #[test]
    fn headings_go_down_one_level_at_a_time() {
        let html = markup(r#"{"endpoint":"/a","view":"welcome"}"#, true);
        let levels = heading_levels(&html);
        assert_eq!(levels[0], 2);
        for pair in levels.windows(2) {
            assert!(pair[1] <= pair[0] + 1, "{levels:?}");
        }
        assert_eq!(levels.iter().filter(|l| **l == 4).count(), 9, "nine cards");
    }

    #[test]
    fn every_disclosure_names_a_panel_that_exists_and_matches_its_state() {
        let html = markup(r#"{"endpoint":"/a"}"#, true);
        let mut count = 0;
        for (i, _) in html.match_indices("aria-controls=\"") {
            let rest = &html[i + 15..];
            let id = &rest[..rest.find('"').expect("closed attribute")];
            let button = &html[html[..i].rfind("<button").expect("in a button")..i];
            let open = button.contains("aria-expanded=\"true\"");
            let at = html
                .find(&format!("id=\"{id}\""))
                .unwrap_or_else(|| panic!("no panel {id}"));
            let tag = &html[at..at + html[at..].find('>').expect("tag end")];
            assert_eq!(tag.contains(" hidden"), !open, "{id}");
            count += 1;
        }
        assert_eq!(count, 8 + 9, "a disclosure per section and per card");
    }

    #[test]
    fn the_views_offer_the_intake_as_configured() {
        let starts = |html: &str| html.matches("data-start").count();
        // Learn: one way in per section and one at the end.
        assert_eq!(starts(&markup(r#"{"endpoint":"/a"}"#, true)), 9);
        // Welcome: one more, at the top, before any section.
        let welcome = markup(r#"{"endpoint":"/a","view":"welcome"}"#, true);
        assert_eq!(starts(&welcome), 10);
        assert!(welcome.find("data-start") < welcome.find("mi-learn-section"));
        assert!(!welcome.contains(r#"aria-expanded="true""#));
        // Education only: none, and the number to book.
        let only = markup(
            r#"{"view":"learn_only","clinic_name":"Harbor Clinic","clinic_phone":"401-423-4433"}"#,
            false,
        );
        assert_eq!(starts(&only), 0);
        assert!(only.contains(
            r#"To book a visit, call Harbor Clinic at <a class="mi-tel" href="tel:+14014234433">"#
        ));
        // No endpoint: the education, and why the intake is closed.
        let closed = markup("{}", false);
        assert_eq!(starts(&closed), 0);
        assert!(closed.contains("mi-notice"));
    }

    #[test]
    fn the_clinics_words_are_escaped() {
        let html = markup(
            r#"{"endpoint":"/a","clinic_name":"A&B <Clinic>",
               "learn":{"what":{"title":"<img src=x onerror=alert(1)>","body":"\"quoted\" & 'single'"}}}"#,
            true,
        );
        assert!(!html.contains("<img"));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("&quot;quoted&quot; &amp; &#39;single&#39;"));
        assert!(html.contains("A&amp;B &lt;Clinic&gt;"));
    }

    #[test]
    fn each_section_has_a_listen_button_hidden_until_a_voice_is_known() {
        let html = markup(r#"{"endpoint":"/a"}"#, true);
        assert_eq!(html.matches("data-listen hidden").count(), 8);
        assert!(html.contains(
            r#"<span class="mi-listen-start">Listen</span><span class="mi-listen-stop">Stop reading</span><span class="mi-sr-only">: What is medical massage?</span>"#
        ));
    }

    #[test]
    fn hidden_sections_are_not_rendered() {
        let html = markup(
            r#"{"endpoint":"/a","learn":{"benefits":{"hidden":true}}}"#,
            true,
        );
        assert!(!html.contains("mi-learn-benefits"));
        assert!(html.contains("mi-learn-choosing"));
    }
}
