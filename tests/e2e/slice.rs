//! The first slice end to end: a patient opens the page in Chromium, reads,
//! fills the form and sends it; the receiver stores it in its SQLite file.

use intake_e2e::{dist_dir, Browser, Receiver};

/// Fills the form with Ana Silva's answers, typing `phone` as the number.
async fn fill(browser: &Browser, phone: &str) {
    browser.fill_short_form(phone).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_patient_submits_and_the_receiver_stores_exactly_that_submission() {
    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    browser.open(&receiver.url("/")).await;
    browser.click(".mi-learn [data-start]").await;
    fill(&browser, "(401) 555-0134").await;
    browser.click("button[type=submit]").await;
    let reference = browser.reference().await;

    let rows = receiver.rows();
    assert_eq!(rows.len(), 1, "exactly one row");
    let (id, stored_reference, body) = &rows[0];
    assert_eq!(
        stored_reference, &reference,
        "the page shows the receiver's reference"
    );
    assert_eq!(body["schema"], "massage-intake/2");
    assert_eq!(body["submission_id"], id.as_str());
    assert_eq!(body["patient"]["given_name"], "Ana");
    assert_eq!(body["patient"]["family_name"], "Silva");
    assert_eq!(body["patient"]["phone"], "+14015550134", "stored as E.164");
    assert_eq!(body["patient"]["date_of_birth"], "1961-04-12");
    assert_eq!(body["visit"]["reason"], "Lower back pain since March");
    assert_eq!(body["signature"]["method"], "typed");
    assert_eq!(body["signature"]["typed_name"], "Ana Silva");
    assert_eq!(
        body["consents"]["privacy_notice"]["version"],
        "privacy-2026-11"
    );
    assert_eq!(body["payer"]["kind"], "self_pay");
    assert_eq!(body["prescription"]["has_prescription"], false);
    assert_eq!(body["flags"], serde_json::json!([]));
    assert_eq!(body["locale"], "en");
    assert_eq!(body["mode"], "standalone");
    assert!(body["consents"]["treatment"]["version"]
        .as_str()
        .is_some_and(|v| !v.is_empty()));
    assert_eq!(
        browser.csp_violations().await,
        Vec::<String>::new(),
        "the page runs under the strict policy"
    );
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_phone_is_explained_next_to_the_field_and_nothing_is_stored() {
    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    browser.open(&receiver.url("/?view=intake")).await;
    browser
        .fill_about("Ana", "Silva", "04121961", "401-555-01")
        .await;
    browser.click("#mi-next").await;
    let message = browser
        .wait_for("#mi-patient-phone-error")
        .await
        .text()
        .await
        .expect("message");
    assert!(
        message.contains("does not look like a US or Canadian phone number"),
        "{message}"
    );
    let phone = browser.wait_for("#mi-patient-phone").await;
    assert_eq!(
        phone.attr("aria-invalid").await.expect("attr").as_deref(),
        Some("true")
    );
    let described = phone
        .attr("aria-describedby")
        .await
        .expect("attr")
        .unwrap_or_default();
    assert!(described.contains("mi-patient-phone-error"), "{described}");
    assert_eq!(
        phone.prop("value").await.expect("value").as_deref(),
        Some("401-555-01"),
        "nothing typed is lost"
    );
    assert!(
        browser
            .exists("#mi-patient-given-name:not([aria-invalid])")
            .await
    );
    assert!(receiver.rows().is_empty(), "nothing is stored");
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_configuration_shows_a_notice_instead_of_a_blank_page() {
    for (config, expected) in [
        ("{}", "No address is set for sending forms"),
        (
            r#"{"endpoint": "ftp://files.example/in"}"#,
            "\"ftp://files.example/in\" is not a web address",
        ),
        ("{not json", "could not be read"),
    ] {
        let receiver = Receiver::start(Some(config)).await;
        let browser = Browser::start().await;
        browser.open(&receiver.url("/")).await;
        let notice = browser
            .wait_for(".mi-notice")
            .await
            .text()
            .await
            .expect("notice");
        assert!(notice.contains(expected), "{config}: {notice}");
        assert!(
            browser.exists(".mi-learn").await,
            "{config}: the education still shows"
        );
        assert!(
            !browser.exists("form").await,
            "{config}: no form that cannot be sent"
        );
        browser.quit().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_cannot_send_the_answers_elsewhere() {
    let receiver = Receiver::start(None).await;
    let elsewhere = Receiver::start(None).await;
    let browser = Browser::start().await;
    let crafted = format!(
        "/?view=intake&endpoint={}/api/v1/submissions",
        elsewhere.base
    );
    browser.open(&receiver.url(&crafted)).await;
    fill(&browser, "401-555-0134").await;
    browser.click("button[type=submit]").await;
    browser.wait_for(".mi-reference").await;
    assert_eq!(receiver.rows().len(), 1, "the configured endpoint got it");
    assert!(
        elsewhere.rows().is_empty(),
        "the URL's endpoint got nothing"
    );
    browser.quit().await;
}

#[test]
fn the_built_page_has_no_inline_script() {
    let html = std::fs::read_to_string(dist_dir().join("index.html")).expect("dist/index.html");
    let lower = html.to_ascii_lowercase();
    let mut scripts = 0;
    for (at, _) in lower.match_indices("<script") {
        let tag_end = lower[at..].find('>').map(|e| at + e).expect("a closed tag");
        let tag = &lower[at..tag_end];
        assert!(tag.contains(" src="), "an inline script: {tag}");
        let close = lower[tag_end..]
            .find("</script>")
            .map(|c| tag_end + c)
            .expect("a closing tag");
        assert_eq!(
            lower[tag_end + 1..close].trim(),
            "",
            "a script element with a body"
        );
        scripts += 1;
    }
    assert!(scripts >= 1, "the page loads its boot script");
    assert!(
        !lower.contains(" onload=") && !lower.contains(" onclick="),
        "no inline handlers"
    );
    for script in ["boot.js", "embed.js"] {
        let text = std::fs::read_to_string(dist_dir().join(script)).expect(script);
        assert!(
            !text.contains("eval(") && !text.contains("new Function"),
            "no eval in {script}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_receiver_serves_the_page_with_the_strict_policy() {
    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    browser.open(&receiver.url("/")).await;
    browser.wait_for(".mi-learn").await;
    let policy = browser
        .eval(
            "const r = await fetch('/', {cache: 'no-store'}); \
             return r.headers.get('content-security-policy');",
        )
        .await;
    let policy = policy.as_str().unwrap_or_default().to_owned();
    for directive in [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
    ] {
        assert!(
            policy.contains(directive),
            "{directive} missing from {policy}"
        );
    }
    assert_eq!(browser.csp_violations().await, Vec::<String>::new());
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_screen_fits_phone_tablet_and_desktop() {
    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    for (name, width, height) in [
        ("phone", 390, 844),
        ("tablet", 1024, 768),
        ("desktop", 1440, 900),
    ] {
        browser.viewport(width, height).await;
        browser.open(&receiver.url("/")).await;
        browser.wait_for(".mi-learn [data-start]").await;
        assert_fits(&browser, &format!("learn at {name}")).await;
        browser.screenshot(&format!("learn-{name}")).await;
        // Every section open, and the first card of each list.
        browser
            .eval(
                "document.querySelectorAll('.mi-disclosure[aria-expanded=false]').forEach(b => b.click());\
                 document.querySelectorAll('.mi-topics').forEach(l => l.querySelector('.mi-more').click());\
                 return true;",
            )
            .await;
        assert_fits(&browser, &format!("learn opened at {name}")).await;
        assert_icons_sit_in_their_cards(&browser, name).await;
        browser.screenshot(&format!("learn-open-{name}")).await;
        browser.eval("window.scrollTo(0, 0); return true;").await;
        for view in ["welcome", "learn_only"] {
            browser.open(&receiver.url(&format!("/?view={view}"))).await;
            browser.wait_for(".mi-disclaimer").await;
            assert_fits(&browser, &format!("{view} at {name}")).await;
            browser.screenshot(&format!("learn-{view}-{name}")).await;
        }
        browser.open(&receiver.url("/")).await;

        browser.click(".mi-learn [data-start]").await;
        browser.click("button[type=submit]").await;
        browser.wait_for("#mi-patient-phone-error").await;
        assert_fits(&browser, &format!("form with errors at {name}")).await;
        browser.screenshot(&format!("form-errors-{name}")).await;

        // A minor: the consent step asks for a parent or guardian.
        browser
            .fill_about("Ana", "Silva", "06012012", "401-555-0134")
            .await;
        browser.next_step().await;
        browser.type_into("mi-visit-reason", "Sore shoulder").await;
        browser.click("#mi-prescription-has-prescription-no").await;
        browser.click("#mi-payer-kind").await;
        browser.next_step().await;
        browser.answer_health().await;
        browser.next_step().await;
        browser.next_step().await;
        browser
            .wait_for("fieldset.mi-group:not([hidden]) #mi-consents-guardian-name")
            .await;
        browser
            .type_into("mi-consents-guardian-name", "Rui Silva")
            .await;
        browser
            .type_into("mi-consents-guardian-relationship", "Father")
            .await;
        browser
            .type_into("mi-consents-guardian-phone", "401-555-0188")
            .await;
        browser.consent_and_sign("Rui Silva").await;
        assert_fits(&browser, &format!("guardian at {name}")).await;
        browser.screenshot(&format!("form-guardian-{name}")).await;
        assert_eq!(browser.next_step().await, "review");
        browser.click("button[type=submit]").await;
        browser.wait_for(".mi-reference").await;
        assert_fits(&browser, &format!("done at {name}")).await;
        browser.screenshot(&format!("done-{name}")).await;
    }
    let rows = receiver.rows();
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter()
            .all(|(_, _, body)| body["consents"]["guardian"]["name"] == "Rui Silva"),
        "the minors' guardians were stored"
    );
    browser.quit().await;
}

/// Each illustration is drawn at the same size, in its card's top-left corner.
async fn assert_icons_sit_in_their_cards(browser: &Browser, what: &str) {
    let boxes = browser
        .eval(
            "return [...document.querySelectorAll('.mi-topic')].map(card => {\
               const c = card.getBoundingClientRect(), i = card.querySelector('svg.mi-icon').getBoundingClientRect();\
               return [i.width, i.height, i.left - c.left, i.top - c.top];\
             });",
        )
        .await;
    let boxes = boxes.as_array().cloned().unwrap_or_default();
    assert_eq!(boxes.len(), 9, "{what}: nine cards with icons");
    let first = &boxes[0];
    for b in &boxes {
        assert_eq!(b, first, "{what}: icons differ in size or place: {boxes:?}");
    }
    let size = first[0].as_f64().unwrap_or(0.0);
    assert!((40.0..=48.0).contains(&size), "{what}: icon {size}px");
}

/// Nothing sticks out sideways, and body text is at least 16 px.
async fn assert_fits(browser: &Browser, what: &str) {
    let widths = browser
        .eval(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
        )
        .await;
    let (scroll, client) = (
        widths[0].as_i64().unwrap_or(i64::MAX),
        widths[1].as_i64().unwrap_or(0),
    );
    assert!(
        scroll <= client,
        "{what}: content is {scroll}px wide in a {client}px viewport"
    );
    let smallest = browser
        .eval(
            "return Math.min(...[...document.querySelectorAll('.mi-root p, .mi-root li, .mi-root dd, .mi-root dt, .mi-root label, .mi-root input:not([type=checkbox]), .mi-root button')]\
             .map(e => parseFloat(getComputedStyle(e).fontSize)));",
        )
        .await;
    assert!(
        smallest.as_f64().unwrap_or(0.0) >= 16.0,
        "{what}: text as small as {smallest}px"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_disclosure_opens_and_closes_from_the_keyboard() {
    use thirtyfour::Key;
    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    browser.open(&receiver.url("/")).await;
    browser.wait_for(".mi-learn [data-start]").await;
    let state = |id: String| {
        let browser = &browser;
        async move {
            browser
                .eval(&format!(
                    "const b = document.querySelector('[aria-controls=\"{id}\"]');\
                     return [b.getAttribute('aria-expanded'), !document.getElementById('{id}').hidden];"
                ))
                .await
        }
    };
    let ids = browser
        .eval("return [...document.querySelectorAll('button[aria-controls]')].map(b => b.getAttribute('aria-controls'));")
        .await;
    let ids: Vec<String> = ids
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(ids.len(), 17, "8 sections and 9 cards");
    for id in ids {
        // A card sits inside its section: open the section first (by keyboard).
        let section = browser
            .eval(&format!(
                "const p = document.querySelector('[aria-controls=\"{id}\"]').closest('.mi-learn-panel');\
                 return p && p.hidden ? p.id : null;"
            ))
            .await;
        if let Some(section) = section.as_str() {
            browser
                .wait_for(&format!("[aria-controls='{section}']"))
                .await
                .send_keys(Key::Enter)
                .await
                .expect("press Enter");
        }
        let button = browser.wait_for(&format!("[aria-controls='{id}']")).await;
        let before = state(id.clone()).await;
        let was_open = before[0] == "true";
        assert_eq!(before[1], was_open, "{id}: state and panel agree");
        button.send_keys(Key::Enter).await.expect("press Enter");
        assert_eq!(
            state(id.clone()).await,
            serde_json::json!([if was_open { "false" } else { "true" }, !was_open]),
            "{id}: Enter toggles it"
        );
        button.send_keys(" ").await.expect("press Space");
        assert_eq!(
            state(id.clone()).await,
            serde_json::json!([if was_open { "true" } else { "false" }, was_open]),
            "{id}: Space toggles it back"
        );
    }
    // Tab order: from the Learn heading, the first control is the first section.
    browser
        .eval("document.getElementById('mi-learn-heading').focus(); return true;")
        .await;
    browser
        .wait_for("#mi-learn-heading")
        .await
        .send_keys(Key::Tab)
        .await
        .expect("press Tab");
    let focused = browser.eval("return document.activeElement.id;").await;
    assert_eq!(focused, "mi-learn-what");
    assert_eq!(browser.csp_violations().await, Vec::<String>::new());
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clinic_that_wants_fhir_gets_a_questionnaire_response_and_the_row_is_stored() {
    let receiver = Receiver::start(Some(
        r#"{"endpoint": "/api/v1/submissions", "format": "fhir", "clinic_name": "Harbor Medical Massage"}"#,
    ))
    .await;
    let browser = Browser::start().await;
    browser.open(&receiver.url("/")).await;
    browser.click(".mi-learn [data-start]").await;
    fill(&browser, "401-555-0134").await;
    // Record what the page posts, as sent (type and resource, never shown).
    browser
        .eval(
            "const send = window.fetch;\
             window.miPosted = [];\
             window.fetch = (input, init) => {\
               const r = input instanceof Request ? input.clone() : new Request(input, init);\
               if (r.method === 'POST') {\
                 r.clone().text().then(t => window.miPosted.push(\
                   [r.headers.get('Content-Type'), JSON.parse(t).resourceType]));\
               }\
               return send(input, init);\
             };\
             return true;",
        )
        .await;
    browser.click("button[type=submit]").await;
    let reference = browser.reference().await;
    let posted = browser
        .eval("await new Promise(r => setTimeout(r, 50)); return window.miPosted;")
        .await;
    assert_eq!(
        posted,
        serde_json::json!([["application/fhir+json", "QuestionnaireResponse"]])
    );
    let rows = receiver.rows();
    assert_eq!(rows.len(), 1, "exactly one row");
    let (id, stored_reference, body) = &rows[0];
    assert_eq!(stored_reference, &reference);
    assert_eq!(body["submission_id"], id.as_str());
    assert_eq!(body["patient"]["family_name"], "Silva");
    assert_eq!(body["patient"]["phone"], "+14015550134");
    assert_eq!(body["patient"]["date_of_birth"], "1961-04-12");
    assert_eq!(body["signature"]["typed_name"], "Ana Silva");
    assert_eq!(
        body["consents"]["privacy_notice"]["version"],
        "privacy-2026-11"
    );
    assert_eq!(browser.csp_violations().await, Vec::<String>::new());
    browser.quit().await;
}
