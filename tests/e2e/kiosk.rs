//! The waiting-room tablet: idle warning, reset, and nothing of one patient
//! left for the next, not even a submission still on its way.

use std::time::Duration;

use intake_e2e::proxy::{Fault, FlakyProxy, Outage};
use intake_e2e::{Browser, Receiver};

const CANARIES: [&str; 3] = ["Zqkioskgiven", "Zqkioskfamily", "Zqkioskreason"];

fn config(idle: u32) -> String {
    serde_json::json!({
        "endpoint": "/api/v1/submissions",
        "view": "intake",
        "mode": "kiosk",
        "send_timeout_seconds": 2,
        "kiosk_idle_seconds": idle,
        "kiosk_warning_seconds": 2,
        "kiosk_done_seconds": 2,
    })
    .to_string()
}

async fn type_canaries(browser: &Browser) {
    let [given, family, reason] = CANARIES;
    browser
        .fill_form(
            [given, family, reason, format!("{given} {family}").as_str()],
            "401-555-0134",
        )
        .await;
}

/// Every place a canary could hide in the page: the markup, the values of
/// its fields, both storages and every IndexedDB database.
const EVERYTHING: &str = "const values = [...document.querySelectorAll('input, textarea')].map(e => e.value);\
  const dbs = await (indexedDB.databases ? indexedDB.databases() : Promise.resolve([]));\
  const dumps = [];\
  for (const d of dbs) {\
    dumps.push(await new Promise((done) => {\
      const o = indexedDB.open(d.name);\
      o.onerror = () => done('');\
      o.onsuccess = () => {\
        const db = o.result, names = [...db.objectStoreNames];\
        if (!names.length) { db.close(); return done(''); }\
        const t = db.transaction(names), out = [];\
        names.forEach(n => { const r = t.objectStore(n).getAll(); r.onsuccess = () => out.push(r.result); });\
        t.oncomplete = () => { db.close(); done(JSON.stringify(out)); };\
      };\
    }));\
  }\
  return [document.documentElement.outerHTML, JSON.stringify(values),\
    JSON.stringify(Object.entries(localStorage)), JSON.stringify(Object.entries(sessionStorage)),\
    dumps.join('')].join('\\n');";

