//! For hands that shake, eyes that need large text, and bodies that feel
//! motion: every target is at least 24 px (48 px on the kiosk), text doubled
//! loses nothing, and a patient who asks for less motion gets none.

use intake_e2e::{Browser, Receiver};
use serde_json::{json, Value};

/// Targets smaller than `min` px on the step in view (or the whole page).
/// A tick box or radio counts with its row (its label is part of the target);
/// links inside a sentence are exempt, as WCAG 2.5.8 allows.
const SMALL_TARGETS: &str = "const min = arguments[0]; \
  const scope = document.querySelector('.mi-step:not([hidden])') || document; \
  return [...scope.querySelectorAll('button, input, select, textarea, a[href], [role=button]')] \
    .filter(e => e.getClientRects().length && !e.closest('[hidden]')) \
    .filter(e => !(e.tagName === 'A' && e.closest('p'))) \
    .map(e => { const box = (e.type === 'checkbox' || e.type === 'radio') ? (e.closest('.mi-option, .mi-check') || e) : e; \
      const r = box.getBoundingClientRect(); return [e.id || e.getAttribute('aria-label') || e.textContent.trim().slice(0, 30), Math.round(r.width), Math.round(r.height)]; }) \
    .filter(([, w, h]) => w < min || h < min);";

async fn small_targets(browser: &Browser, min: u32) -> Value {
    browser
        .driver
        .execute(SMALL_TARGETS, vec![json!(min)])
        .await
        .expect("measure")
        .json()
        .clone()
}

/// Nothing wider than the viewport, no control outside the card.
async fn overflow(browser: &Browser) -> Value {
    browser
        .eval(
            "const card = document.querySelector('.mi-intake, .mi-learn, .mi-card'); \
             const edge = card ? card.getBoundingClientRect().right : innerWidth; \
             const out = [...document.querySelectorAll('.mi-step:not([hidden]) :is(input, textarea, button, label, legend, h2, h3, p, li, canvas, svg)')] \
               .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > edge + 1) \
               .map(e => e.id || e.className || e.tagName); \
             if (document.documentElement.scrollWidth > document.documentElement.clientWidth) out.push('page is wider than the window'); \
             return out;",
        )
        .await
}

