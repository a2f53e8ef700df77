//! Never lose, never duplicate: a submission that meets a failing network or
//! server arrives exactly once, the patient is told calmly what is happening,
//! and leaving the page asks first while it is unsent.

use std::time::Duration;

use intake_e2e::proxy::{Fault, FlakyProxy};
use intake_e2e::{Browser, Receiver};

/// Counts `beforeunload` listeners as the page adds and removes them.
const LISTENER_COUNTER: &str = "window.__beforeunload = 0;
const add = window.addEventListener.bind(window), remove = window.removeEventListener.bind(window);
window.addEventListener = (t, f, o) => { if (t === 'beforeunload') window.__beforeunload++; return add(t, f, o); };
window.removeEventListener = (t, f, o) => { if (t === 'beforeunload') window.__beforeunload--; return remove(t, f, o); };";

/// A two-second attempt timeout keeps the hanging cases short.
const CONFIG: &str =
    r#"{"endpoint": "/api/v1/submissions", "view": "intake", "send_timeout_seconds": 2}"#;

struct Run {
    receiver: Receiver,
    proxy: FlakyProxy,
    browser: Browser,
}

/// Opens the form through a proxy with `faults` and fills it, counting
/// `beforeunload` listeners.
async fn fill_through(faults: Vec<Fault>) -> Run {
    let receiver = Receiver::start(Some(CONFIG)).await;
    let proxy = FlakyProxy::start(receiver.addr, faults).await;
    let browser = Browser::start().await;
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({ "source": LISTENER_COUNTER }),
        )
        .await;
    browser.open(&proxy.url("/")).await;
    browser.fill_short_form("401-555-0134").await;
    Run {
        receiver,
        proxy,
        browser,
    }
}

/// [`fill_through`], then press Send.
async fn submit_through(faults: Vec<Fault>) -> Run {
    let run = fill_through(faults).await;
    run.browser.click("button[type=submit]").await;
    run
}

async fn listeners(browser: &Browser) -> i64 {
    browser
        .eval("return window.__beforeunload;")
        .await
        .as_i64()
        .unwrap_or(-1)
}

/// The patient sees the calm retry status, and leaving would ask first.
async fn assert_retry_status_shown(browser: &Browser) {
    let status = browser
        .wait_for(".mi-send-retry")
        .await
        .text()
        .await
        .expect("status text");
    assert!(
        status.contains("We keep trying to send your answers"),
        "{status}"
    );
    assert_eq!(
        listeners(browser).await,
        1,
        "leaving asks while the answers are unsent"
    );
}

