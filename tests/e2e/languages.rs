//! English, Spanish and Portuguese: the language comes from the URL, the
//! clinic or the browser; it can be switched at any moment without losing an
//! answer; the submission records it; dates read as people write them.

use intake_e2e::{Browser, Receiver};
use serde_json::json;

async fn heading(browser: &Browser) -> String {
    browser
        .wait_for("#mi-intake-heading")
        .await
        .text()
        .await
        .expect("heading")
}

/// Takes a screenshot after checking that nothing is wider than the window
/// and no text is cut off in its box.
async fn shot(browser: &Browser, name: &str) {
    let cut = browser
        .eval(
            "const out = [...document.querySelectorAll('.mi-root :is(h1, h2, h3, p, label, legend, button, dt, dd, li)')] \
               .filter(e => e.getClientRects().length && e.scrollWidth > e.clientWidth + 1) \
               .map(e => e.id || e.className || e.tagName); \
             if (document.documentElement.scrollWidth > document.documentElement.clientWidth) out.push('page'); \
             return out;",
        )
        .await;
    assert_eq!(cut, json!([]), "{name}: text overflows");
    browser.screenshot(name).await;
}

async fn root_lang(browser: &Browser) -> String {
    browser
        .eval("return document.getElementById('mi-root').getAttribute('lang');")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Waits until the heading reads `text`.
async fn heading_becomes(browser: &Browser, text: &str) {
    for _ in 0..200 {
        if browser
            .eval("const h = document.getElementById('mi-intake-heading'); return h ? h.textContent : '';")
            .await
            == text
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(heading(browser).await, text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spanish_intake_is_reviewed_in_spanish_and_stored_as_es() {
    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    browser.viewport(390, 844).await;
    browser.open(&receiver.url("/?lang=es")).await;
    browser.wait_for(".mi-learn [data-start]").await;
    assert_eq!(root_lang(&browser).await, "es");
    let learn = browser
        .wait_for(".mi-learn")
        .await
        .text()
        .await
        .expect("text");
    assert!(learn.contains("¿Qué es el masaje médico?"), "{learn}");
    shot(&browser, "lang-es-learn-phone").await;
    browser.click(".mi-learn [data-start]").await;
    browser.wait_for("#mi-patient-given-name").await;
    assert_eq!(heading(&browser).await, "Paso 1 de 8: Sobre usted");
    shot(&browser, "lang-es-about-phone").await;
    browser
        .fill_form(
            ["Ana", "Silva", "Dolor de espalda", "Ana Silva"],
            "401-555-0134",
        )
        .await;
    let review = browser
        .wait_for(".mi-review")
        .await
        .text()
        .await
        .expect("review");
    for expected in [
        "Sobre usted",
        "Fecha de nacimiento",
        "12 de abril de 1961",
        "Voy a pagar yo",
        "Cambiar",
    ] {
        assert!(
            review.contains(expected),
            "review lacks {expected:?}:\n{review}"
        );
    }
    shot(&browser, "lang-es-review-phone").await;
    browser.click("button[type=submit]").await;
    browser.wait_for(".mi-reference").await;
    let done = browser
        .wait_for("#mi-done-heading")
        .await
        .text()
        .await
        .expect("done");
    assert_eq!(done, "Gracias, ya tenemos sus datos");
    // What to expect, from her own answers: no prescription (so the
    // therapist's assessment first), paying herself.
    let expect = browser
        .wait_for(".mi-expect")
        .await
        .text()
        .await
        .expect("what to expect");
    for expected in [
        "Qué esperar en su primera visita",
        "60 minutos",
        "Sin receta, su primera visita empieza con la evaluación de su terapeuta",
        "Por favor, traiga",
        "un medio de pago para la visita",
        "Imprimir esta página",
    ] {
        assert!(expect.contains(expected), "lacks {expected:?}:\n{expect}");
    }
    assert!(
        !expect.contains("What to expect"),
        "all in Spanish: {expect}"
    );
    let found = browser.axe().await;
    assert!(found.is_empty(), "axe on what to expect: {found:#?}");
    shot(&browser, "lang-es-expect-phone").await;
    browser.viewport(1024, 768).await;
    shot(&browser, "lang-es-expect-tablet").await;
    let rows = receiver.rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].2["locale"], "es");
    assert_eq!(
        rows[0].2["patient"]["date_of_birth"], "1961-04-12",
        "stored in ISO form"
    );
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_language_mid_form_keeps_every_answer_and_the_step() {
    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    browser.open(&receiver.url("/")).await;
    // On the first view: the education follows at once, and so does the form.
    browser.click("#mi-lang-pt").await;
    for _ in 0..200 {
        if root_lang(&browser).await == "pt" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let learn = browser
        .wait_for(".mi-learn")
        .await
        .text()
        .await
        .expect("text");
    assert!(learn.contains("O que é massagem médica?"), "{learn}");
    assert_eq!(
        browser.eval("return document.activeElement.id;").await,
        "mi-lang-pt"
    );
    shot(&browser, "lang-pt-learn-tablet").await;
    browser.click(".mi-learn [data-start]").await;
    heading_becomes(&browser, "Etapa 1 de 8: Sobre você").await;
    shot(&browser, "lang-pt-about-tablet").await;
    browser
        .fill_about("Ana", "Silva", "04121961", "401-555-0134")
        .await;
    browser.next_step().await;
    browser.type_into("mi-visit-reason", "Dor nas costas").await;
    browser.click("#mi-visit-goals-sleep-better").await;
    browser.click("#mi-prescription-has-prescription-no").await;
    // To Spanish, mid-step.
    browser.click("#mi-lang-es").await;
    heading_becomes(&browser, "Paso 2 de 7: Su cita y sus metas").await;
    assert_eq!(root_lang(&browser).await, "es");
    let kept = browser
        .eval(
            "return [document.getElementById('mi-visit-reason').value, \
             document.getElementById('mi-visit-goals-sleep-better').checked, \
             document.getElementById('mi-prescription-has-prescription-no').checked];",
        )
        .await;
    assert_eq!(kept, json!(["Dor nas costas", true, true]));
    browser.click("#mi-back").await;
    assert_eq!(browser.wait_step_change("visit").await, "about");
    let about = browser
        .eval("return ['mi-patient-given-name', 'mi-patient-phone', 'mi-patient-date-of-birth'].map(id => document.getElementById(id).value);")
        .await;
    assert_eq!(about, json!(["Ana", "401-555-0134", "1961-04-12"]));
    // And back to English, to the end.
    browser.click("#mi-lang-en").await;
    heading_becomes(&browser, "Step 1 of 7: About you").await;
    browser.next_step().await;
    browser.click("#mi-payer-kind").await;
    browser.next_step().await;
    browser.answer_health().await;
    browser.next_step().await;
    browser.next_step().await;
    browser.consent_and_sign("Ana Silva").await;
    browser.next_step().await;
    let review = browser
        .wait_for(".mi-review")
        .await
        .text()
        .await
        .expect("review");
    assert!(
        review.contains("April 12, 1961") && review.contains("Better sleep"),
        "{review}"
    );
    browser.click("#mi-lang-pt").await;
    heading_becomes(&browser, "Etapa 6 de 6: Revisão").await;
    let review = browser
        .wait_for(".mi-review")
        .await
        .text()
        .await
        .expect("review");
    assert!(
        review.contains("12 de abril de 1961") && review.contains("Dormir melhor"),
        "{review}"
    );
    shot(&browser, "lang-pt-review-tablet").await;
    browser.click("button[type=submit]").await;
    browser.wait_for(".mi-reference").await;
    let rows = receiver.rows();
    assert_eq!(rows[0].2["locale"], "pt");
    assert_eq!(rows[0].2["visit"]["reason"], "Dor nas costas");
    assert_eq!(rows[0].2["visit"]["goals"], json!(["sleep_better"]));
    // The thank-you screen stays through a switch.
    browser.click("#mi-lang-en").await;
    for _ in 0..200 {
        if root_lang(&browser).await == "en" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(browser.exists(".mi-reference").await);
    assert_eq!(browser.csp_violations().await, Vec::<String>::new());
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_s_language_is_used_when_nothing_else_says() {
    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    browser
        .cdp(
            "Emulation.setUserAgentOverride",
            json!({ "userAgent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156 Safari/537.36", "acceptLanguage": "pt-BR,pt;q=0.9" }),
        )
        .await;
    browser.open(&receiver.url("/?view=intake")).await;
    heading_becomes(&browser, "Etapa 1 de 8: Sobre você").await;
    // The URL wins over the browser.
    browser.open(&receiver.url("/?view=intake&lang=en")).await;
    heading_becomes(&browser, "Step 1 of 8: About you").await;
    browser.quit().await;
}
