//! The whole intake, step by step, in Chromium against the real receiver:
//! every answer typed, picked, drawn or photographed ends up in the SQLite
//! row with the right value. Each step is photographed at phone and tablet
//! sizes.

use intake_e2e::{Browser, Receiver};
use serde_json::{json, Value};

/// Makes a `width` x `height` PNG in the page and hands it to the photo
/// input as if chosen from the camera roll; `kind`/`bytes` replace it with
/// something that is not a picture.
const CHOOSE_FILE: &str = "\
    const [width, height, kind] = arguments; \
    let file; \
    if (kind === 'png') { \
      const c = document.createElement('canvas'); c.width = width; c.height = height; \
      const x = c.getContext('2d'); x.fillStyle = '#fff'; x.fillRect(0, 0, width, height); \
      x.fillStyle = '#123'; x.font = '160px sans-serif'; x.fillText('Rx: medical massage 2x/week', 80, 400); \
      const d = atob(c.toDataURL('image/png').split(',')[1]); const b = new Uint8Array(d.length); \
      for (let i = 0; i < d.length; i++) b[i] = d.charCodeAt(i); \
      file = new File([b], 'rx.png', {type: 'image/png'}); \
    } else if (kind === 'text') { \
      file = new File(['my notes'], 'notes.txt', {type: 'text/plain'}); \
    } else { \
      file = new File(['not really a picture'], 'broken.jpg', {type: 'image/jpeg'}); \
    } \
    const t = new DataTransfer(); t.items.add(file); \
    const input = document.getElementById('mi-attachments'); input.files = t.files; \
    input.dispatchEvent(new Event('change', {bubbles: true})); return file.size;";

/// Draws a signature on the pad with pen pointer events: two strokes.
const DRAW: &str = "\
    const pad = document.getElementById('mi-signature-pad'); pad.scrollIntoView(); \
    const r = pad.getBoundingClientRect(); \
    const at = (type, fx, fy) => pad.dispatchEvent(new PointerEvent(type, { \
      clientX: r.left + fx * r.width, clientY: r.top + fy * r.height, \
      pointerId: 7, pointerType: 'pen', isPrimary: true, bubbles: true, cancelable: true })); \
    for (const stroke of [[0.1, 0.6, 0.45, 0.3], [0.5, 0.7, 0.9, 0.4]]) { \
      const [x0, y0, x1, y1] = stroke; at('pointerdown', x0, y0); \
      for (let i = 1; i <= 20; i++) at('pointermove', x0 + (x1 - x0) * i / 20, y0 + (y1 - y0) * i / 20 + Math.sin(i) * 0.05); \
      at('pointerup', x1, y1); } \
    return true;";

async fn heading(browser: &Browser) -> String {
    browser
        .wait_for("#mi-intake-heading")
        .await
        .text()
        .await
        .expect("heading")
}

async fn shot(browser: &Browser, name: &str, size: &str) {
    assert_fits(browser, &format!("{name} at {size}")).await;
    browser.screenshot(&format!("wizard-{name}-{size}")).await;
}

/// Nothing sticks out sideways, and text is at least 16 px.
async fn assert_fits(browser: &Browser, what: &str) {
    let widths = browser
        .eval(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
        )
        .await;
    assert!(
        widths[0].as_i64() <= widths[1].as_i64(),
        "{what}: content is wider than the viewport ({widths})"
    );
    let outside = browser
        .eval(
            "const card = document.querySelector('.mi-intake').getBoundingClientRect(); \
             return [...document.querySelectorAll('.mi-step:not([hidden]) :is(input, textarea, button, canvas, img, li, fieldset)')]\
             .filter(e => e.offsetParent && e.getBoundingClientRect().right > card.right - 1)\
             .map(e => e.id || e.className || e.tagName);",
        )
        .await;
    assert_eq!(
        outside,
        serde_json::json!([]),
        "{what}: controls stick out of the card"
    );
    let smallest = browser
        .eval(
            "return Math.min(...[...document.querySelectorAll('.mi-step:not([hidden]) :is(p, li, dd, dt, label, input:not([type=checkbox]), button)')]\
             .map(e => parseFloat(getComputedStyle(e).fontSize)));",
        )
        .await;
    assert!(
        smallest.as_f64().unwrap_or(0.0) >= 16.0,
        "{what}: text as small as {smallest}px"
    );
}