/// It arrived exactly once, the page shows its reference, and leaving no longer asks.
async fn assert_stored_once(run: &Run) {
    let reference = run.browser.reference().await;
    let rows = run.receiver.rows();
    assert_eq!(rows.len(), 1, "exactly one row");
    assert_eq!(rows[0].1, reference);
    assert_eq!(rows[0].2["patient"]["given_name"], "Ana");
    assert_eq!(
        listeners(&run.browser).await,
        0,
        "once stored, leaving does not ask"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_503s_then_it_arrives_once() {
    let soon = Fault::Unavailable { retry_after: 1 };
    let run = submit_through(vec![soon, soon, soon]).await;
    assert_retry_status_shown(&run.browser).await;
    run.browser.screenshot("form-retrying-tablet").await;
    assert_stored_once(&run).await;
    assert_eq!(
        run.proxy.attempts.load(std::sync::atomic::Ordering::SeqCst),
        4,
        "three refusals, one success"
    );
    run.browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attempt_that_hangs_past_the_timeout_is_sent_again() {
    let run = submit_through(vec![Fault::Hang(Duration::from_secs(6))]).await;
    assert_retry_status_shown(&run.browser).await;
    assert_stored_once(&run).await;
    run.browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_connections_are_retried() {
    let run = submit_through(vec![Fault::Drop, Fault::Drop]).await;
    assert_retry_status_shown(&run.browser).await;
    assert_stored_once(&run).await;
    run.browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stall_after_the_row_is_committed_still_makes_one_row() {
    let run = submit_through(vec![Fault::StallAfterCommit(Duration::from_secs(6))]).await;
    assert_retry_status_shown(&run.browser).await;
    assert_stored_once(&run).await;
    assert!(
        run.proxy.attempts.load(std::sync::atomic::Ordering::SeqCst) >= 2,
        "the stalled attempt was sent again"
    );
    run.browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn try_now_sends_without_waiting_for_the_server_s_minute() {
    // The server asks for a minute's wait; the reference must appear well
    // within the 15 s this test waits, so only "Try now" can get it there.
    let run = submit_through(vec![Fault::Unavailable { retry_after: 60 }]).await;
    assert_retry_status_shown(&run.browser).await;
    let button = run
        .browser
        .wait_for("button[type=submit]")
        .await
        .text()
        .await
        .expect("label");
    assert_eq!(button, "Try now");
    run.browser.click("button[type=submit]").await;
    assert_stored_once(&run).await;
    run.browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn double_clicks_and_enter_presses_send_one_submission() {
    let Run {
        receiver,
        proxy,
        browser,
    } = fill_through(vec![]).await;
    // A double click and two Enter presses in the last field, as fast as WebDriver goes.
    browser
        .eval(
            "const b = document.querySelector('button[type=submit]'); b.click(); b.click(); \
             const f = document.querySelector('form'); f.requestSubmit(); f.requestSubmit(); return true;",
        )
        .await;
    browser.wait_for(".mi-reference").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.rows().len(), 1);
    assert_eq!(
        proxy.attempts.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "one request reached the server"
    );
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_that_overtakes_a_slow_first_attempt_waits_its_turn() {
    let Run {
        receiver,
        proxy,
        browser,
    } = fill_through(vec![]).await;
    // Hold the database's write lock for 3 s: the first attempt waits inside
    // the receiver, the widget gives up on it after 2 s and sends again, and
    // that retry is told 409 (in flight) until the first one is done.
    let blocker = rusqlite::Connection::open(&receiver.db).expect("open the receiver's database");
    blocker
        .execute_batch("BEGIN IMMEDIATE")
        .expect("take the write lock");
    browser.click("button[type=submit]").await;
    assert_retry_status_shown(&browser).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    blocker.execute_batch("ROLLBACK").expect("release the lock");
    let reference = browser.reference().await;
    let rows = receiver.rows();
    assert_eq!(rows.len(), 1, "exactly one row");
    assert_eq!(rows[0].1, reference);
    assert!(
        proxy.attempts.load(std::sync::atomic::Ordering::SeqCst) >= 2,
        "the first attempt was overtaken"
    );
    browser.quit().await;
}

/// The submission ids of the attempts that reached the proxy, in order.
fn attempted_ids(proxy: &FlakyProxy) -> Vec<String> {
    proxy
        .requests()
        .iter()
        .filter(|(line, _)| line.starts_with("POST /api/v1/submissions"))
        .filter_map(|(_, body)| {
            let json: serde_json::Value = serde_json::from_slice(body).ok()?;
            Some(json["submission_id"].as_str()?.to_owned())
        })
        .collect()
}

/// Waits until `n` submission attempts have reached the proxy, and the
/// patient has been told the last one was refused.
async fn refused_attempts(run: &Run, n: usize) {
    for _ in 0..200 {
        if attempted_ids(&run.proxy).len() == n && run.browser.exists(".mi-send-error").await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("waited in vain for {n} refused attempts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sent_again_unchanged_it_is_the_same_submission_and_changed_a_new_one() {
    // Two refusals, then the receiver answers.
    let run = fill_through(vec![Fault::Status(400), Fault::Status(400)]).await;
    let browser = &run.browser;
    browser.click("button[type=submit]").await;
    refused_attempts(&run, 1).await;
    // "Try again" with the same answers: the same submission, so a first
    // attempt stored after all could never make a second row.
    browser.click("button[type=submit]").await;
    refused_attempts(&run, 2).await;
    // A changed answer makes a new submission.
    browser.click("[data-edit='1']").await;
    browser.type_into("mi-visit-reason", " and neck").await;
    assert_eq!(browser.next_step().await, "review");
    browser.click("button[type=submit]").await;
    let reference = browser.reference().await;
    let ids = attempted_ids(&run.proxy);
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(ids[0], ids[1], "the same answers, the same submission");
    assert_ne!(ids[2], ids[0], "changed answers, a new submission");
    let rows = run.receiver.rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].1, reference);
    assert_eq!(
        rows[0].2["visit"]["reason"],
        "Lower back pain since March and neck"
    );
    run.browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_form_module_is_fetched_once_at_its_own_address() {
    let run = fill_through(vec![]).await;
    let module_requests: Vec<String> = run
        .proxy
        .requests()
        .into_iter()
        .map(|(line, _)| line)
        .filter(|line| line.contains("/intake-form-"))
        .collect();
    // Its bindings and its wasm, each once, with no retry's mark on a first load.
    assert_eq!(module_requests.len(), 2, "{module_requests:?}");
    assert!(
        module_requests
            .iter()
            .all(|line| line.starts_with("GET ") && !line.contains("try=")),
        "{module_requests:?}"
    );
    run.browser.quit().await;
}
