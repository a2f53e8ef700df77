//! Sealed submissions end to end: with the clinic's public key configured,
//! what the patient typed is never readable outside the page, not in the
//! device's outbox, not in the receiver's SQLite file, and it still arrives
//! exactly once after the receiver was down, a reload, or a kiosk's reset.

use std::time::Duration;

use intake_core::sealed::{open, Envelope, KeyPair};
use intake_e2e::proxy::{Fault, FlakyProxy};
use intake_e2e::{Browser, Receiver};
use serde_json::Value;

const CANARIES: [&str; 3] = ["Zqgivencanary", "Zqfamilycanary", "Zqreasoncanary"];

/// Everything in the page's IndexedDB outbox.
const OUTBOX: &str = "return await new Promise((done) => {\
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
    let keys = KeyPair::derive(&[42; 32]);
    let config = serde_json::json!({
        "endpoint": "/api/v1/submissions",
        "view": "intake",
        "mode": mode,
        "send_timeout_seconds": 2,
        "public_key": keys.public_key().to_base64(),
    })
    .to_string();
    let receiver = Receiver::start(Some(&config)).await;
    let proxy = FlakyProxy::start(
        receiver.addr,
        vec![Fault::Unavailable { retry_after: 1 }; 500],
    )
    .await;
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
        .fill_form([given, family, reason, "Zq Canary"], "401-555-0134")
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
            "globalThis.massageIntakeUnsent(false); location.replace(location.href); return true;",
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
