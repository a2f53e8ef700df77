//! The browser's Back and Forward on the standalone page: each step is an
//! entry, every answer is kept, leaving with answers on the screen asks
//! first, and remembered answers come back on the step the patient was on.

use std::time::Duration;

use intake_e2e::{Browser, Receiver};
use serde_json::Value;

/// Whether leaving the page would ask first, once the page has caught up
/// (answers are noted after the change has rendered): polls for `expected`
/// for up to 2 s and returns what it last saw.
async fn leaving_asks_soon(browser: &Browser, expected: bool) -> bool {
    let mut seen = !expected;
    for _ in 0..40 {
        seen = browser.leaving_asks().await;
        if seen == expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    seen
}

async fn history(browser: &Browser, go: &str) {
    browser.eval(&format!("history.{go}(); return true;")).await;
}

async fn value(browser: &Browser, id: &str) -> Value {
    browser
        .eval(&format!("return document.getElementById('{id}').value;"))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn back_and_forward_move_between_steps_and_keep_every_answer() {
    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    browser.viewport(390, 844).await;
    // The clinic's page the patient came from.
    browser.open(&receiver.url("/healthz")).await;
    browser.open(&receiver.url("/")).await;
    browser.click(".mi-learn [data-start]").await;
    browser.wait_for("#mi-patient-given-name").await;
    assert!(
        !leaving_asks_soon(&browser, false).await,
        "nothing typed: nothing to ask"
    );
    let length = browser.eval("return history.length;").await;
    browser
        .fill_about("Ana", "Silva", "04121961", "401-555-0134")
        .await;
    assert!(
        leaving_asks_soon(&browser, true).await,
        "answers on the screen: it asks"
    );
    assert_eq!(browser.next_step().await, "visit");
    browser.type_into("mi-visit-reason", "Stiff neck").await;

    // The browser's Back: the previous step, not the previous page.
    history(&browser, "back").await;
    assert_eq!(browser.wait_step_change("visit").await, "about");
    assert_eq!(value(&browser, "mi-patient-given-name").await, "Ana");
    browser.screenshot("history-back-phone").await;
    // Forward: the step again, with what was typed there.
    history(&browser, "forward").await;
    assert_eq!(browser.wait_step_change("about").await, "visit");
    assert_eq!(value(&browser, "mi-visit-reason").await, "Stiff neck");
    // The form's own Back moves through the same entries.
    browser.click("#mi-back").await;
    assert_eq!(browser.wait_step_change("visit").await, "about");
    history(&browser, "forward").await;
    assert_eq!(browser.wait_step_change("about").await, "visit");
    // And still after a switch to another language and back.
    browser.click("#mi-lang-es").await;
    browser.wait_for("#mi-back").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    browser.click("#mi-lang-en").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(browser.visible_step().await, "visit");
    assert_eq!(value(&browser, "mi-visit-reason").await, "Stiff neck");
    browser.click("#mi-back").await;
    assert_eq!(browser.wait_step_change("visit").await, "about");
    history(&browser, "forward").await;
    assert_eq!(
        browser.wait_step_change("about").await,
        "visit",
        "the form's Back went back, it did not add an entry"
    );

    browser.click("#mi-prescription-has-prescription-no").await;
    browser.click("#mi-payer-kind").await;
    assert_eq!(browser.next_step().await, "health");
    browser.answer_health().await;
    assert_eq!(browser.next_step().await, "pain");
    let entries = browser.eval("return history.length;").await;
    assert_eq!(
        entries.as_i64(),
        length.as_i64().map(|n| n + 3),
        "one entry per step after the first, none for the start"
    );
    // Back three times to the first step, where "remember my answers" is;
    // then Forward three times, back to where the patient was.
    for from in ["pain", "health", "visit"] {
        history(&browser, "back").await;
        browser.wait_step_change(from).await;
    }
    assert_eq!(browser.visible_step().await, "about");
    browser.click("#mi-remember").await;
    for from in ["about", "visit", "health"] {
        history(&browser, "forward").await;
        browser.wait_step_change(from).await;
    }
    // Remembered on this device, then reloaded: the answers come back on
    // the step the patient was on.
    assert!(
        !leaving_asks_soon(&browser, false).await,
        "remembered answers survive a reload: nothing to ask"
    );
    browser.eval("location.reload(); return true;").await;
    browser.wait_for("#mi-patient-given-name").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(browser.visible_step().await, "pain");
    assert_eq!(value(&browser, "mi-patient-given-name").await, "Ana");
    history(&browser, "back").await;
    assert_eq!(browser.wait_step_change("pain").await, "health");
    assert_eq!(
        browser
            .eval("return document.getElementById('mi-health-blood-thinners-no').checked;")
            .await,
        true
    );
    for _ in 0..2 {
        browser.next_step().await;
    }
    browser.consent_and_sign("Ana Silva").await;
    assert_eq!(browser.next_step().await, "review");
    browser.click("button[type=submit]").await;
    browser.wait_for(".mi-reference").await;
    assert!(
        !leaving_asks_soon(&browser, false).await,
        "sent: nothing to ask"
    );
    assert_eq!(
        browser.eval("return history.state;").await,
        Value::Null,
        "a reload now shows the start page, not an empty form"
    );
    // Back after sending shows no answers and sends nothing again.
    history(&browser, "back").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(browser.exists(".mi-reference").await, "still the thank-you");
    assert_eq!(receiver.rows().len(), 1);
    assert_eq!(receiver.rows()[0].2["visit"]["reason"], "Stiff neck");
    assert_eq!(browser.csp_violations().await, Vec::<String>::new());
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn back_from_the_first_step_leaves_the_form_page() {
    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    browser.open(&receiver.url("/healthz")).await;
    browser.open(&receiver.url("/?view=intake")).await;
    browser.wait_for("#mi-patient-given-name").await;
    browser.type_into("mi-patient-given-name", "Ana").await;
    assert!(leaving_asks_soon(&browser, true).await);
    history(&browser, "back").await;
    for _ in 0..50 {
        if browser.eval("return location.pathname;").await == "/healthz" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(browser.eval("return location.pathname;").await, "/healthz");
    browser.quit().await;
}