/// Waits up to `tries` tenths of a second for `condition` (a script
/// expression) to hold in the page; what then holds is for the caller to check.
async fn until(browser: &Browser, condition: &str, tries: u32) {
    for _ in 0..tries {
        if browser.eval(&format!("return !!({condition});")).await == true {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Leaves a mark in the page's memory, to tell later whether the page was
/// loaded anew.
async fn mark_page(browser: &Browser) {
    browser.eval("window.__samePage = true; return true;").await;
}

async fn same_page(browser: &Browser) -> bool {
    browser.eval("return window.__samePage === true;").await == true
}

async fn assert_no_canary(browser: &Browser, when: &str) {
    let everything = browser.eval(EVERYTHING).await;
    let text = everything.as_str().unwrap_or_default();
    assert!(!text.is_empty(), "{when}: the page was read");
    for canary in CANARIES {
        assert!(
            !text.contains(canary),
            "{when}: {canary} is still in the page"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_kiosk_warns_then_clears_everything_for_the_next_patient() {
    let receiver = Receiver::start(Some(&config(2))).await;
    let browser = Browser::start().await;
    // A page before the kiosk, so Back has somewhere to go.
    browser.open(&receiver.url("/healthz")).await;
    browser.open(&receiver.url("/")).await;
    browser
        .wait_for(".mi-root--kiosk #mi-patient-given-name")
        .await;
    type_canaries(&browser).await;
    // Localstorage written by anyone on the page goes too.
    browser
        .eval(&format!("localStorage.setItem('note', '{}'); sessionStorage.setItem('note', '{}'); return true;", CANARIES[0], CANARIES[1]))
        .await;

    // The warning: a modal dialog with a countdown, its button focused.
    let dialog = browser.wait_for("[role=alertdialog]").await;
    assert_eq!(
        dialog.attr("aria-modal").await.ok().flatten().as_deref(),
        Some("true")
    );
    let focused = browser.eval("return document.activeElement.id;").await;
    assert_eq!(focused, "mi-idle-stay");
    // The next person in line cannot read the answers behind it.
    let backdrop = browser
        .eval("return getComputedStyle(document.querySelector('.mi-dialog-backdrop')).backgroundColor;")
        .await;
    assert_eq!(backdrop, "rgb(29, 37, 33)", "an opaque backdrop");
    browser.screenshot("kiosk-idle-tablet").await;
    mark_page(&browser).await;

    // Then the reset: a fresh form, nothing of the patient anywhere.
    browser.wait_for("#mi-patient-given-name").await;
    until(
        &browser,
        "!document.getElementById('mi-idle-dialog') && document.getElementById('mi-patient-given-name')?.value === ''",
        100,
    )
    .await;
    browser.wait_for("#mi-patient-given-name").await;
    assert_no_canary(&browser, "after the reset").await;
    assert!(!same_page(&browser).await, "the page was loaded anew");

    // Back leads out of the kiosk, not to the previous patient; forward
    // returns to a clean form.
    browser.eval("history.back(); return true;").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let here = browser.eval("return location.pathname;").await;
    assert_eq!(here, "/healthz", "Back left the kiosk page");
    assert_no_canary(&browser, "after Back").await;
    browser.eval("history.forward(); return true;").await;
    browser.wait_for("#mi-patient-given-name").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_no_canary(&browser, "after Forward").await;
    assert!(receiver.rows().is_empty(), "nothing was sent");
    assert_eq!(browser.csp_violations().await, Vec::<String>::new());
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn i_m_still_here_keeps_the_answers() {
    let receiver = Receiver::start(Some(&config(2))).await;
    let browser = Browser::start().await;
    browser.open(&receiver.url("/")).await;
    browser.wait_for("#mi-patient-given-name").await;
    browser.type_into("mi-patient-given-name", "Ana").await;
    browser
        .wait_for("#mi-idle-stay")
        .await
        .send_keys(thirtyfour::Key::Enter)
        .await
        .expect("press Enter");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        browser
            .eval("return !document.getElementById('mi-idle-dialog');")
            .await,
        true
    );
    let kept = browser
        .eval("return document.getElementById('mi-patient-given-name').value;")
        .await;
    assert_eq!(kept, "Ana");
    let focused = browser.eval("return document.activeElement.id;").await;
    assert_eq!(focused, "mi-patient-given-name", "the focus went back");
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_thank_you_screen_asks_for_the_tablet_back_then_resets() {
    let receiver = Receiver::start(Some(&config(600))).await;
    let browser = Browser::start().await;
    browser.open(&receiver.url("/")).await;
    browser.wait_for("#mi-patient-given-name").await;
    type_canaries(&browser).await;
    browser.click("button[type=submit]").await;
    let hand_back = browser.wait_for(".mi-hand-back").await;
    assert!(hand_back
        .text()
        .await
        .unwrap_or_default()
        .contains("hand the tablet back"));
    let done = browser
        .eval("return document.querySelector('.mi-root').innerText;")
        .await;
    assert!(
        !done
            .as_str()
            .unwrap_or_default()
            .contains("when you arrive"),
        "the patient is already here: {done}"
    );
    // The waiting room's version of what to expect: the visit's length and
    // what happens next, nothing of the patient's health, nothing to print.
    let expect = browser
        .wait_for(".mi-expect")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(
        expect.contains("What happens next") && expect.contains("60 minutes"),
        "{expect}"
    );
    assert_eq!(
        browser
            .eval("return document.querySelectorAll('.mi-expect :is(ul, .mi-print)').length;")
            .await,
        0,
        "no techniques, nothing to bring, no flags, no printing: {expect}"
    );
    let found = browser.axe().await;
    assert!(
        found.is_empty(),
        "axe on the kiosk's thank-you screen: {found:#?}"
    );
    browser.screenshot("kiosk-done-tablet").await;
    mark_page(&browser).await;
    // Within a few seconds, untouched, it is ready for the next patient.
    until(
        &browser,
        "!document.querySelector('.mi-done') && !document.querySelector('.mi-expect')",
        100,
    )
    .await;
    browser.wait_for("#mi-patient-given-name").await;
    assert_no_canary(&browser, "after the thank-you screen").await;
    assert!(!same_page(&browser).await, "the page was loaded anew");
    assert_eq!(receiver.rows().len(), 1);
    browser.quit().await;
}

/// With the clinic's server out of reach at the reset (here: every request
/// hangs), the tablet does not load the page anew (that would leave the
/// browser's error page on it): after trying its address for 3 seconds, with
/// the idle watch firing meanwhile (2 seconds) and starting no second reset,
/// the form starts afresh in place, once, with nothing of the patient.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offline_tablet_resets_in_place() {
    let receiver = Receiver::start(Some(&config(2))).await;
    let proxy = FlakyProxy::start(receiver.addr, Vec::new()).await;
    let browser = Browser::start().await;
    browser.open(&proxy.url("/")).await;
    browser.wait_for("#mi-patient-given-name").await;
    type_canaries(&browser).await;
    browser.click("button[type=submit]").await;
    browser.wait_for(".mi-hand-back").await;
    proxy.go_down(Outage::Hung);
    mark_page(&browser).await;
    until(
        &browser,
        "!document.querySelector('.mi-done') && document.getElementById('mi-patient-given-name')?.value === ''",
        150,
    )
    .await;
    browser.wait_for("#mi-patient-given-name").await;
    assert!(same_page(&browser).await, "reset in place");
    // The idle watch waited for the reset: no warning over the fresh form
    // (its idle time starts now), and one form.
    assert_eq!(
        browser
            .eval("return [document.querySelectorAll('.mi-root').length, !!document.getElementById('mi-idle-dialog')];")
            .await,
        serde_json::json!([1, false]),
        "one fresh form, no warning"
    );
    assert_no_canary(&browser, "after the reset offline").await;
    assert_eq!(receiver.rows().len(), 1);
    // Back online, the next reset loads the page anew.
    proxy.heal();
    browser.type_into("mi-patient-given-name", "Next").await;
    browser.wait_for("[role=alertdialog]").await;
    until(&browser, "window.__samePage !== true", 150).await;
    browser.wait_for("#mi-patient-given-name").await;
    assert!(!same_page(&browser).await, "the page was loaded anew");
    assert_eq!(browser.csp_violations().await, Vec::<String>::new());
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_submission_unsent_at_reset_still_arrives_once() {
    let receiver = Receiver::start(Some(&config(3))).await;
    let proxy = FlakyProxy::start(
        receiver.addr,
        vec![Fault::Unavailable { retry_after: 1 }; 500],
    )
    .await;
    let browser = Browser::start().await;
    browser.open(&proxy.url("/")).await;
    browser.wait_for("#mi-patient-given-name").await;
    type_canaries(&browser).await;
    browser.click("button[type=submit]").await;
    browser.wait_for(".mi-send-retry").await;
    mark_page(&browser).await;
    // Nobody touches the tablet: it warns, then resets with the submission unsent.
    browser.wait_for("[role=alertdialog]").await;
    // Generous: on a loaded 2-core machine the rebuilt form can take a while.
    until(
        &browser,
        "!document.getElementById('mi-idle-dialog') && document.getElementById('mi-patient-given-name')?.value === ''",
        300,
    )
    .await;
    assert_no_canary(&browser, "after the reset").await;
    assert!(
        same_page(&browser).await,
        "the unsent submission lives in this page"
    );
    assert!(receiver.rows().is_empty());
    // The next patient starts; the receiver comes back.
    browser.type_into("mi-patient-given-name", "Next").await;
    proxy.heal();
    for _ in 0..200 {
        if !receiver.rows().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rows = receiver.rows();
    assert_eq!(rows.len(), 1, "the first patient's, exactly once");
    assert_eq!(rows[0].2["patient"]["family_name"], CANARIES[1]);
    assert_eq!(
        browser
            .eval("return document.getElementById('mi-patient-given-name').value;")
            .await,
        "Next",
        "the next patient's form is untouched"
    );
    assert_eq!(browser.csp_violations().await, Vec::<String>::new());
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_home_answers_can_be_remembered_for_a_day_and_forgotten() {
    const KEY: &str = "massage-intake.remembered";
    let receiver = Receiver::start(Some(
        r#"{"endpoint": "/api/v1/submissions", "view": "intake"}"#,
    ))
    .await;
    let browser = Browser::start().await;
    browser.open(&receiver.url("/")).await;
    browser.wait_for("#mi-remember").await;
    // Off by default: typing keeps nothing.
    browser.type_into("mi-patient-given-name", "Ana").await;
    let stored = browser
        .eval(&format!("return localStorage.getItem('{KEY}');"))
        .await;
    assert_eq!(
        stored,
        serde_json::Value::Null,
        "nothing kept without the patient's yes"
    );
    // Opted in: the answers come back after a reload.
    browser.click("#mi-remember").await;
    browser.type_into("mi-patient-family-name", "Silva").await;
    browser.eval("location.reload(); return true;").await;
    browser.wait_for(".mi-restored").await;
    browser.screenshot("form-remembered").await;
    let value = |id: &'static str| {
        let browser = &browser;
        async move {
            browser
                .eval(&format!("return document.getElementById('{id}').value;"))
                .await
        }
    };
    assert_eq!(value("mi-patient-given-name").await, "Ana");
    assert_eq!(value("mi-patient-family-name").await, "Silva");
    // "Forget them" removes them from the device.
    browser.click("#mi-forget").await;
    let stored = browser
        .eval(&format!("return localStorage.getItem('{KEY}');"))
        .await;
    assert_eq!(stored, serde_json::Value::Null);
    browser.eval("location.reload(); return true;").await;
    browser.wait_for("#mi-remember").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(value("mi-patient-given-name").await, "");
    // Older than a day: not filled in, and removed.
    browser
        .eval(&format!(
            "localStorage.setItem('{KEY}', JSON.stringify({{saved_at: Date.now() - 25 * 3600 * 1000, draft: {{given_name: 'Old'}}}})); location.reload(); return true;"
        ))
        .await;
    browser.wait_for("#mi-remember").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(value("mi-patient-given-name").await, "");
    let stored = browser
        .eval(&format!("return localStorage.getItem('{KEY}');"))
        .await;
    assert_eq!(
        stored,
        serde_json::Value::Null,
        "expired answers are removed"
    );
    // Sending forgets them too.
    browser.click("#mi-remember").await;
    browser.fill_short_form("401-555-0134").await;
    let stored = browser
        .eval(&format!("return localStorage.getItem('{KEY}') !== null;"))
        .await;
    assert_eq!(stored, true);
    browser.click("button[type=submit]").await;
    browser.wait_for(".mi-reference").await;
    let stored = browser
        .eval(&format!("return localStorage.getItem('{KEY}');"))
        .await;
    assert_eq!(stored, serde_json::Value::Null, "forgotten once sent");
    assert_eq!(receiver.rows().len(), 1);
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_never_offers_to_remember() {
    let receiver = Receiver::start(Some(&config(600))).await;
    let browser = Browser::start().await;
    browser.open(&receiver.url("/healthz")).await;
    browser
        .eval("localStorage.setItem('massage-intake.remembered', JSON.stringify({saved_at: Date.now(), draft: {given_name: 'Zqkioskgiven'}})); return true;")
        .await;
    browser.open(&receiver.url("/")).await;
    browser.wait_for("#mi-patient-given-name").await;
    assert_eq!(
        browser
            .eval("return document.getElementById('mi-remember');")
            .await,
        serde_json::Value::Null
    );
    assert_eq!(
        browser
            .eval("return document.getElementById('mi-patient-given-name').value;")
            .await,
        ""
    );
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_leave_kiosk_mode_with_the_pin_only() {
    let config = serde_json::json!({
        "endpoint": "/api/v1/submissions",
        "view": "intake",
        "mode": "kiosk",
        "kiosk_exit_pin": "2468",
    })
    .to_string();
    let receiver = Receiver::start(Some(&config)).await;
    let browser = Browser::start().await;
    browser.open(&receiver.url("/")).await;
    browser
        .wait_for(".mi-root--kiosk #mi-patient-given-name")
        .await;
    // Every control a finger needs is at least 48 px high.
    let smallest = browser
        .eval("return Math.min(...[...document.querySelectorAll('.mi-root button, .mi-root input, #mi-staff')]\
               .filter(e => e.getClientRects().length).map(e => e.getBoundingClientRect().height));")
        .await;
    assert!(smallest.as_f64().unwrap_or(0.0) >= 32.0, "{smallest}");
    let buttons = browser
        .eval("return Math.min(...[...document.querySelectorAll('.mi-root button, .mi-root input:not([type=checkbox]), #mi-staff')]\
               .filter(e => e.getClientRects().length).map(e => e.getBoundingClientRect().height));")
        .await;
    assert!(buttons.as_f64().unwrap_or(0.0) >= 48.0, "{buttons}");
    // Radio buttons (on Visit) are 32 px, the clinic's number 48 px high,
    // and Tab meets Back before Next, as they are seen.
    browser
        .fill_about("Ana", "Silva", "04121961", "401-555-0134")
        .await;
    assert_eq!(browser.next_step().await, "visit");
    let radios = browser
        .eval("return Math.min(...[...document.querySelectorAll('.mi-root input[type=radio]')]\
               .filter(e => e.getClientRects().length).map(e => e.getBoundingClientRect().height));")
        .await;
    assert!(radios.as_f64().unwrap_or(0.0) >= 32.0, "{radios}");
    let tel = browser
        .eval("const t = document.querySelector('.mi-root .mi-tel'); return t ? t.getBoundingClientRect().height : 48;")
        .await;
    assert!(tel.as_f64().unwrap_or(0.0) >= 48.0, "{tel}");
    let order = browser
        .eval("return [...document.querySelectorAll('.mi-nav button')].map(b => b.id);")
        .await;
    assert_eq!(order, serde_json::json!(["mi-back", "mi-next"]));
    browser.click("#mi-back").await;
    browser.wait_step_change("visit").await;
    browser
        .type_into("mi-patient-given-name", CANARIES[0])
        .await;
    browser.click("#mi-staff").await;
    let pin = browser.wait_for("#mi-exit-pin").await;
    assert_eq!(
        browser.eval("return document.activeElement.id;").await,
        "mi-exit-pin"
    );
    pin.send_keys("1111\n").await.expect("type a wrong PIN");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let error = browser
        .wait_for("#mi-exit-error")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert_eq!(error, "That PIN is not right.");
    assert!(browser.exists(".mi-root--kiosk").await, "still a kiosk");
    browser
        .wait_for("#mi-exit-pin")
        .await
        .send_keys("2468\n")
        .await
        .expect("type the PIN");
    until(&browser, "location.search === '?mode=standalone'", 50).await;
    assert_eq!(
        browser.eval("return location.search;").await,
        "?mode=standalone"
    );
    browser.wait_for("#mi-patient-given-name").await;
    assert!(
        !browser.exists(".mi-root--kiosk").await,
        "out of kiosk mode"
    );
    assert!(browser.exists("#mi-remember").await, "the standalone form");
    assert_no_canary(&browser, "after leaving kiosk mode").await;
    assert_eq!(browser.csp_violations().await, Vec::<String>::new());
    browser.quit().await;
}
