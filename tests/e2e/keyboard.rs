//! The whole intake with the keyboard alone: Tab, Shift-Tab, Space, Enter and
//! the arrow keys, including the body map, the diagnosis combobox and the
//! typed signature. Only keys reach the page; scripts only read where focus is.

use intake_e2e::{Browser, Receiver};
use serde_json::{json, Value};

const TAB: &str = "\u{E004}";
const SHIFT_TAB: &str = "\u{E008}\u{E004}\u{E000}";
const ENTER: &str = "\u{E007}";
const SPACE: &str = " ";
const ESCAPE: &str = "\u{E00C}";
const LEFT: &str = "\u{E012}";
const UP: &str = "\u{E013}";
const RIGHT: &str = "\u{E014}";
const DOWN: &str = "\u{E015}";

async fn press(browser: &Browser, keys: &str) {
    // Real key presses to whatever has focus (an element's send_keys would
    // take keys for a file name on the photo input).
    browser
        .driver
        .action_chain()
        .send_keys(keys)
        .perform()
        .await
        .expect("keys");
}

/// What has focus: its id, `region:CODE` for a body-map region, `start` for
/// a Start button.
async fn focused(browser: &Browser) -> String {
    browser
        .eval(
            "const e = document.activeElement; \
             if (e.hasAttribute && e.hasAttribute('data-start')) return 'start'; \
             return e.dataset && e.dataset.region ? 'region:' + e.dataset.region : e.id;",
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Presses `key` (Tab or Shift-Tab) until `target` has focus; fails after
/// 80 presses (it is then not reachable that way).
async fn move_to(browser: &Browser, key: &str, target: &str) -> usize {
    for presses in 0..80 {
        if focused(browser).await == target {
            return presses;
        }
        press(browser, key).await;
    }
    panic!(
        "{target} is not reachable with the keyboard (focus is on {})",
        focused(browser).await
    );
}

async fn tab_to(browser: &Browser, target: &str) -> usize {
    move_to(browser, TAB, target).await
}

async fn type_at(browser: &Browser, target: &str, text: &str) {
    tab_to(browser, target).await;
    press(browser, text).await;
}

/// Presses Enter where focus is and waits for the next step, whose heading
/// then has focus.
async fn enter_next(browser: &Browser) -> String {
    let from = browser.visible_step().await;
    press(browser, ENTER).await;
    let to = browser.wait_step_change(&from).await;
    for _ in 0..40 {
        if focused(browser).await == "mi-intake-heading" {
            return to;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("focus did not move to the heading of {to}");
}

async fn checked(browser: &Browser, id: &str) -> bool {
    browser
        .eval(&format!("return document.getElementById('{id}').checked;"))
        .await
        == Value::Bool(true)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_intake_can_be_done_with_the_keyboard_alone() {
    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    browser.viewport(1024, 768).await;
    browser.open(&receiver.url("/")).await;
    browser.wait_for(".mi-learn [data-start]").await;
    // From the top of the page to the Start button.
    browser.eval("document.body.focus(); return true;").await;
    press(&browser, TAB).await;
    tab_to(&browser, "start").await;
    press(&browser, ENTER).await;
    browser.wait_for("#mi-patient-given-name").await;
    for _ in 0..40 {
        if focused(&browser).await == "mi-intake-heading" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(focused(&browser).await, "mi-intake-heading");

    // About you; Enter in a field is Next.
    type_at(&browser, "mi-patient-given-name", "Ana").await;
    type_at(&browser, "mi-patient-family-name", "Silva").await;
    type_at(&browser, "mi-patient-date-of-birth", "04121961").await;
    type_at(&browser, "mi-patient-phone", "4015550134").await;
    assert_eq!(enter_next(&browser).await, "visit");

    // Visit: a tick box with Space, radios with the arrows, back with Shift-Tab.
    type_at(&browser, "mi-visit-reason", "Knee pain after a fall").await;
    tab_to(&browser, "mi-visit-goals").await;
    press(&browser, SPACE).await;
    assert!(checked(&browser, "mi-visit-goals").await);
    tab_to(&browser, "mi-prescription-has-prescription").await;
    press(&browser, SPACE).await;
    assert!(checked(&browser, "mi-prescription-has-prescription").await);
    tab_to(&browser, "mi-payer-kind").await;
    press(&browser, DOWN).await;
    press(&browser, DOWN).await;
    assert!(checked(&browser, "mi-payer-kind-auto-accident").await);
    press(&browser, UP).await;
    assert!(checked(&browser, "mi-payer-kind-health-insurance").await);
    press(&browser, DOWN).await;
    assert!(checked(&browser, "mi-payer-kind-auto-accident").await);
    move_to(&browser, SHIFT_TAB, "mi-visit-reason").await;
    tab_to(&browser, "mi-next").await;
    assert_eq!(enter_next(&browser).await, "health");

    // Health: every screening question answered from the keyboard: "None
    // of these" with Space, the yes/no radios with an arrow.
    tab_to(&browser, "mi-health-conditions-none").await;
    press(&browser, SPACE).await;
    tab_to(&browser, "mi-health-takes-medications").await;
    press(&browser, DOWN).await;
    assert!(checked(&browser, "mi-health-takes-medications-no").await);
    tab_to(&browser, "mi-health-blood-thinners").await;
    press(&browser, DOWN).await;
    assert!(checked(&browser, "mi-health-blood-thinners-no").await);
    tab_to(&browser, "mi-health-allergies-none").await;
    press(&browser, SPACE).await;
    tab_to(&browser, "mi-next").await;
    assert_eq!(enter_next(&browser).await, "pain");

    // The body map: one tab stop per figure, the arrows go where they
    // point, Space or Enter to choose.
    tab_to(&browser, "region:front_head").await;
    for _ in 0..10 {
        if focused(&browser).await.starts_with("region:front_knee") {
            break;
        }
        press(&browser, DOWN).await;
    }
    assert_eq!(focused(&browser).await, "region:front_knee_right");
    // The patient's left knee is on the viewer's right on the front figure.
    press(&browser, RIGHT).await;
    assert_eq!(focused(&browser).await, "region:front_knee_left");
    press(&browser, SPACE).await;
    press(&browser, TAB).await;
    assert_eq!(
        focused(&browser).await,
        "region:back_head",
        "Tab leaves the figure"
    );
    press(&browser, UP).await;
    assert_eq!(
        focused(&browser).await,
        "region:back_head",
        "nothing above the head"
    );
    for _ in 0..10 {
        if focused(&browser).await.starts_with("region:back_lower") {
            break;
        }
        press(&browser, DOWN).await;
    }
    if focused(&browser).await != "region:back_lower_left" {
        press(&browser, LEFT).await;
    }
    assert_eq!(focused(&browser).await, "region:back_lower_left");
    press(&browser, ENTER).await;
    let pressed = browser
        .eval("return [...document.querySelectorAll('[data-region][aria-pressed=true]')].map(r => r.dataset.region);")
        .await;
    assert_eq!(pressed, json!(["front_knee_left", "back_lower_left"]));
    tab_to(&browser, "mi-pain-front-knee-left").await;
    press(&browser, &RIGHT.repeat(3)).await;
    // Each region is rated by the patient, even at the middle of the scale.
    tab_to(&browser, "mi-pain-back-lower-left").await;
    press(&browser, &format!("{RIGHT}{LEFT}")).await;
    tab_to(&browser, "mi-next").await;
    assert_eq!(enter_next(&browser).await, "prescription");

    // Prescription, with the diagnosis combobox.
    type_at(&browser, "mi-prescription-prescriber-name", "Dr. Maya Chen").await;
    type_at(&browser, "mi-prescription-prescriber-npi", "1234567893").await;
    type_at(&browser, "mi-prescription-prescriber-phone", "4015550100").await;
    type_at(&browser, "mi-prescription-date-written", "11032026").await;
    type_at(&browser, "mi-prescription-diagnoses", "knee").await;
    let expanded = browser
        .eval("return document.getElementById('mi-prescription-diagnoses').getAttribute('aria-expanded');")
        .await;
    assert_eq!(expanded, "true");
    press(&browser, &format!("{DOWN}{DOWN}{UP}")).await;
    let active = browser
        .eval("const i = document.getElementById('mi-prescription-diagnoses'); \
               return document.getElementById(i.getAttribute('aria-activedescendant')).textContent;")
        .await;
    let active = active.as_str().unwrap_or_default().to_owned();
    assert!(active.to_lowercase().contains("knee"), "{active}");
    press(&browser, ENTER).await;
    // Escape closes the list, a second Escape clears what was typed.
    press(&browser, "zz").await;
    press(&browser, ESCAPE).await;
    press(&browser, ESCAPE).await;
    let left = browser
        .eval("return document.getElementById('mi-prescription-diagnoses').value;")
        .await;
    assert_eq!(left, "");
    type_at(&browser, "mi-prescription-frequency-per-week", "2").await;
    type_at(&browser, "mi-prescription-duration-weeks", "6").await;
    tab_to(&browser, "mi-next").await;
    assert_eq!(enter_next(&browser).await, "payment");

    type_at(
        &browser,
        "mi-payer-auto-accident-carrier",
        "Ocean State Mutual",
    )
    .await;
    type_at(&browser, "mi-payer-auto-accident-claim-number", "AUTO-77").await;
    type_at(
        &browser,
        "mi-payer-auto-accident-date-of-accident",
        "10302026",
    )
    .await;
    assert_eq!(enter_next(&browser).await, "consent");

    // Consent with Space, the typed signature, Enter.
    tab_to(&browser, "mi-consents-treatment").await;
    press(&browser, SPACE).await;
    tab_to(&browser, "mi-consents-privacy-notice").await;
    press(&browser, SPACE).await;
    type_at(&browser, "mi-signature-typed-name", "Ana Silva").await;
    assert_eq!(enter_next(&browser).await, "review");

    tab_to(&browser, "mi-next").await;
    press(&browser, ENTER).await;
    browser.wait_for(".mi-reference").await;
    let rows = receiver.rows();
    assert_eq!(rows.len(), 1);
    let body = &rows[0].2;
    assert_eq!(
        body["pain"],
        json!([
            {"region": "front_knee_left", "intensity": 8},
            {"region": "back_lower_left", "intensity": 5}
        ])
    );
    let code = body["prescription"]["diagnoses"][0]["code"]
        .as_str()
        .unwrap_or_default();
    assert!(
        active.starts_with(code),
        "{active} was chosen, {code} stored"
    );
    assert_eq!(body["payer"]["kind"], "auto_accident");
    assert_eq!(body["visit"]["goals"], json!(["reduce_pain"]));
    assert_eq!(body["signature"]["typed_name"], "Ana Silva");
    assert_eq!(browser.csp_violations().await, Vec::<String>::new());
    browser.quit().await;
}
