//! axe-core on every screen, at phone and tablet sizes: the Learn sections,
//! every step of the form with and without its problems shown, the diagnosis
//! list open, a photo and a drawn signature, Review, Done, and the kiosk's
//! idle dialog, in English, Spanish and Portuguese. Zero violations of WCAG
//! 2.2 A and AA rules.

use intake_e2e::{Browser, Receiver};

/// Runs axe on the page and notes what it finds under `screen`.
async fn sweep(browser: &Browser, screen: &str, found: &mut Vec<String>) {
    for v in browser.axe().await {
        found.push(format!("{screen}: {v}"));
    }
}

async fn every_screen(
    browser: &Browser,
    receiver: &Receiver,
    lang: &str,
    size: &str,
    found: &mut Vec<String>,
) {
    let size = &format!("{lang} {size}");
    browser.open(&receiver.url(&format!("/?lang={lang}"))).await;
    browser.wait_for(".mi-learn [data-start]").await;
    // The checker itself: an unlabelled field and a low-contrast line are found.
    browser
        .eval(
            "const i = document.createElement('input'); i.id = 'axe-canary'; document.body.append(i); \
             const p = document.createElement('p'); p.id = 'axe-canary-2'; p.textContent = 'faint'; \
             p.style.color = '#ddd'; document.body.append(p); return true;",
        )
        .await;
    let canary = browser.axe().await.join("\n");
    assert!(
        canary.contains("label")
            && canary.contains("color-contrast")
            && canary.contains("#axe-canary"),
        "axe-core does not see what it should:\n{canary}"
    );
    browser
        .eval("document.getElementById('axe-canary').remove(); document.getElementById('axe-canary-2').remove(); return true;")
        .await;
    sweep(browser, &format!("learn {size}"), found).await;
    browser
        .eval(
            "document.querySelectorAll('.mi-disclosure[aria-expanded=false]').forEach(b => b.click());\
             document.querySelectorAll('.mi-topics').forEach(l => l.querySelector('.mi-more').click());\
             return true;",
        )
        .await;
    sweep(browser, &format!("learn, all open {size}"), found).await;
    for view in ["welcome", "learn_only"] {
        browser
            .open(&receiver.url(&format!("/?view={view}&lang={lang}")))
            .await;
        browser.wait_for(".mi-disclaimer").await;
        sweep(browser, &format!("{view} {size}"), found).await;
    }

    browser
        .open(&receiver.url(&format!("/?view=intake&lang={lang}")))
        .await;
    browser.wait_for("#mi-patient-given-name").await;
    sweep(browser, &format!("about {size}"), found).await;
    browser.click("#mi-next").await;
    browser.wait_for("#mi-patient-given-name-error").await;
    sweep(browser, &format!("about with errors {size}"), found).await;
    browser
        .fill_about("Ana", "Silva", "04121961", "401-555-0134")
        .await;
    browser.next_step().await;
    sweep(browser, &format!("visit {size}"), found).await;
    browser.click("#mi-next").await;
    browser.wait_for("#mi-visit-reason-error").await;
    sweep(browser, &format!("visit with errors {size}"), found).await;
    browser.type_into("mi-visit-reason", "Back pain").await;
    browser.click("#mi-prescription-has-prescription").await;
    browser.click("#mi-payer-kind-health-insurance").await;
    browser.next_step().await;
    sweep(browser, &format!("health {size}"), found).await;
    browser.click("#mi-health-conditions-pregnancy").await;
    browser.click("#mi-health-takes-medications").await;
    browser.click("#mi-medications-add").await;
    browser.click("#mi-next").await;
    browser.wait_for("#mi-health-pregnancy-weeks-error").await;
    browser.wait_for("#mi-health-blood-thinners-error").await;
    sweep(browser, &format!("health with errors {size}"), found).await;
    browser.click("#mi-health-conditions-pregnancy").await;
    browser.click("#mi-health-conditions-none").await;
    browser
        .type_into("mi-health-medications-0-name", "Ibuprofen")
        .await;
    browser.click("#mi-health-blood-thinners-no").await;
    browser.click("#mi-health-allergies-none").await;
    browser.next_step().await;
    sweep(browser, &format!("pain {size}"), found).await;
    browser.click("[data-region=front_knee_left]").await;
    browser.click("[data-region=back_lower_right]").await;
    browser.click("#mi-next").await;
    browser.wait_for("#mi-pain-front-knee-left-error").await;
    sweep(
        browser,
        &format!("pain, two chosen, not rated {size}"),
        found,
    )
    .await;
    // Arrow keys rate them, as a keyboard user would.
    browser
        .type_into("mi-pain-front-knee-left", "\u{E014}")
        .await;
    browser
        .type_into("mi-pain-back-lower-right", "\u{E012}")
        .await;
    sweep(browser, &format!("pain, two rated {size}"), found).await;
    browser.next_step().await;
    sweep(browser, &format!("prescription {size}"), found).await;
    browser.click("#mi-next").await;
    browser
        .wait_for("#mi-prescription-prescriber-name-error")
        .await;
    sweep(browser, &format!("prescription with errors {size}"), found).await;
    browser
        .type_into("mi-prescription-prescriber-name", "Dr. Maya Chen")
        .await;
    browser
        .type_into("mi-prescription-prescriber-npi", "1234567893")
        .await;
    browser
        .type_into("mi-prescription-prescriber-phone", "4015550100")
        .await;
    browser
        .type_into("mi-prescription-date-written", "11032026")
        .await;
    browser.type_into("mi-prescription-diagnoses", "back").await;
    browser
        .wait_for("#mi-prescription-diagnoses-list:not([hidden])")
        .await;
    sweep(browser, &format!("diagnosis list open {size}"), found).await;
    browser
        .type_into("mi-prescription-diagnoses", "\u{E015}\u{E007}")
        .await;
    browser
        .type_into("mi-prescription-frequency-per-week", "2")
        .await;
    browser
        .type_into("mi-prescription-duration-weeks", "6")
        .await;
    sweep(browser, &format!("prescription filled {size}"), found).await;
    browser.next_step().await;
    sweep(browser, &format!("payment {size}"), found).await;
    browser.click("#mi-next").await;
    browser
        .wait_for("#mi-payer-health-insurance-carrier-error")
        .await;
    sweep(browser, &format!("payment with errors {size}"), found).await;
    browser
        .type_into("mi-payer-health-insurance-carrier", "Blue Cross")
        .await;
    browser
        .type_into("mi-payer-health-insurance-member-id", "XJ-1")
        .await;
    browser
        .type_into("mi-payer-health-insurance-subscriber-name", "Ana Silva")
        .await;
    browser.next_step().await;
    sweep(browser, &format!("consent {size}"), found).await;
    browser.click("#mi-next").await;
    browser.wait_for("#mi-consents-treatment-error").await;
    sweep(browser, &format!("consent with errors {size}"), found).await;
    browser.consent_and_sign("Ana Silva").await;
    browser.next_step().await;
    sweep(browser, &format!("review {size}"), found).await;
    browser.click("button[type=submit]").await;
    browser.wait_for(".mi-reference").await;
    sweep(browser, &format!("done {size}"), found).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_nothing_on_any_screen_at_phone_and_tablet_sizes() {
    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    let mut found = Vec::new();
    for lang in ["en", "es", "pt"] {
        for (size, width, height) in [("phone", 390, 844), ("tablet", 1024, 768)] {
            browser.viewport(width, height).await;
            every_screen(&browser, &receiver, lang, size, &mut found).await;
        }
    }
    browser.quit().await;

    // The kiosk's idle dialog.
    let kiosk = Receiver::start(Some(
        r#"{"endpoint": "/api/v1/submissions", "view": "intake", "mode": "kiosk", "kiosk_idle_seconds": 1, "kiosk_warning_seconds": 30}"#,
    ))
    .await;
    let browser = Browser::start().await;
    for lang in ["en", "es", "pt"] {
        for (size, width, height) in [("phone", 390, 844), ("tablet", 1024, 768)] {
            browser.viewport(width, height).await;
            browser.open(&kiosk.url(&format!("/?lang={lang}"))).await;
            browser.wait_for("#mi-patient-given-name").await;
            browser.wait_for("[role=alertdialog]").await;
            let title = browser
                .wait_for("#mi-idle-title")
                .await
                .text()
                .await
                .expect("title");
            let expected = match lang {
                "es" => "¿Sigue ahí?",
                "pt" => "Você ainda está aí?",
                _ => "Are you still there?",
            };
            assert_eq!(
                title, expected,
                "the idle dialog speaks the patient's language"
            );
            sweep(
                &browser,
                &format!("kiosk idle dialog {lang} {size}"),
                &mut found,
            )
            .await;
        }
    }
    browser.quit().await;
    assert!(found.is_empty(), "axe-core found:\n{}", found.join("\n"));
}