/// Goes through every step of the long path, calling `check` on each.
async fn each_step(browser: &Browser, url: &str, mut check: impl FnMut(String, Value)) {
    browser.open(url).await;
    browser.wait_for("#mi-patient-given-name").await;
    browser
        .fill_about("Ana", "Silva", "04121961", "401-555-0134")
        .await;
    let mut seen = Vec::new();
    loop {
        let step = browser.visible_step().await;
        seen.push(step.clone());
        check(step.clone(), Value::Null);
        match step.as_str() {
            "visit" => {
                browser.type_into("mi-visit-reason", "Back pain").await;
                browser.click("#mi-prescription-has-prescription").await;
                browser.click("#mi-payer-kind-auto-accident").await;
            }
            "health" => browser.answer_health().await,
            "pain" => {
                browser.click("[data-region=back_neck_left]").await;
                browser
                    .type_into("mi-pain-back-neck-left", "\u{E013}")
                    .await;
            }
            "prescription" => {
                for (id, text) in [
                    ("mi-prescription-prescriber-name", "Dr. Maya Chen"),
                    ("mi-prescription-prescriber-npi", "1234567893"),
                    ("mi-prescription-prescriber-phone", "4015550100"),
                    ("mi-prescription-date-written", "11032026"),
                    ("mi-prescription-diagnoses", "M54.2\u{E007}"),
                    ("mi-prescription-frequency-per-week", "2"),
                    ("mi-prescription-duration-weeks", "6"),
                ] {
                    browser.type_into(id, text).await;
                }
            }
            "payment" => {
                for (id, text) in [
                    ("mi-payer-auto-accident-carrier", "Ocean State Mutual"),
                    ("mi-payer-auto-accident-claim-number", "A-1"),
                    ("mi-payer-auto-accident-date-of-accident", "10302026"),
                ] {
                    browser.type_into(id, text).await;
                }
            }
            "consent" => {
                browser.consent_and_sign("Ana Silva").await;
            }
            "review" => break,
            _ => {}
        }
        browser.next_step().await;
    }
    assert_eq!(seen.len(), 8, "{seen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_target_is_24_px_and_48_px_on_the_kiosk() {
    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    let mut found = Vec::new();
    for (mode, min, width, height) in [("standalone", 24, 390, 844), ("kiosk", 48, 1024, 768)] {
        browser.viewport(width, height).await;
        browser.open(&receiver.url(&format!("/?mode={mode}"))).await;
        browser.wait_for(".mi-learn [data-start]").await;
        let small = small_targets(&browser, min).await;
        if small != json!([]) {
            found.push(format!("{mode} learn: {small}"));
        }
        let url = receiver.url(&format!("/?view=intake&mode={mode}"));
        let mut steps = Vec::new();
        each_step(&browser, &url, |step, _| steps.push(step)).await;
        // Measured on the way back, every step filled in.
        for step in steps.iter().rev() {
            let small = small_targets(&browser, min).await;
            if small != json!([]) {
                found.push(format!("{mode} {step}: {small}"));
            }
            if step != "about" {
                browser.click("#mi-back").await;
                browser.wait_step_change(step).await;
            }
        }
    }
    browser.quit().await;
    assert!(found.is_empty(), "targets too small:\n{}", found.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_at_twice_the_size_loses_nothing() {
    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    browser.viewport(1024, 768).await;
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "addEventListener('DOMContentLoaded', () => { document.documentElement.style.fontSize = '200%'; });" }),
        )
        .await;
    let mut found = Vec::new();
    browser.open(&receiver.url("/")).await;
    browser.wait_for(".mi-learn [data-start]").await;
    let size = browser
        .eval(
            "return parseFloat(getComputedStyle(document.querySelector('.mi-learn p')).fontSize);",
        )
        .await;
    assert!(
        size.as_f64().unwrap_or(0.0) >= 36.0,
        "text is doubled: {size}"
    );
    browser
        .eval("document.querySelectorAll('.mi-disclosure[aria-expanded=false]').forEach(b => b.click()); return true;")
        .await;
    let out = overflow(&browser).await;
    if out != json!([]) {
        found.push(format!("learn: {out}"));
    }
    let url = receiver.url("/?view=intake");
    let mut steps = Vec::new();
    each_step(&browser, &url, |step, _| steps.push(step)).await;
    for step in steps.iter().rev() {
        let out = overflow(&browser).await;
        if out != json!([]) {
            found.push(format!("{step}: {out}"));
        }
        if step == "review" || step == "pain" {
            browser.screenshot(&format!("text-200-{step}")).await;
        }
        if step != "about" {
            browser.click("#mi-back").await;
            browser.wait_step_change(step).await;
        }
    }
    browser.quit().await;
    assert!(found.is_empty(), "at 200 % text:\n{}", found.join("\n"));
}

/// How long a section's chevron takes to turn.
async fn chevron_turn(browser: &Browser, url: &str) -> Value {
    browser.open(url).await;
    browser.wait_for(".mi-disclosure").await;
    browser
        .eval("return getComputedStyle(document.querySelector('.mi-disclosure'), '::after').transitionDuration;")
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn asking_for_less_motion_stops_the_transitions() {
    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    assert_eq!(
        chevron_turn(&browser, &receiver.url("/")).await,
        "0.15s",
        "a chevron turns by default"
    );
    browser
        .cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-reduced-motion", "value": "reduce" }] }),
        )
        .await;
    assert_eq!(
        chevron_turn(&browser, &receiver.url("/")).await,
        "0s",
        "and not when less motion is asked for"
    );
    browser.quit().await;
}