/// Sets an input's text from scratch.
async fn retype(browser: &Browser, id: &str, text: &str) {
    browser
        .eval(&format!(
            "const i = document.getElementById('{id}'); i.value = ''; \
             i.dispatchEvent(new Event('input', {{bubbles: true}})); return true;"
        ))
        .await;
    browser.type_into(id, text).await;
}

async fn full_intake(browser: &Browser, receiver: &Receiver, size: &str) -> String {
    browser.open(&receiver.url("/?view=intake")).await;
    // About you.
    browser.wait_for("#mi-patient-given-name").await;
    assert_eq!(heading(browser).await, "Step 1 of 8: About you");
    browser
        .fill_about("Ana", "Silva", "04121961", "(401) 555-0134")
        .await;
    browser
        .type_into("mi-patient-email", "ana.silva@example.org")
        .await;
    browser
        .type_into("mi-patient-address-line1", "12 Wickenden St")
        .await;
    browser
        .type_into("mi-patient-address-city", "Providence")
        .await;
    browser.type_into("mi-patient-address-region", "ri").await;
    browser
        .type_into("mi-patient-address-postal-code", "02903")
        .await;
    browser
        .type_into("mi-patient-emergency-contact-name", "Rui Silva")
        .await;
    browser
        .type_into("mi-patient-emergency-contact-relationship", "Husband")
        .await;
    browser
        .type_into("mi-patient-emergency-contact-phone", "401 555 0188")
        .await;
    shot(browser, "about", size).await;
    assert_eq!(browser.next_step().await, "visit");

    // Visit and goals.
    browser
        .type_into(
            "mi-visit-reason",
            "Neck and lower back pain since a car accident.",
        )
        .await;
    browser.click("#mi-visit-goals").await;
    browser.click("#mi-visit-goals-improve-mobility").await;
    browser.click("#mi-visit-pressure-medium").await;
    browser.click("#mi-prescription-has-prescription").await;
    browser.click("#mi-payer-kind-auto-accident").await;
    assert_eq!(heading(browser).await, "Step 2 of 8: Visit and goals");
    shot(browser, "visit", size).await;
    assert_eq!(browser.next_step().await, "health");

    // Health history: a condition that asks for a date, a medicine, an allergy.
    browser
        .click("#mi-health-conditions-high-blood-pressure")
        .await;
    assert!(
        !browser
            .wait_for("#mi-health-surgery-or-injury-date")
            .await
            .is_displayed()
            .await
            .expect("displayed"),
        "the surgery date is asked only with the condition"
    );
    browser
        .click("#mi-health-conditions-recent-surgery-or-injury")
        .await;
    browser
        .type_into("mi-health-surgery-or-injury-date", "10302026")
        .await;
    browser.click("#mi-health-takes-medications").await;
    browser.click("#mi-medications-add").await;
    browser
        .type_into("mi-health-medications-0-name", "Lisinopril")
        .await;
    browser
        .type_into("mi-health-medications-0-dose", "10 mg daily")
        .await;
    browser.click("#mi-health-blood-thinners-no").await;
    browser.click("#mi-health-allergies-nuts").await;
    shot(browser, "health", size).await;
    assert_eq!(browser.next_step().await, "pain");

    // Where it hurts: three regions by pointer, one intensity by keyboard.
    for region in ["back_neck_left", "back_neck_right", "back_lower_left"] {
        browser.click(&format!("[data-region={region}]")).await;
    }
    // A fourth, then taken back.
    browser.click("[data-region=front_knee_left]").await;
    browser.click("[data-region=front_knee_left]").await;
    assert_eq!(
        browser
            .wait_for("[data-region=back_neck_left]")
            .await
            .attr("aria-pressed")
            .await
            .expect("attr")
            .as_deref(),
        Some("true")
    );
    let slider = browser.wait_for("#mi-pain-back-neck-left").await;
    slider.send_keys("\u{E014}\u{E014}").await.expect("arrows");
    let slider = browser.wait_for("#mi-pain-back-lower-left").await;
    slider.send_keys("\u{E014}").await.expect("arrow");
    // A region chosen but never rated is not stored as a 5: Next asks.
    browser.click("#mi-next").await;
    let asked = browser
        .wait_for("#mi-pain-back-neck-right-error")
        .await
        .text()
        .await
        .expect("text");
    assert!(asked.contains("how strong"), "{asked}");
    assert_eq!(browser.visible_step().await, "pain");
    let slider = browser.wait_for("#mi-pain-back-neck-right").await;
    slider.send_keys("\u{E014}\u{E012}").await.expect("arrows");
    shot(browser, "pain", size).await;
    assert_eq!(browser.next_step().await, "prescription");

    // Prescription: Next with nothing filled shows what is missing.
    assert_eq!(heading(browser).await, "Step 5 of 8: Prescription");
    browser.click("#mi-next").await;
    browser
        .wait_for("#mi-prescription-prescriber-name-error")
        .await;
    assert_eq!(browser.visible_step().await, "prescription");
    shot(browser, "prescription-errors", size).await;
    browser
        .type_into("mi-prescription-prescriber-name", "Dr. Maya Chen")
        .await;
    // The NPI is checked as typed, and speaks once the field is left.
    browser
        .type_into("mi-prescription-prescriber-npi", "1234567890")
        .await;
    browser
        .type_into("mi-prescription-prescriber-phone", "4015550100")
        .await;
    let npi_message = browser
        .wait_for("#mi-prescription-prescriber-npi-error")
        .await
        .text()
        .await
        .expect("npi message");
    assert!(npi_message.contains("typing mistake"), "{npi_message}");
    retype(browser, "mi-prescription-prescriber-npi", "1234567893").await;
    browser
        .type_into("mi-prescription-date-written", "11032026")
        .await;
    // Diagnoses: by words from the list, then a code outside the list.
    browser
        .type_into("mi-prescription-diagnoses", "low back")
        .await;
    browser
        .wait_for("#mi-prescription-diagnoses-list:not([hidden]) [role=option]")
        .await;
    browser
        .type_into("mi-prescription-diagnoses", "\u{E015}\u{E007}")
        .await;
    browser
        .type_into("mi-prescription-diagnoses", "s83.241a")
        .await;
    browser
        .type_into("mi-prescription-diagnoses", "\u{E015}\u{E007}")
        .await;
    browser
        .type_into(
            "mi-prescription-diagnoses-1-description",
            "Tear of medial meniscus, right knee",
        )
        .await;
    browser.click("#mi-prescription-modalities").await;
    browser
        .type_into("mi-prescription-frequency-per-week", "2")
        .await;
    browser
        .type_into("mi-prescription-duration-weeks", "6")
        .await;
    // A file that is not a picture, one that cannot be read, then a photo.
    browser
        .driver
        .execute(CHOOSE_FILE, vec![json!(0), json!(0), json!("text")])
        .await
        .expect("file");
    let status = browser.wait_for("#mi-attachments-status.mi-error").await;
    assert!(status.text().await.expect("text").contains("not a photo"));
    browser
        .driver
        .execute(CHOOSE_FILE, vec![json!(0), json!(0), json!("broken")])
        .await
        .expect("file");
    browser.wait_for("#mi-attachments-status.mi-error").await;
    for _ in 0..100 {
        let text = browser
            .wait_for("#mi-attachments-status")
            .await
            .text()
            .await
            .expect("text");
        if text.contains("could not be opened") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(browser
        .wait_for("#mi-attachments-status")
        .await
        .text()
        .await
        .expect("text")
        .contains("could not be opened"));
    browser
        .driver
        .execute(CHOOSE_FILE, vec![json!(3000), json!(2000), json!("png")])
        .await
        .expect("file");
    browser.wait_for(".mi-preview img").await;
    let natural = browser
        .eval("const i = document.querySelector('.mi-preview img'); return [i.naturalWidth, i.naturalHeight];")
        .await;
    assert_eq!(natural, json!([1600, 1067]), "downscaled to 1600 px");
    shot(browser, "prescription", size).await;
    assert_eq!(browser.next_step().await, "payment");

    // Payment: the car insurance's fields only.
    assert!(!browser
        .wait_for("#mi-payer-health-insurance-carrier")
        .await
        .is_displayed()
        .await
        .expect("displayed"));
    browser
        .type_into("mi-payer-auto-accident-carrier", "Ocean State Mutual")
        .await;
    browser
        .type_into("mi-payer-auto-accident-claim-number", "AUTO-2026-44817")
        .await;
    browser
        .type_into("mi-payer-auto-accident-date-of-accident", "10302026")
        .await;
    shot(browser, "payment", size).await;
    assert_eq!(browser.next_step().await, "consent");

    // Consent and signature: drawn.
    browser.click("#mi-consents-treatment").await;
    browser.click("#mi-consents-privacy-notice").await;
    browser.click("#mi-consents-share-with-primary-care").await;
    browser.eval(DRAW).await;
    browser.wait_for(".mi-signed:not(:empty)").await;
    shot(browser, "consent", size).await;
    assert_eq!(browser.next_step().await, "review");

    // Review: every group in words; Edit goes there and comes back.
    let review = browser
        .wait_for(".mi-review")
        .await
        .text()
        .await
        .expect("review");
    for expected in [
        "Ana",
        "ana.silva@example.org",
        "Less pain, Moving more easily",
        "Car accident insurance (PIP)",
        "High blood pressure",
        "Lisinopril, 10 mg daily",
        "Back of the neck, left side: 7 of 10",
        "Lower back, left side: 6 of 10",
        "M54.50 Low back pain, unspecified",
        "S83.241A Tear of medial meniscus, right knee",
        "Photo added",
        "AUTO-2026-44817",
    ] {
        assert!(
            review.contains(expected),
            "review lacks {expected:?}:\n{review}"
        );
    }
    // The signature itself, as the clinic will receive it.
    assert!(
        browser
            .exists(".mi-review svg.mi-review-signature[aria-label='Drawn signature'] path")
            .await
    );
    shot(browser, "review", size).await;
    browser.click("[data-edit='1']").await;
    assert_eq!(browser.wait_step_change("review").await, "visit");
    let button = browser
        .wait_for("#mi-next")
        .await
        .text()
        .await
        .expect("text");
    assert_eq!(button, "Save and go back to review");
    assert_eq!(browser.next_step().await, "review");

    browser.click("button[type=submit]").await;
    let reference = browser.reference().await;
    browser.screenshot(&format!("wizard-done-{size}")).await;
    assert_eq!(browser.csp_violations().await, Vec::<String>::new());
    reference
}

fn row_for<'a>(rows: &'a [(String, String, Value)], reference: &str) -> &'a Value {
    &rows
        .iter()
        .find(|(_, r, _)| r == reference)
        .expect("the row of this reference")
        .2
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_intake_with_a_prescription_reaches_sqlite_answer_for_answer() {
    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    for (size, width, height) in [("phone", 390, 844), ("tablet", 1024, 768)] {
        browser.viewport(width, height).await;
        let reference = full_intake(&browser, &receiver, size).await;
        let rows = receiver.rows();
        let body = row_for(&rows, &reference);
        let p = &body["patient"];
        assert_eq!(p["given_name"], "Ana");
        assert_eq!(p["phone"], "+14015550134");
        assert_eq!(p["email"], "ana.silva@example.org");
        assert_eq!(
            p["address"],
            json!({"line1": "12 Wickenden St", "line2": null, "city": "Providence", "region": "RI", "postal_code": "02903"})
        );
        assert_eq!(
            p["emergency_contact"],
            json!({"name": "Rui Silva", "relationship": "Husband", "phone": "+14015550188"})
        );
        assert_eq!(p["primary_care"], Value::Null);
        let v = &body["visit"];
        assert_eq!(v["goals"], json!(["reduce_pain", "improve_mobility"]));
        assert_eq!(v["pressure"], "medium");
        let h = &body["health"];
        assert_eq!(
            h["conditions"],
            json!(["high_blood_pressure", "recent_surgery_or_injury"])
        );
        assert_eq!(h["surgery_or_injury_date"], "2026-10-30");
        assert_eq!(
            h["medications"],
            json!([{"name": "Lisinopril", "dose": "10 mg daily"}])
        );
        assert_eq!(h["allergies"], json!(["nuts"]));
        assert_eq!(h["takes_medications"], true);
        assert_eq!(h["blood_thinners"], false);
        let given = |consent: &str| body["consents"][consent]["accepted_at"].as_str();
        let sent = body["submitted_at"].as_str();
        assert!(
            given("treatment") <= given("privacy_notice")
                && given("privacy_notice") <= given("share_with_primary_care")
                && given("share_with_primary_care") < sent,
            "each consent keeps the moment it was ticked"
        );
        assert_eq!(
            body["pain"],
            json!([
                {"region": "back_neck_left", "intensity": 7},
                {"region": "back_neck_right", "intensity": 5},
                {"region": "back_lower_left", "intensity": 6}
            ])
        );
        let rx = &body["prescription"];
        assert_eq!(rx["has_prescription"], true);
        assert_eq!(
            rx["prescriber"],
            json!({"name": "Dr. Maya Chen", "npi": "1234567893", "practice": null, "phone": "+14015550100", "fax": null})
        );
        assert_eq!(rx["date_written"], "2026-11-03");
        assert_eq!(
            rx["diagnoses"],
            json!([
                {"code": "M54.50", "description": "Low back pain, unspecified"},
                {"code": "S83.241A", "description": "Tear of medial meniscus, right knee"}
            ])
        );
        assert_eq!(rx["modalities"], json!(["97124"]));
        assert_eq!(rx["frequency_per_week"], 2);
        assert_eq!(rx["duration_weeks"], 6);
        assert_eq!(
            rx["session_minutes"],
            Value::Null,
            "not on the prescription: not assumed"
        );
        assert_eq!(body["payer"]["kind"], "auto_accident");
        assert_eq!(
            body["payer"]["auto_accident"],
            json!({"carrier": "Ocean State Mutual", "claim_number": "AUTO-2026-44817", "adjuster_name": null, "adjuster_phone": null, "date_of_accident": "2026-10-30"})
        );
        assert_eq!(body["payer"]["health_insurance"], Value::Null);
        assert!(body["consents"]["share_with_primary_care"]["version"].is_string());
        let sig = &body["signature"];
        assert_eq!(sig["method"], "drawn");
        let path = sig["svg_path"].as_str().expect("path");
        assert_eq!(path.matches('M').count(), 2, "two strokes: {path}");
        assert!(path.matches('L').count() >= 30, "{path}");
        let photo = &body["attachments"][0];
        assert_eq!(photo["kind"], "prescription_photo");
        assert_eq!(photo["mime_type"], "image/jpeg");
        let size = photo["size_bytes"].as_u64().expect("size");
        assert!(size > 1000 && size <= 1_000_000, "{size} bytes");
        let flags: Vec<&str> = body["flags"]
            .as_array()
            .expect("flags")
            .iter()
            .filter_map(|f| f["code"].as_str())
            .collect();
        assert!(flags.contains(&"surgery_clearance"), "{flags:?}");
        assert!(flags.contains(&"nut_free_lubricant"), "{flags:?}");
    }
    assert_eq!(receiver.rows().len(), 2);
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_prescription_and_paying_oneself_two_steps_are_skipped() {
    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    browser.open(&receiver.url("/?view=intake")).await;
    browser.wait_for("#mi-patient-given-name").await;
    browser
        .fill_about("Ana", "Silva", "04121961", "401-555-0134")
        .await;
    assert_eq!(browser.next_step().await, "visit");
    browser
        .type_into("mi-visit-reason", "Stiff shoulders")
        .await;
    assert_eq!(heading(&browser).await, "Step 2 of 8: Visit and goals");
    browser.click("#mi-prescription-has-prescription-no").await;
    browser.click("#mi-payer-kind").await;
    assert_eq!(heading(&browser).await, "Step 2 of 6: Visit and goals");
    let mut seen = Vec::new();
    loop {
        let step = browser.next_step().await;
        seen.push((step.clone(), heading(&browser).await));
        if step == "health" {
            // Nothing ticked is not "no": every screening question asks.
            browser.click("#mi-next").await;
            let choose = browser
                .wait_for("#mi-health-blood-thinners-error")
                .await
                .text()
                .await
                .expect("text");
            assert_eq!(choose, "Please choose one.");
            assert!(browser.exists("#mi-health-conditions-error").await);
            assert!(browser.exists("#mi-health-allergies-error").await);
            assert_eq!(browser.visible_step().await, "health");
            browser.answer_health().await;
        }
        if step == "consent" {
            break;
        }
    }
    assert_eq!(
        seen,
        [
            (
                "health".to_owned(),
                "Step 3 of 6: Health history".to_owned()
            ),
            ("pain".to_owned(), "Step 4 of 6: Where it hurts".to_owned()),
            (
                "consent".to_owned(),
                "Step 5 of 6: Consent and signature".to_owned()
            ),
        ]
    );
    // An empty signature is refused, with words that say how to sign.
    browser.click("#mi-consents-treatment").await;
    browser.click("#mi-consents-privacy-notice").await;
    browser.click("#mi-next").await;
    let message = browser
        .wait_for("#mi-signature-typed-name-error")
        .await
        .text()
        .await
        .expect("message");
    assert!(message.contains("sign in the box"), "{message}");
    browser
        .type_into("mi-signature-typed-name", "Ana Silva")
        .await;
    assert_eq!(browser.next_step().await, "review");
    let review = browser
        .wait_for(".mi-review")
        .await
        .text()
        .await
        .expect("review");
    assert!(
        !review.contains("Prescription\n") && !review.contains("Payment"),
        "{review}"
    );
    // Back, back: every answer is still there.
    browser.click("#mi-back").await;
    assert_eq!(browser.wait_step_change("review").await, "consent");
    browser.click("#mi-back").await;
    assert_eq!(browser.wait_step_change("consent").await, "pain");
    browser.click("#mi-back").await;
    browser.click("#mi-back").await;
    assert_eq!(browser.wait_step_change("health").await, "visit");
    let kept = browser
        .eval("return [document.getElementById('mi-visit-reason').value, document.getElementById('mi-prescription-has-prescription-no').checked];")
        .await;
    assert_eq!(kept, json!(["Stiff shoulders", true]));
    for _ in 0..4 {
        browser.next_step().await;
    }
    assert_eq!(browser.visible_step().await, "review");
    browser.click("button[type=submit]").await;
    browser.wait_for(".mi-reference").await;
    let rows = receiver.rows();
    assert_eq!(rows.len(), 1);
    let body = &rows[0].2;
    assert_eq!(body["prescription"]["has_prescription"], false);
    assert_eq!(body["prescription"]["prescriber"], Value::Null);
    assert_eq!(
        body["payer"],
        json!({"kind": "self_pay", "health_insurance": null, "auto_accident": null, "workers_comp": null})
    );
    assert_eq!(body["pain"], json!([]));
    assert_eq!(
        body["health"],
        json!({"conditions": ["none"], "surgery_or_injury_date": null, "pregnancy_weeks": null,
               "condition_notes": null, "takes_medications": false, "medications": [],
               "blood_thinners": false, "allergies": ["none"], "allergies_other": null})
    );
    assert_eq!(body["attachments"], json!([]));
    assert_eq!(body["signature"]["typed_name"], "Ana Silva");
    browser.quit().await;
}
