//! The staff inbox end to end, in Chromium against the real receiver: two
//! patients submit (one plain, one sealed in their browser) and the clinic
//! posts the documented example; a staff member signs in, finds all three
//! with their flags, opens the plain one by keyboard alone, loads the
//! clinic's key and reads the sealed one, marks it reviewed, prints the
//! example (at most two pages, its flags on the first), downloads its FHIR
//! JSON and signs out. The audit trail holds each step in order, and no
//! request body nor the database ever held the sealed intake's words.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use intake_core::sealed::KeyPair;
use intake_e2e::proxy::FlakyProxy;
use intake_e2e::{workspace_root, Browser, Receiver};
use intake_receiver::staff::accounts;
use intake_receiver::store::sqlite::Sqlite as Store;
use serde_json::{json, Value};
use thirtyfour::prelude::*;

const PASSWORD: &str = "front desk password 1";
const CANARIES: [&str; 3] = ["Zqsealedgiven", "Zqsealedfamily", "Zqsealedreason"];

fn widget_config(public_key: Option<String>) -> String {
    let mut config = json!({
        "endpoint": "/api/v1/submissions",
        "view": "intake",
        "mode": "standalone",
        "send_timeout_seconds": 5,
    });
    if let Some(key) = public_key {
        config["public_key"] = Value::from(key);
    }
    config.to_string()
}

/// A patient fills the short form and sends it; returns the reference shown.
async fn patient_sends(url: &str, names: [&str; 4]) -> String {
    let browser = Browser::start().await;
    browser.open(url).await;
    browser.fill_form(names, "401-555-0134").await;
    browser.click("button[type=submit]").await;
    let reference = browser.reference().await;
    browser.quit().await;
    reference.trim().to_owned()
}

