//! Sealed submissions end to end: with the clinic's public key configured,
//! what the patient typed is never readable outside the page, not in the
//! device's outbox, not in the receiver's SQLite file, and it still arrives
//! exactly once after the receiver was down, a reload, or a kiosk's reset,
//! and after the whole origin went away (the page's files too) after the page
//! loaded, after the form started, or at Send.

use std::time::Duration;

use intake_core::sealed::{open, Envelope, KeyPair};
use intake_e2e::proxy::{Fault, FlakyProxy, Outage};
use intake_e2e::{Browser, Receiver};
use serde_json::Value;

const CANARIES: [&str; 3] = ["Zqgivencanary", "Zqfamilycanary", "Zqreasoncanary"];

/// Everything in the page's IndexedDB outbox (without making one).
const OUTBOX: &str =
    "if (!(await indexedDB.databases()).some((d) => d.name === 'massage-intake')) return [];\
    return await new Promise((done) => {\
    const o = indexedDB.open('massage-intake');\
    o.onerror = () => done([]);\
    o.onsuccess = () => {\
      const db = o.result;\
      if (!db.objectStoreNames.contains('outbox')) { db.close(); return done([]); }\
      const r = db.transaction('outbox').objectStore('outbox').getAll();\
      r.onsuccess = () => { db.close(); done(r.result); };\
    };\
  });";

struct Run {
    keys: KeyPair,
    receiver: Receiver,
    proxy: FlakyProxy,
    browser: Browser,
}

/// The form, in `mode`, through a proxy that answers 503 until healed.
async fn start(mode: &str) -> Run {
    start_with(
        mode,
        "intake",
        vec![Fault::Unavailable { retry_after: 1 }; 500],
        None,
    )
    .await
}

/// The page with this `mode` and `view`, in a fresh browser profile, through
/// a proxy with these submission `faults` that refuses paths starting with
/// `blocked` until healed.
async fn start_with(mode: &str, view: &str, faults: Vec<Fault>, blocked: Option<&str>) -> Run {
    let keys = KeyPair::derive(&[42; 32]);
    let config = serde_json::json!({
        "endpoint": "/api/v1/submissions",
        "view": view,
        "mode": mode,
        "send_timeout_seconds": 2,
        "public_key": keys.public_key().to_base64(),
    })
    .to_string();
    let receiver = Receiver::start_with(Some(&config), |s| s.accept_sealed = true).await;
    let proxy = FlakyProxy::start(receiver.addr, faults).await;
    if let Some(prefix) = blocked {
        proxy.block(prefix);
    }
    let browser = Browser::start().await;
    browser.open(&proxy.url("/")).await;
    Run {
        keys,
        receiver,
        proxy,
        browser,
    }
}

async fn fill_canaries(browser: &Browser) {
    let [given, family, reason] = CANARIES;
    browser
        .fill_form(
            [given, family, reason, format!("{given} {family}").as_str()],
            "401-555-0134",
        )
        .await;
}