async fn until(what: &str, mut ready: impl AsyncFnMut() -> bool) {
    for _ in 0..150 {
        if ready().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Waits until the text of `css` satisfies `ready`; on timeout says what the
/// page shows instead.
async fn until_text(browser: &Browser, css: &str, ready: impl Fn(&str) -> bool) {
    for _ in 0..150 {
        if ready(&text_of(browser, css).await) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "timed out waiting on {css} (now {:?}); the page shows: {}",
        text_of(browser, css).await,
        text_of(browser, "main").await
    );
}

async fn text_of(browser: &Browser, css: &str) -> String {
    browser
        .eval(&format!(
            "const e = document.querySelector({css:?}); return e ? e.textContent : '';"
        ))
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn active(browser: &Browser) -> String {
    browser
        .eval("const a = document.activeElement; return a ? (a.id || a.getAttribute('href') || a.tagName) : '';")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Presses Tab until the focused element's id or link is `target`.
async fn tab_to(browser: &Browser, target: &str) {
    for _ in 0..60 {
        if active(browser).await == target {
            return;
        }
        browser
            .driver
            .action_chain()
            .send_keys(Key::Tab)
            .perform()
            .await
            .expect("tab");
    }
    panic!("Tab never reached {target}");
}

async fn press_enter(browser: &Browser) {
    browser
        .driver
        .action_chain()
        .send_keys(Key::Enter)
        .perform()
        .await
        .expect("enter");
}

async fn check_axe(browser: &Browser, screen: &str) {
    let found = browser.axe().await;
    assert!(found.is_empty(), "axe on {screen}: {found:#?}");
}

/// Both sizes the acceptance names, with a screenshot at each (and desktop).
async fn look_at(browser: &Browser, screen: &str) {
    for (width, height, name) in [
        (390, 844, "phone"),
        (1440, 900, "desktop"),
        (1024, 768, "tablet"),
    ] {
        browser.viewport(width, height).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        if name != "desktop" {
            check_axe(browser, &format!("{screen} at {width}x{height}")).await;
        }
        browser.screenshot(&format!("staff-{screen}-{name}")).await;
    }
}

/// Runs a poppler tool; its standard output.
fn poppler(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e} (cargo xtask setup installs poppler-utils)"));
    assert!(
        out.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pages(pdf: &Path) -> usize {
    let info = poppler("pdfinfo", &[&pdf.to_string_lossy()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// Prints the page as Chromium's print does, on paper `width` x `height`
/// inches; the PDF's path.
async fn print(browser: &Browser, name: &str, width: f64, height: f64) -> PathBuf {
    let printed = browser
        .cdp(
            "Page.printToPDF",
            json!({ "paperWidth": width, "paperHeight": height, "printBackground": true }),
        )
        .await;
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(printed["data"].as_str().unwrap_or_default())
        .expect("the PDF is base64");
    let dir = workspace_root().join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("folder");
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, bytes).expect("write the PDF");
    path
}

#[tokio::test]
async fn staff_read_print_and_hand_over_plain_and_sealed_intakes_with_an_audit_trail() {
    let keys = KeyPair::derive(&[21; 32]);
    let receiver =
        Receiver::start_with(Some(&widget_config(None)), |s| s.accept_sealed = true).await;
    let proxy = FlakyProxy::start(receiver.addr, Vec::new()).await;
    Store::open(&receiver.db)
        .expect("the receiver's database")
        .with(|c| accounts::add(c, "", "frontdesk", PASSWORD))
        .expect("a staff account");

    // Patients.
    let plain = patient_sends(
        &proxy.url("/"),
        ["Bea", "Costa", "Stiff neck after a fall", "Bea Costa"],
    )
    .await;
    receiver.set_widget_config(&widget_config(Some(keys.public_key().to_base64())));
    let [given, family, reason] = CANARIES;
    let sealed = patient_sends(
        &proxy.url("/"),
        [given, family, reason, &format!("{given} {family}")],
    )
    .await;
    let rows = receiver.rows();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[1].2["schema"],
        intake_core::sealed::SEALED_SCHEMA,
        "the second came sealed"
    );

    // Staff.
    let browser = Browser::start().await;
    let downloads = tempfile::tempdir().expect("downloads");
    browser
        .cdp(
            "Browser.setDownloadBehavior",
            json!({ "behavior": "allow", "downloadPath": downloads.path().to_string_lossy() }),
        )
        .await;
    browser.open(&proxy.url("/staff/")).await;
    // The documented example, as the clinic's own system would post it.
    let example: Value =
        serde_json::from_str(include_str!("../../docs/example-submission.json")).expect("example");
    let posted = browser
        .eval(&format!(
            "return fetch('/api/v1/submissions', {{ method: 'POST', headers: {{ 'Content-Type': 'application/json', 'Idempotency-Key': {id} }}, body: {body} }}).then(async r => [r.status, await r.json()]);",
            id = example["submission_id"],
            body = serde_json::to_string(&example.to_string()).expect("a JS string")
        ))
        .await;
    assert_eq!(posted[0], 201, "{posted}");
    let documented = posted[1]["reference"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    browser.wait_for("#name").await;
    look_at(&browser, "login").await;
    // A wrong password first: told plainly, nothing else.
    browser.type_into("name", "frontdesk").await;
    browser.type_into("password", "not it").await;
    press_enter(&browser).await;
    until("the refusal", async || {
        text_of(&browser, "#login-problem").await.contains("wrong")
    })
    .await;
    // Keyboard only from here to the plain intake's chart.
    assert_eq!(active(&browser).await, "password");
    browser.type_into("password", PASSWORD).await;
    press_enter(&browser).await;
    browser.wait_for("table.list").await;
    until("three intakes listed", async || {
        browser
            .eval("return document.querySelectorAll('table.list tbody tr').length;")
            .await
            == 3
    })
    .await;
    let listed = text_of(&browser, "table.list").await;
    assert!(listed.contains("Costa, Bea"), "{listed}");
    assert!(listed.contains("Sealed: load the clinic key"), "{listed}");
    for canary in CANARIES {
        assert!(
            !listed.contains(canary),
            "sealed words shown before the key"
        );
    }
    let example_family = example["patient"]["family_name"]
        .as_str()
        .unwrap_or_default();
    assert!(listed.contains(example_family), "{listed}");
    let example_flags = text_of(
        &browser,
        &format!("tr:has(a[href='#/s/{documented}']) .badges"),
    )
    .await;
    assert!(
        !example_flags.is_empty(),
        "the example's flags are badges: {listed}"
    );
    look_at(&browser, "list").await;
    // Search by name narrows the list.
    browser.type_into("search", "costa").await;
    until("one match", async || {
        browser
            .eval("return document.querySelectorAll('table.list tbody tr').length;")
            .await
            == 1
    })
    .await;
    browser
        .wait_for("#search")
        .await
        .clear()
        .await
        .expect("clear search");
    browser.type_into("search", " ").await;
    until("all again", async || {
        browser
            .eval("return document.querySelectorAll('table.list tbody tr').length;")
            .await
            == 3
    })
    .await;

    // By flag: only the example has any.
    browser
        .eval("const f = document.getElementById('flag'); f.selectedIndex = 1; f.dispatchEvent(new Event('change'));")
        .await;
    until("one flagged", async || {
        browser
            .eval("return document.querySelectorAll('table.list tbody tr').length;")
            .await
            == 1
    })
    .await;
    assert!(text_of(&browser, "table.list tbody")
        .await
        .contains(&documented));
    browser
        .eval("const f = document.getElementById('flag'); f.selectedIndex = 0; f.dispatchEvent(new Event('change'));")
        .await;
    // By date, asked of the receiver: nothing from next year on.
    browser
        .eval("const d = document.getElementById('since'); d.focus(); d.value = '2099-01-01'; d.blur();")
        .await;
    until_text(&browser, "main", |t| t.contains("No intakes in this range")).await;
    browser
        .eval("const d = document.getElementById('since'); d.focus(); d.value = ''; d.blur();")
        .await;
    until("all three back", async || {
        browser
            .eval("return document.querySelectorAll('table.list tbody tr').length;")
            .await
            == 3
    })
    .await;

    let plain_link = format!("#/s/{plain}");
    tab_to(&browser, &plain_link).await;
    press_enter(&browser).await;
    until("the plain chart", async || {
        active(&browser).await == "chart-name"
    })
    .await;
    assert_eq!(text_of(&browser, "#chart-name").await, "Bea Costa");
    look_at(&browser, "summary-plain").await;
    tab_to(&browser, "review").await;
    press_enter(&browser).await;
    until("the review mark", async || {
        text_of(&browser, ".reviewed-note")
            .await
            .contains("Reviewed by frontdesk")
    })
    .await;
    browser.click("a.back").await;
    browser.wait_for("table.list").await;

    // The clinic's key, chosen from a file: the sealed row becomes readable.
    let key_dir = tempfile::tempdir().expect("key folder");
    // Another clinic's key first (or the public key): said plainly, not kept.
    let wrong_file = key_dir.path().join("other.key");
    std::fs::write(&wrong_file, KeyPair::derive(&[22; 32]).private_base64()).expect("key file");
    browser
        .wait_for("#key-file")
        .await
        .send_keys(wrong_file.to_string_lossy())
        .await
        .expect("choose the wrong key file");
    until_text(&browser, "#key-status", |t| {
        t.contains("opens none of the sealed intakes")
    })
    .await;
    assert!(
        browser.exists("#key-file").await,
        "the wrong key is not loaded"
    );
    let key_file = key_dir.path().join("clinic.key");
    std::fs::write(&key_file, format!("{}\n", keys.private_base64())).expect("key file");
    browser
        .wait_for("#key-file")
        .await
        .send_keys(key_file.to_string_lossy())
        .await
        .expect("choose the key file");
    until("the sealed row opened", async || {
        text_of(&browser, "table.list").await.contains(family)
    })
    .await;
    check_axe(&browser, "the list with the key loaded").await;
    browser.click(&format!("a[href='#/s/{sealed}']")).await;
    let sealed_name = format!("{given} {family}");
    until_text(&browser, "#chart-name", |t| t == sealed_name).await;
    assert!(text_of(&browser, ".chart").await.contains(reason));
    check_axe(&browser, "the sealed summary").await;
    browser.click("#review").await;
    until("the sealed one reviewed", async || {
        text_of(&browser, ".reviewed-note")
            .await
            .contains("Reviewed by frontdesk")
    })
    .await;

    // The documented example: printed and handed over as FHIR.
    browser
        .open(&proxy.url(&format!("/staff/#/s/{documented}")))
        .await;
    until_text(&browser, "#chart-name", |t| t.contains(example_family)).await;
    look_at(&browser, "summary-example").await;
    // Headless Chromium has no print dialog: the page's call to print() is
    // recorded, and the printing itself is done below as Chromium prints.
    browser
        .eval("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
        .await;
    browser.click("#print").await;
    until("print() called", async || {
        browser.eval("return window.__printed === 1;").await == true
    })
    .await;
    until("the print recorded", async || {
        events(&receiver.db)
            .iter()
            .any(|(a, r)| a == "print" && r == &documented)
    })
    .await;
    for (paper, width, height) in [("letter", 8.5, 11.0), ("a4", 8.27, 11.69)] {
        let pdf = print(&browser, &format!("staff-print-{paper}"), width, height).await;
        let count = pages(&pdf);
        assert!((1..=2).contains(&count), "{paper}: {count} pages");
        let pdf_path = pdf.to_string_lossy().into_owned();
        let first = poppler(
            "pdftotext",
            &["-f", "1", "-l", "1", "-layout", &pdf_path, "-"],
        );
        assert!(
            first.contains("Safety before treatment"),
            "{paper} page 1: {first}"
        );
        let flags = example["flags"].as_array().cloned().unwrap_or_default();
        assert!(!flags.is_empty(), "the example has flags");
        let english = intake_core::Catalog::english();
        for flag in &flags {
            let code = intake_core::FlagCode::from_code(flag["code"].as_str().unwrap_or_default())
                .expect("a known flag");
            let words: String = english.text(code.msg()).chars().take(20).collect();
            assert!(
                first
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .contains(&words),
                "{paper}: flag `{words}` not on page 1: {first}"
            );
        }
        assert!(
            first.contains(example_family),
            "{paper}: the name on page 1"
        );
        assert!(
            !first.contains("Download FHIR JSON"),
            "{paper}: the toolbar is not printed"
        );
        let all = poppler("pdftotext", &["-layout", &pdf_path, "-"]);
        for needed in ["Prescription", "Consents and signature", "Payer"] {
            assert!(all.contains(needed), "{paper}: `{needed}` printed");
        }
        poppler(
            "pdftoppm",
            &["-png", "-r", "60", &pdf_path, &pdf_path.replace(".pdf", "")],
        );
    }
    browser.click("#download-fhir").await;
    let saved = downloads.path().join(format!("{documented}.fhir.json"));
    until("the FHIR download", async || saved.exists()).await;
    let fhir: Value =
        serde_json::from_str(&std::fs::read_to_string(&saved).expect("read")).expect("FHIR JSON");
    assert_eq!(fhir["resourceType"], "QuestionnaireResponse");
    assert!(fhir.to_string().contains(example_family));

    // Signing out drops everything; the cookie no longer opens anything.
    browser.click("#sign-out").await;
    browser.wait_for("#name").await;
    assert!(!text_of(&browser, "main").await.contains(example_family));
    let after = browser
        .eval("return fetch('/staff/api/submissions').then(r => r.status);")
        .await;
    assert_eq!(after, 401);

    // The audit trail, in order.
    let trail = events(&receiver.db);
    let expected = [
        ("login_failed", String::new()),
        ("login", String::new()),
        ("list", String::new()),
        ("view", plain.clone()),
        ("review", plain.clone()),
        ("key_use", sealed.clone()),
        ("view", sealed.clone()),
        ("review", sealed.clone()),
        ("view", documented.clone()),
        ("print", documented.clone()),
        ("download_fhir", documented.clone()),
        ("logout", String::new()),
    ];
    let mut at = 0;
    for (action, reference) in &trail {
        if at < expected.len() && action == expected[at].0 && reference == &expected[at].1 {
            at += 1;
        }
    }
    assert_eq!(
        at,
        expected.len(),
        "the trail lacks {:?} in order: {trail:?}",
        expected.get(at)
    );

    // The sealed intake's words never crossed the network in the clear, nor
    // reached the database.
    for (line, body) in proxy.requests() {
        let text = String::from_utf8_lossy(&body);
        for canary in CANARIES {
            assert!(
                !line.contains(canary) && !text.contains(canary),
                "{canary} in {line}"
            );
        }
    }
    for file in [
        receiver.db.clone(),
        PathBuf::from(format!("{}-wal", receiver.db.display())),
    ] {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        for canary in CANARIES {
            assert!(
                !bytes.windows(canary.len()).any(|w| w == canary.as_bytes()),
                "{canary} in {}",
                file.display()
            );
        }
    }
    assert!(browser.csp_violations().await.is_empty());
    browser.quit().await;
}

/// The audit trail: (action, reference or "").
fn events(db: &Path) -> Vec<(String, String)> {
    Store::open(db)
        .expect("the receiver's database")
        .with(|c| accounts::events(c, None, "2000-01-01"))
        .expect("the audit trail")
        .into_iter()
        .map(|e| (e.action, e.reference.unwrap_or_default()))
        .collect()
}

#[tokio::test]
async fn a_search_finds_an_intake_older_than_the_newest_two_hundred() {
    let receiver = Receiver::start(None).await;
    let store = Store::open(&receiver.db).expect("the receiver's database");
    store
        .with(|c| accounts::add(c, "", "frontdesk", PASSWORD))
        .expect("a staff account");
    let mut body: Value =
        serde_json::from_str(include_str!("../../docs/example-submission.json")).expect("example");
    for i in 0..205 {
        let id = format!("{i:08x}-0000-4000-8000-000000000000");
        body["submission_id"] = json!(id);
        body["patient"]["family_name"] = json!(if i == 0 { "Müller" } else { "Costa" });
        store.insert("", &id, &body.to_string()).expect("insert");
    }
    let browser = Browser::start().await;
    browser.open(&receiver.url("/staff/")).await;
    browser.type_into("name", "frontdesk").await;
    browser.type_into("password", PASSWORD).await;
    press_enter(&browser).await;
    until_text(&browser, "#results", |t| t.contains("Only the newest 200")).await;
    assert!(!text_of(&browser, "table.list").await.contains("Müller"));
    browser.type_into("search", "muller").await;
    until_text(&browser, "table.list tbody", |t| t.contains("Müller, Ana")).await;
    assert_eq!(
        browser
            .eval("return document.querySelectorAll('table.list tbody tr').length;")
            .await,
        1
    );
    check_axe(&browser, "the list with its notice").await;
    browser.quit().await;
}