async fn outbox(browser: &Browser) -> Vec<Value> {
    browser
        .eval(OUTBOX)
        .await
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn eventually(what: &str, mut ready: impl AsyncFnMut() -> bool) {
    for _ in 0..300 {
        if ready().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Submits while the receiver is down and waits until the sealed envelope is
/// in the outbox (and only sealed data is there).
async fn submit_while_down(run: &Run) {
    fill_canaries(&run.browser).await;
    run.browser.click("button[type=submit]").await;
    run.browser.wait_for(".mi-send-retry").await;
    eventually("the envelope in the outbox", async || {
        outbox(&run.browser).await.len() == 1
    })
    .await;
    let kept = serde_json::to_string(&outbox(&run.browser).await).expect("json");
    for canary in CANARIES {
        assert!(!kept.contains(canary), "{canary} readable in the outbox");
    }
}

/// The page is replaced (a reload, or the kiosk's reset): memory is gone.
async fn replace_page(browser: &Browser) {
    browser
        .eval(
            "globalThis.massageIntake.guard('unsent', false); location.replace(location.href); return true;",
        )
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    browser.wait_for("#mi-patient-given-name").await;
}

/// The receiver is back; the page hears the network return.
async fn network_back(run: &Run) {
    run.proxy.heal();
    run.browser
        .eval("dispatchEvent(new Event('online')); return true;")
        .await;
}

/// The one stored row, opened with the clinic's key.
fn opened(run: &Run) -> Value {
    let rows = run.receiver.rows();
    assert_eq!(rows.len(), 1, "exactly once");
    let envelope: Envelope = serde_json::from_value(rows[0].2.clone()).expect("an envelope");
    let plain = open(&envelope, &run.keys).expect("opens with the clinic's key");
    serde_json::from_slice(&plain).expect("a submission")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sealed_submission_survives_a_reload_and_leaves_nothing_readable_behind() {
    let run = start("standalone").await;
    submit_while_down(&run).await;
    replace_page(&run.browser).await;
    assert_eq!(outbox(&run.browser).await.len(), 1, "the reload kept it");
    network_back(&run).await;
    eventually("the row", async || run.receiver.rows().len() == 1).await;
    eventually("an empty outbox", async || {
        outbox(&run.browser).await.is_empty()
    })
    .await;

    // Nothing readable anywhere: the database and its WAL, the page's storage.
    let mut files = vec![run.receiver.db.clone()];
    files.push(run.receiver.db.with_extension("sqlite3-wal"));
    for file in files {
        if let Ok(bytes) = std::fs::read(&file) {
            let text = String::from_utf8_lossy(&bytes);
            for canary in CANARIES {
                assert!(!text.contains(canary), "{canary} in {}", file.display());
            }
        }
    }
    let storage = run
        .browser
        .eval("return JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)]);")
        .await;
    let idb = serde_json::to_string(&outbox(&run.browser).await).expect("json");
    for canary in CANARIES {
        assert!(!storage.to_string().contains(canary) && !idb.contains(canary));
    }
    // The clinic's key finds them, through what `intake-receiver open` runs.
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let done = intake_receiver::export::export_opening(
        &run.receiver.db,
        None,
        "2000-01-01",
        intake_receiver::export::Format::Jsonl,
        Some(&run.keys),
        &mut out,
        &mut problems,
    )
    .expect("open");
    assert_eq!((done.written, done.failed), (1, 0));
    let exported = String::from_utf8_lossy(&out);
    for canary in CANARIES {
        assert!(exported.contains(canary), "{canary} not found by the key");
    }
    let submission = opened(&run);
    assert_eq!(submission["patient"]["given_name"], CANARIES[0]);
    assert_eq!(submission["patient"]["family_name"], CANARIES[1]);
    assert_eq!(submission["visit"]["reason"], CANARIES[2]);
    assert_eq!(run.browser.csp_violations().await, Vec::<String>::new());
    run.browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_kiosk_reset_the_first_patient_s_submission_arrives_once() {
    let run = start("kiosk").await;
    submit_while_down(&run).await;
    replace_page(&run.browser).await;
    // The next patient starts on an empty form.
    let given = run
        .browser
        .eval("return document.getElementById('mi-patient-given-name').value;")
        .await;
    assert_eq!(given, "");
    run.browser.type_into("mi-patient-given-name", "Next").await;
    network_back(&run).await;
    eventually("the first patient's row", async || {
        run.receiver.rows().len() == 1
    })
    .await;
    eventually("an empty outbox", async || {
        outbox(&run.browser).await.is_empty()
    })
    .await;
    // Some time later, still once.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let submission = opened(&run);
    assert_eq!(submission["patient"]["family_name"], CANARIES[1]);
    assert_eq!(submission["mode"], "kiosk");
    assert_eq!(
        run.browser
            .eval("return document.getElementById('mi-patient-given-name').value;")
            .await,
        "Next",
        "the next patient's form is untouched"
    );
    run.browser.quit().await;
}

/// Whatever the page keeps on the device, as text: local and session
/// storage, every IndexedDB database's every store, and the Cache API.
const STORAGE: &str = "const all = [Object.entries(localStorage), Object.entries(sessionStorage)];\
    for (const { name } of await indexedDB.databases()) {\
      all.push(await new Promise((done) => {\
        const o = indexedDB.open(name);\
        o.onerror = () => done(null);\
        o.onsuccess = async () => {\
          const db = o.result, stores = [];\
          for (const store of db.objectStoreNames) stores.push(await new Promise((got) => {\
            const r = db.transaction(store).objectStore(store).getAll();\
            r.onsuccess = () => got(r.result);\
            r.onerror = () => got(null);\
          }));\
          db.close();\
          done(stores);\
        };\
      }));\
    }\
    for (const key of await caches.keys()) all.push(key);\
    return JSON.stringify(all);";

/// No canary is readable in anything the page keeps on the device.
async fn nothing_readable_stored(browser: &Browser) {
    let stored = browser
        .eval(STORAGE)
        .await
        .as_str()
        .unwrap_or("")
        .to_owned();
    assert!(!stored.is_empty(), "the storage was read");
    for canary in CANARIES {
        assert!(!stored.contains(canary), "{canary} readable on the device");
    }
}

/// The wasm modules the page has compiled so far.
async fn modules_loaded(browser: &Browser) -> Vec<String> {
    let loaded = browser
        .eval("return Object.keys(globalThis.massageIntake?.memory?.() ?? {});")
        .await;
    loaded
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| m.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DownAt {
    /// The page is up, the patient still reading (`view=learn`).
    AfterLoad,
    /// The form is on screen, nothing typed yet.
    AfterStart,
    /// Every answer given, on Review.
    AtSend,
}

/// The whole origin goes away at `at` (with `outage`), the patient sends,
/// optionally reloads (the origin still down), and the origin returns: the
/// submission arrives exactly once, and nothing readable was ever stored.
async fn origin_goes_down(at: DownAt, outage: Outage, reload: bool) {
    let view = if at == DownAt::AfterLoad {
        "learn"
    } else {
        "intake"
    };
    let run = start_with("standalone", view, Vec::new(), None).await;
    // Everything a send needs is in the page before the patient can send.
    eventually(
        "the form (with its rules) and the sealing module",
        async || {
            let loaded = modules_loaded(&run.browser).await;
            ["form", "seal"]
                .iter()
                .all(|m| loaded.iter().any(|l| l == m))
        },
    )
    .await;
    if at == DownAt::AfterLoad {
        run.proxy.go_down(outage);
        run.browser.click("[data-start]").await;
    }
    run.browser.wait_for("#mi-patient-given-name").await;
    if at == DownAt::AfterStart {
        run.proxy.go_down(outage);
    }
    fill_canaries(&run.browser).await;
    if at == DownAt::AtSend {
        run.proxy.go_down(outage);
    }
    run.browser.click("button[type=submit]").await;
    run.browser.wait_for(".mi-send-retry").await;
    eventually("the envelope in the outbox", async || {
        outbox(&run.browser).await.len() == 1
    })
    .await;
    let retry = run.browser.wait_for(".mi-send-retry").await;
    let said = retry.text().await.expect("the retry message");
    assert!(said.contains("saved on this device"), "{said}");
    assert!(run.browser.leaving_asks().await, "leaving asks first");
    nothing_readable_stored(&run.browser).await;
    assert_eq!(
        run.receiver.rows().len(),
        0,
        "nothing got through the outage"
    );
    if reload {
        // The patient leaves anyway; the page cannot load while the origin is down.
        run.browser
            .eval(
                "globalThis.massageIntake.guard('unsent', false); setTimeout(() => location.reload()); return true;",
            )
            .await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert!(
            !run.browser.exists(".mi-intake").await,
            "the page could not load"
        );
        run.proxy.heal();
        run.browser.open(&run.proxy.url("/")).await;
    } else {
        network_back(&run).await;
    }
    eventually("the row", async || run.receiver.rows().len() == 1).await;
    eventually("an empty outbox", async || {
        outbox(&run.browser).await.is_empty()
    })
    .await;
    if !reload {
        run.browser.wait_for("#mi-done-heading").await;
        assert!(!run.browser.leaving_asks().await, "sent: leaving is free");
    }
    // Some time later, still once.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let submission = opened(&run);
    assert_eq!(submission["patient"]["given_name"], CANARIES[0]);
    assert_eq!(submission["visit"]["reason"], CANARIES[2]);
    nothing_readable_stored(&run.browser).await;
    run.browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_origin_gone_after_the_page_loaded_loses_nothing() {
    origin_goes_down(DownAt::AfterLoad, Outage::Hung, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_origin_gone_after_the_page_loaded_loses_nothing_across_a_reload() {
    origin_goes_down(DownAt::AfterLoad, Outage::Refused, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_origin_gone_after_the_form_started_loses_nothing() {
    origin_goes_down(DownAt::AfterStart, Outage::Refused, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_origin_gone_after_the_form_started_loses_nothing_across_a_reload() {
    origin_goes_down(DownAt::AfterStart, Outage::Refused, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_origin_gone_at_send_loses_nothing() {
    origin_goes_down(DownAt::AtSend, Outage::Hung, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_origin_gone_at_send_loses_nothing_across_a_reload() {
    origin_goes_down(DownAt::AtSend, Outage::Refused, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sealing_module_that_never_loaded_holds_the_answers_until_it_does() {
    let run = start_with("standalone", "intake", Vec::new(), Some("/intake-seal")).await;
    run.browser.wait_for("#mi-patient-given-name").await;
    // Said before Review, on the first step already.
    let notice = run
        .browser
        .wait_for(".mi-step[data-step=about] ~ .mi-seal-missing:not([hidden])")
        .await;
    let said = notice.text().await.expect("the notice");
    assert!(said.contains("connection dropped"), "{said}");
    fill_canaries(&run.browser).await;
    assert!(
        run.browser.exists(".mi-seal-missing:not([hidden])").await,
        "still said on Review"
    );
    // A database of the outbox's name without its store (left by anything)
    // must not hold the outbox up.
    run.browser
        .eval("return await new Promise((done) => { const o = indexedDB.open('massage-intake', 1); o.onsuccess = () => { o.result.close(); done(true); }; });")
        .await;
    run.browser.click("button[type=submit]").await;
    let retry = run.browser.wait_for(".mi-send-retry").await;
    let said = retry.text().await.expect("the retry message");
    assert!(said.contains("has not loaded"), "{said}");
    assert!(said.contains("keep it open"), "{said}");
    // A few tries later: held in memory only, leaving asks, nothing sent in clear.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(run.browser.leaving_asks().await, "leaving asks first");
    assert!(outbox(&run.browser).await.is_empty(), "nothing to keep yet");
    nothing_readable_stored(&run.browser).await;
    assert_eq!(
        run.proxy.attempts.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "nothing is sent unsealed"
    );
    assert!(
        !run.browser.exists(".mi-seal-missing:not([hidden])").await,
        "one message at a time"
    );
    // The connection returns: sealed, kept, sent, once.
    run.proxy.heal();
    run.browser.wait_for("#mi-done-heading").await;
    eventually("the row", async || run.receiver.rows().len() == 1).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let submission = opened(&run);
    assert_eq!(submission["patient"]["family_name"], CANARIES[1]);
    assert!(!run.browser.leaving_asks().await, "sent: leaving is free");
    nothing_readable_stored(&run.browser).await;
    run.browser.quit().await;
}

/// How many submission attempts reached the proxy.
fn attempts(run: &Run) -> u32 {
    run.proxy.attempts.load(std::sync::atomic::Ordering::SeqCst)
}

/// Waits a few seconds, telling the page the network returned and showing it
/// again, and checks that nothing more was sent.
async fn never_sent_again(run: &Run, after: u32) {
    for _ in 0..3 {
        run.browser
            .eval(
                "dispatchEvent(new Event('online')); document.dispatchEvent(new Event('visibilitychange')); return true;",
            )
            .await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
    assert_eq!(
        attempts(run),
        after,
        "a refused envelope is never sent again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sealed_submission_refused_while_the_patient_waits_is_told_and_never_sent_again() {
    let run = start_with("standalone", "intake", vec![Fault::Status(413)], None).await;
    fill_canaries(&run.browser).await;
    run.browser.click("button[type=submit]").await;
    let alert = run.browser.wait_for(".mi-send-error").await;
    let said = alert.text().await.unwrap_or_default();
    assert!(
        said.contains("413") && said.contains("front desk"),
        "the patient is told: {said}"
    );
    eventually("the envelope marked refused", async || {
        outbox(&run.browser)
            .await
            .first()
            .map(|r| r["refused"].clone())
            == Some(413.into())
    })
    .await;
    assert_eq!(attempts(&run), 1);
    never_sent_again(&run, 1).await;
    // A reload, and the page that opens on a device with an outbox.
    replace_page(&run.browser).await;
    never_sent_again(&run, 1).await;
    assert_eq!(
        outbox(&run.browser).await.len(),
        1,
        "kept for a while, unsent"
    );
    assert!(run.receiver.rows().is_empty());
    run.browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_envelope_refused_with_nobody_there_is_reported_and_never_sent_again() {
    let run = start("standalone").await;
    submit_while_down(&run).await;
    // The patient has gone: the page was reloaded; then the receiver refuses.
    replace_page(&run.browser).await;
    run.proxy.fail_next(100, Fault::Status(413));
    run.browser
        .eval(
            "globalThis.miEvents = []; const e = globalThis.massageIntake.event;\
             globalThis.massageIntake.event = (type, detail) => { miEvents.push([type, detail?.code]); e(type, detail); };\
             dispatchEvent(new Event('online')); return true;",
        )
        .await;
    eventually("the envelope marked refused", async || {
        outbox(&run.browser)
            .await
            .first()
            .map(|r| r["refused"].clone())
            == Some(413.into())
    })
    .await;
    let events = run.browser.eval("return globalThis.miEvents;").await;
    assert_eq!(
        events,
        serde_json::json!([["error", "undeliverable"]]),
        "reported to the clinic's page, once, with nothing of the answers"
    );
    let sent = attempts(&run);
    never_sent_again(&run, sent).await;
    replace_page(&run.browser).await;
    never_sent_again(&run, sent).await;
    assert!(run.receiver.rows().is_empty());
    run.browser.quit().await;
}
