//! `cargo xtask bench` in the browser: bytes on the wire, time to the first
//! interactive step at 1x and 4x CPU slowdown (Chrome DevTools protocol),
//! keystroke and tap latency, memory across kiosk resets, and the same
//! bytes and time for an equivalent form in SurveyJS. Figures only: nothing
//! here passes or fails on a timing.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{json, Value};

use crate::{dist_dir, workspace_root, Browser, Receiver};

/// The SurveyJS packages compared with, from the npm registry.
pub const SURVEYJS_VERSION: &str = "2.5.38";

/// How much to measure.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Page loads per figure (the median is reported).
    pub runs: usize,
    /// Keystrokes timed.
    pub keys: usize,
    /// Taps on the body map timed.
    pub taps: usize,
    /// Kiosk resets before memory is weighed again.
    pub resets: usize,
    /// Whether to install and measure SurveyJS.
    pub surveyjs: bool,
}

/// One line of the report.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub what: String,
    pub value: String,
}

fn line(what: impl Into<String>, value: impl Into<String>) -> Line {
    Line {
        what: what.into(),
        value: value.into(),
    }
}

/// The median of `values` (0 for none).
pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// The value at the `p`th percentile (nearest rank).
pub fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}

/// Records when the first interactive element of each kind appears, from
/// the first byte of every page (milliseconds since navigation started).
const READY_RECORDER: &str = "window.__ready = {}; \
  const want = { learn: '.mi-learn [data-start]', form: '#mi-patient-given-name', survey: '.sd-root-modern input' }; \
  new MutationObserver(() => { for (const [k, s] of Object.entries(want)) \
    if (!(k in __ready) && document.querySelector(s)) __ready[k] = performance.now(); }) \
    .observe(document, { childList: true, subtree: true });";

/// Bytes of a set of files as sent: raw, gzip, brotli.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bytes {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

impl Bytes {
    fn of(files: &[PathBuf]) -> std::io::Result<Bytes> {
        let mut total = Bytes::default();
        for file in files {
            let bytes = std::fs::read(file)?;
            total.raw += bytes.len() as u64;
            total.gzip += xtask::gzip_len(&bytes);
            total.brotli += xtask::brotli_bytes(&bytes).len() as u64;
        }
        Ok(total)
    }
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

/// The first view's files by kind, from the built page.
pub fn first_view_bytes() -> std::io::Result<Vec<(&'static str, Bytes)>> {
    let dist = dist_dir();
    let sizes = xtask::measure(&dist)?;
    let pick =
        |names: Vec<&String>| -> Vec<PathBuf> { names.into_iter().map(|n| dist.join(n)).collect() };
    let wasm = pick(
        sizes
            .first_view
            .iter()
            .filter(|a| a.name.ends_with(".wasm"))
            .map(|a| &a.name)
            .collect(),
    );
    let js = pick(
        sizes
            .first_view
            .iter()
            .filter(|a| a.name.ends_with(".js"))
            .map(|a| &a.name)
            .collect(),
    );
    let css = pick(sizes.css.iter().map(|a| &a.name).collect());
    let content = vec![dist.join("index.html"), dist.join("intake.config.json")];
    Ok(vec![
        ("wasm", Bytes::of(&wasm)?),
        ("JS", Bytes::of(&js)?),
        ("CSS", Bytes::of(&css)?),
        ("page and configuration", Bytes::of(&content)?),
    ])
}

/// Loads `url` `runs` times at `rate`x CPU slowdown, without cache, and
/// returns the median time until `ready` (a key of the recorder) appeared.
async fn time_to(browser: &Browser, url: &str, ready: &str, rate: f64, runs: usize) -> f64 {
    browser.cdp("Network.enable", json!({})).await;
    browser
        .cdp("Network.setCacheDisabled", json!({ "cacheDisabled": true }))
        .await;
    browser
        .cdp("Emulation.setCPUThrottlingRate", json!({ "rate": rate }))
        .await;
    let mut times = Vec::new();
    for _ in 0..runs {
        browser.open("about:blank").await;
        browser.open(url).await;
        for _ in 0..400 {
            let t = browser
                .eval(&format!(
                    "return (window.__ready || {{}})['{ready}'] ?? null;"
                ))
                .await;
            if let Some(t) = t.as_f64() {
                times.push(t);
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
    browser
        .cdp("Emulation.setCPUThrottlingRate", json!({ "rate": 1 }))
        .await;
    browser
        .cdp(
            "Network.setCacheDisabled",
            json!({ "cacheDisabled": false }),
        )
        .await;
    assert!(!times.is_empty(), "{url}: {ready} never appeared");
    median(&mut times)
}

/// Keystroke to the frame after it (rAF, then a task: the paint has happened).
const KEY_RECORDER: &str = "window.__lat = []; window.__work = []; \
  const el = document.getElementById(arguments[0]); \
  el.addEventListener('keydown', (e) => { const t0 = e.timeStamp; \
    requestAnimationFrame(() => setTimeout(() => __lat.push(performance.now() - t0), 0)); }, true); \
  let t1 = 0; \
  window.addEventListener('input', () => { t1 = performance.now(); }, true); \
  window.addEventListener('input', () => { if (t1) __work.push(performance.now() - t1); t1 = 0; }, false); \
  return true;";

/// Pointer down on a region to the frame after its pressed state changed.
const TAP_RECORDER: &str = "window.__tap = []; let t0 = 0; \
  const maps = document.querySelector('.mi-maps'); \
  maps.addEventListener('pointerdown', (e) => { t0 = e.timeStamp; }, true); \
  new MutationObserver(() => { if (!t0) return; const start = t0; t0 = 0; \
    requestAnimationFrame(() => setTimeout(() => __tap.push(performance.now() - start), 0)); }) \
    .observe(maps, { attributes: true, subtree: true, attributeFilter: ['aria-pressed'] }); \
  return true;";

/// `n` letters, typed in one go as a person types a word.
fn typed(n: usize) -> String {
    (0..n).map(|i| char::from(b'a' + (i % 26) as u8)).collect()
}

async fn latencies(browser: &Browser, name: &str) -> Vec<f64> {
    tokio::time::sleep(Duration::from_millis(300)).await;
    serde_json::from_value(browser.eval(&format!("return window.{name};")).await)
        .unwrap_or_default()
}

/// Kiosk cycles after which the page counts as warm (see the bench's notes).
const WARM_RESETS: usize = 10;

/// JS heap in use after a full garbage collection, and each wasm memory.
pub async fn memory(browser: &Browser) -> (f64, Value) {
    browser.cdp("HeapProfiler.collectGarbage", json!({})).await;
    let heap = browser.cdp("Runtime.getHeapUsage", json!({})).await;
    let wasm = browser
        .eval("return globalThis.massageIntake?.memory ? massageIntake.memory() : {};")
        .await;
    (heap["usedSize"].as_f64().unwrap_or(0.0), wasm)
}

fn wasm_total(wasm: &Value) -> f64 {
    wasm.as_object()
        .map(|m| m.values().filter_map(Value::as_f64).sum())
        .unwrap_or(0.0)
}

/// Waits until `condition` (a script expression) holds in the page.
/// Runs `body` (a function's body) in the page through the DevTools protocol:
/// unlike WebDriver's script calls it leaves nothing behind in the page's
/// heap (chromedriver keeps a wrapper of every result it returned: 86 arrays
/// per kiosk intake), so the memory figures weigh the widget, not the harness.
async fn script(browser: &Browser, body: &str) -> Value {
    let out = browser
        .cdp(
            "Runtime.evaluate",
            json!({ "expression": format!("(() => {{ {body} }})()"), "returnByValue": true }),
        )
        .await;
    out["result"]["value"].clone()
}

async fn until(browser: &Browser, condition: &str) {
    for _ in 0..600 {
        if script(browser, &format!("return !!({condition});")).await == Value::Bool(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("waited in vain for {condition}");
}

/// Fills, ticks and presses through scripts only: WebDriver's own references
/// to elements would keep every old form alive and weigh on the JS heap.
const FILL: &str = "\
  for (const [id, value] of Object.entries(answers)) { const e = document.getElementById(id); \
    if (e) { e.value = value; e.dispatchEvent(new Event('input', { bubbles: true })); } } \
  for (const id of clicks) document.getElementById(id)?.click(); return true;";

/// Presses Next and waits for the step after `from`.
async fn next_by_script(browser: &Browser, from: &str) {
    script(
        browser,
        "document.getElementById('mi-next').click(); return true;",
    )
    .await;
    until(
        browser,
        &format!("document.querySelector('.mi-step:not([hidden])')?.dataset.step !== '{from}'"),
    )
    .await;
}

/// One short intake in a kiosk, sent; returns once its thank-you screen is up.
pub async fn kiosk_intake(browser: &Browser) {
    until(
        browser,
        "document.querySelector('.mi-learn [data-start], #mi-patient-given-name')",
    )
    .await;
    script(
        browser,
        "document.querySelector('.mi-learn [data-start]')?.click(); return true;",
    )
    .await;
    until(browser, "document.getElementById('mi-patient-given-name')").await;
    let fill = |answers: Value, clicks: Value| async move {
        script(
            browser,
            &format!("const [answers, clicks] = [{answers}, {clicks}]; {FILL}"),
        )
        .await;
    };
    fill(
        json!({ "mi-patient-given-name": "Ana", "mi-patient-family-name": "Silva",
                "mi-patient-date-of-birth": "1961-04-12", "mi-patient-phone": "401-555-0134" }),
        json!([]),
    )
    .await;
    next_by_script(browser, "about").await;
    fill(
        json!({ "mi-visit-reason": "Back pain" }),
        json!(["mi-prescription-has-prescription-no", "mi-payer-kind"]),
    )
    .await;
    next_by_script(browser, "visit").await;
    fill(
        json!({}),
        json!([
            "mi-health-conditions-none",
            "mi-health-takes-medications-no",
            "mi-health-blood-thinners-no",
            "mi-health-allergies-none"
        ]),
    )
    .await;
    for from in ["health", "pain"] {
        next_by_script(browser, from).await;
    }
    fill(
        json!({ "mi-signature-typed-name": "Ana Silva" }),
        json!(["mi-consents-treatment", "mi-consents-privacy-notice"]),
    )
    .await;
    next_by_script(browser, "consent").await;
    script(
        browser,
        "document.getElementById('mi-next').click(); return true;",
    )
    .await;
    until(browser, "document.querySelector('.mi-reference')").await;
}

/// Waits for the kiosk to reset after the thank-you screen: the page loaded
/// anew and ready for the next patient.
pub async fn kiosk_reset(browser: &Browser) {
    until(
        browser,
        "!document.querySelector('.mi-reference') && document.readyState === 'complete' \
         && document.querySelector('.mi-learn [data-start], #mi-patient-given-name')",
    )
    .await;
}

/// Leaves a mark in the page, for [`reset_reloads`].
pub async fn mark_page(browser: &Browser) {
    script(browser, "window.__benchMark = true; return true;").await;
}

/// Waits for the kiosk to reset after the thank-you screen; true when the
/// reset loaded the page anew (the mark left by [`mark_page`] is gone).
pub async fn reset_reloads(browser: &Browser) -> bool {
    kiosk_reset(browser).await;
    script(browser, "return window.__benchMark === undefined;").await == Value::Bool(true)
}

/// What the bench found: the table, and the memory figures on their own.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub lines: Vec<Line>,
    /// Kiosk resets that loaded the page anew, of `resets`.
    pub reloads: usize,
    /// wasm memory (all modules) and JS heap, in bytes, after one kiosk reset…
    pub wasm_after_one: f64,
    pub heap_after_one: f64,
    /// …and after all of them.
    pub wasm_after_all: f64,
    pub heap_after_all: f64,
}

/// Runs everything asked; lines in the order of the table.
pub async fn run(options: Options) -> Report {
    let mut out = Vec::new();
    out.push(line("machine", machine()));
    // Bytes.
    let first = first_view_bytes().expect("measure the build: run cargo xtask dist");
    let mut total = Bytes::default();
    for (kind, b) in &first {
        out.push(line(
            format!("first view bytes: {kind}"),
            format!(
                "{} gzip, {} brotli ({} raw)",
                kb(b.gzip),
                kb(b.brotli),
                kb(b.raw)
            ),
        ));
        total.raw += b.raw;
        total.gzip += b.gzip;
        total.brotli += b.brotli;
    }
    let code_gzip = first[0].1.gzip + first[1].1.gzip;
    out.push(line(
        "first view bytes: all",
        format!(
            "{} gzip, {} brotli (wasm + JS: {} gzip)",
            kb(total.gzip),
            kb(total.brotli),
            kb(code_gzip)
        ),
    ));

    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": READY_RECORDER }),
        )
        .await;
    let mut ours = Vec::new();
    for rate in [1.0, 4.0] {
        let learn = time_to(&browser, &receiver.url("/"), "learn", rate, options.runs).await;
        let form = time_to(
            &browser,
            &receiver.url("/?view=intake"),
            "form",
            rate,
            options.runs,
        )
        .await;
        out.push(line(
            format!("time to interactive, {rate}x CPU: first view (Learn, Start works)"),
            format!("{learn:.0} ms"),
        ));
        out.push(line(
            format!("time to interactive, {rate}x CPU: step 1 of the form (view=intake)"),
            format!("{form:.0} ms"),
        ));
        ours.push((rate, learn, form));
    }

    // Typing and tapping at 4x.
    browser.open(&receiver.url("/?view=intake")).await;
    browser.wait_for("#mi-patient-given-name").await;
    browser
        .cdp("Emulation.setCPUThrottlingRate", json!({ "rate": 4 }))
        .await;
    browser
        .driver
        .execute(KEY_RECORDER, vec![json!("mi-patient-given-name")])
        .await
        .expect("recorder");
    let field = browser.wait_for("#mi-patient-given-name").await;
    field.send_keys(typed(options.keys)).await.expect("type");
    let mut keys = latencies(&browser, "__lat").await;
    // The widget's own work per keystroke: the input event from the first
    // listener (capture, on the window) to the last (bubbling, on the window,
    // after the widget's delegated handlers).
    let mut work = latencies(&browser, "__work").await;
    out.push(line(
        "input handling per keystroke, 4x CPU (median / p95)",
        format!(
            "{:.2} / {:.2} ms over {} keys",
            median(&mut work),
            percentile(&mut work, 95.0),
            work.len()
        ),
    ));
    out.push(line(
        "keystroke to next frame, 4x CPU (median / p95)",
        format!(
            "{:.1} / {:.1} ms over {} keys",
            median(&mut keys),
            percentile(&mut keys, 95.0),
            keys.len()
        ),
    )); // The same measure on a bare input of the same page: what the browser
        // and the measuring itself take, without the widget.
    browser
        .eval("const i = document.createElement('input'); i.id = 'bench-plain'; document.body.prepend(i); return true;")
        .await;
    browser
        .driver
        .execute(KEY_RECORDER, vec![json!("bench-plain")])
        .await
        .expect("recorder");
    let plain = browser.wait_for("#bench-plain").await;
    plain.send_keys(typed(options.keys)).await.expect("type");
    let mut bare = latencies(&browser, "__lat").await;
    out.push(line(
        "  the same on a bare input beside it (no widget code)",
        format!(
            "{:.1} / {:.1} ms over {} keys",
            median(&mut bare),
            percentile(&mut bare, 95.0),
            bare.len()
        ),
    ));

    browser
        .cdp("Emulation.setCPUThrottlingRate", json!({ "rate": 1 }))
        .await;
    browser.open(&receiver.url("/?view=intake")).await;
    browser
        .fill_about("Ana", "Silva", "04121961", "401-555-0134")
        .await;
    browser.next_step().await;
    browser.type_into("mi-visit-reason", "Back pain").await;
    browser.click("#mi-prescription-has-prescription-no").await;
    browser.click("#mi-payer-kind").await;
    browser.next_step().await;
    browser.answer_health().await;
    browser.next_step().await;
    browser
        .cdp("Emulation.setCPUThrottlingRate", json!({ "rate": 4 }))
        .await;
    browser
        .driver
        .execute(TAP_RECORDER, vec![])
        .await
        .expect("recorder");
    for i in 0..options.taps {
        let region = [
            "front_knee_left",
            "back_lower_right",
            "front_shoulder_right",
            "back_calf_left",
        ][i % 4];
        browser.click(&format!("[data-region={region}]")).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut taps = latencies(&browser, "__tap").await;
    out.push(line(
        "tap to region selected, next frame, 4x CPU (median / p95)",
        format!(
            "{:.1} / {:.1} ms over {} taps",
            median(&mut taps),
            percentile(&mut taps, 95.0),
            taps.len()
        ),
    ));
    browser
        .cdp("Emulation.setCPUThrottlingRate", json!({ "rate": 1 }))
        .await;
    browser.quit().await;

    // Memory across kiosk resets.
    let kiosk = Receiver::start(Some(
        r#"{"endpoint": "/api/v1/submissions", "clinic_name": "Harbor Medical Massage", "kiosk_done_seconds": 1}"#,
    ))
    .await;
    // Memory with a patient's answers on screen, in a session of its own: a
    // forced garbage collection also empties V8's compilation cache, so the
    // page loaded after it starts without the compiled code the last one
    // left (about 75 KB less JS heap, measured by heap snapshots). Weighed
    // in the same session before the first reset, it made the page after
    // that reset read low, and the heap seemed to grow by 6.8% over 50
    // resets; weighed apart, the resets compare like with like. A plain
    // page reloaded 50 times after one forced collection "grows" the same way.
    let browser = Browser::start().await;
    browser.open(&kiosk.url("/?mode=kiosk")).await;
    kiosk_intake(&browser).await;
    let (heap_done, wasm_done) = memory(&browser).await;
    browser.quit().await;
    let browser = Browser::start().await;
    browser.open(&kiosk.url("/?mode=kiosk")).await;
    kiosk_intake(&browser).await;
    mark_page(&browser).await;
    let mut reloads = usize::from(reset_reloads(&browser).await);
    let (heap_1, wasm_1) = memory(&browser).await;
    // Also weighed once warm (after 10): V8 compiles and optimises the
    // bindings' functions over the first cycles, and that code is JS heap too.
    let mut warm = None;
    for done in 1..options.resets {
        kiosk_intake(&browser).await;
        mark_page(&browser).await;
        reloads += usize::from(reset_reloads(&browser).await);
        if done + 1 == WARM_RESETS && options.resets > WARM_RESETS {
            warm = Some(memory(&browser).await.0);
        }
    }
    let (heap_n, wasm_n) = memory(&browser).await;
    browser.quit().await;
    out.push(line(
        "kiosk resets that loaded the page anew",
        format!("{reloads} of {}", options.resets),
    ));
    let mb = |b: f64| format!("{:.2} MB", b / 1_048_576.0);
    out.push(line(
        "memory after a full intake (JS heap / wasm)",
        format!(
            "{} / {} {wasm_done}",
            mb(heap_done),
            mb(wasm_total(&wasm_done))
        ),
    ));
    out.push(line(
        "memory after 1 kiosk reset (JS heap / wasm)",
        format!("{} / {} {wasm_1}", mb(heap_1), mb(wasm_total(&wasm_1))),
    ));
    let growth = |a: f64, b: f64| if a > 0.0 { (b - a) / a * 100.0 } else { 0.0 };
    if let Some(heap_warm) = warm {
        out.push(line(
            format!("memory after {WARM_RESETS} kiosk resets (JS heap)"),
            format!("{} ({:+.1}%)", mb(heap_warm), growth(heap_1, heap_warm)),
        ));
        out.push(line(
            format!(
                "JS heap from {WARM_RESETS} to {} kiosk resets",
                options.resets
            ),
            format!("{:+.1}%", growth(heap_warm, heap_n)),
        ));
    }
    out.push(line(
        format!(
            "memory after {} kiosk resets (JS heap / wasm)",
            options.resets
        ),
        format!(
            "{} ({:+.1}%) / {} ({:+.1}%) {wasm_n}",
            mb(heap_n),
            growth(heap_1, heap_n),
            mb(wasm_total(&wasm_n)),
            growth(wasm_total(&wasm_1), wasm_total(&wasm_n))
        ),
    ));

    if options.surveyjs {
        let site = surveyjs_site().expect("install SurveyJS");
        let files: Vec<PathBuf> = ["survey.core.min.js", "survey-js-ui.min.js"]
            .iter()
            .map(|f| site.join(f))
            .collect();
        let js = Bytes::of(&files).expect("SurveyJS bytes");
        let css = Bytes::of(&[site.join("survey-core.fontless.min.css")]).expect("css");
        let page = Bytes::of(&[site.join("index.html")]).expect("page");
        out.push(line(
            format!("SurveyJS {SURVEYJS_VERSION} bytes: JS / CSS / page with the form"),
            format!(
                "{} / {} / {} gzip",
                kb(js.gzip),
                kb(css.gzip),
                kb(page.gzip)
            ),
        ));
        let theirs = js.gzip + css.gzip + page.gzip;
        out.push(line(
            "first view bytes, ours / SurveyJS (all, gzip)",
            format!(
                "{} / {} = {:.2}",
                kb(total.gzip),
                kb(theirs),
                total.gzip as f64 / theirs as f64
            ),
        ));
        out.push(line(
            "code bytes, ours (first view wasm + JS) / SurveyJS JS, gzip",
            format!(
                "{} / {} = {:.2}",
                kb(code_gzip),
                kb(js.gzip),
                code_gzip as f64 / js.gzip as f64
            ),
        ));
        let server = StaticSite::start(site).await;
        let browser = Browser::start().await;
        browser
            .cdp(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({ "source": READY_RECORDER }),
            )
            .await;
        for (rate, learn, form) in ours {
            let theirs = time_to(&browser, &server.url("/"), "survey", rate, options.runs).await;
            out.push(line(
                format!("time to interactive, {rate}x CPU: SurveyJS first page"),
                format!("{theirs:.0} ms (ours: first view {learn:.0} ms = {:.2}, form {form:.0} ms = {:.2})", learn / theirs, form / theirs),
            ));
        }
        browser.quit().await;
    }
    Report {
        lines: out,
        wasm_after_one: wasm_total(&wasm_1),
        heap_after_one: heap_1,
        reloads,
        wasm_after_all: wasm_total(&wasm_n),
        heap_after_all: heap_n,
    }
}

/// What the figures were measured on.
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let chromium = std::process::Command::new(crate::CHROMIUM)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{cpu}, {cores} cores, {chromium}, headless")
}

/// SurveyJS from the npm registry in `target/bench/surveyjs`, with a page
/// holding the equivalent form (generated from the widget's own questions).
pub fn surveyjs_site() -> std::io::Result<PathBuf> {
    let dir = workspace_root().join("target/bench/surveyjs");
    std::fs::create_dir_all(&dir)?;
    let wanted = [
        ("survey-core", "survey.core.min.js"),
        ("survey-core", "survey-core.fontless.min.css"),
        ("survey-js-ui", "survey-js-ui.min.js"),
    ];
    if wanted.iter().any(|(_, f)| !dir.join(f).exists()) {
        let packs = dir.join("packs");
        std::fs::create_dir_all(&packs)?;
        for package in ["survey-core", "survey-js-ui"] {
            let status = std::process::Command::new("npm")
                .current_dir(&packs)
                .args(["pack", "--silent", &format!("{package}@{SURVEYJS_VERSION}")])
                .status()?;
            if !status.success() {
                return Err(std::io::Error::other(format!("npm pack {package} failed")));
            }
            let unpacked = packs.join(package);
            std::fs::create_dir_all(&unpacked)?;
            let status = std::process::Command::new("tar")
                .current_dir(&packs)
                .arg("xzf")
                .arg(format!("{package}-{SURVEYJS_VERSION}.tgz"))
                .arg("-C")
                .arg(&unpacked)
                .status()?;
            if !status.success() {
                return Err(std::io::Error::other(format!("unpacking {package} failed")));
            }
        }
        for (package, file) in wanted {
            std::fs::copy(
                packs.join(package).join("package").join(file),
                dir.join(file),
            )?;
        }
    }
    let page = format!(
        concat!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>Intake (SurveyJS)</title>",
            "<link rel=\"stylesheet\" href=\"survey-core.fontless.min.css\">",
            "<script src=\"survey.core.min.js\"></script><script src=\"survey-js-ui.min.js\"></script>",
            "</head><body><div id=\"surveyElement\"></div><script>",
            "const survey = new Survey.Model({json});",
            "const el = document.getElementById('surveyElement');",
            "if (survey.render) survey.render(el); else SurveyUI.renderSurvey(survey, el);",
            "</script></body></html>"
        ),
        json = crate::surveyjs::equivalent_form()
    );
    std::fs::write(dir.join("index.html"), page)?;
    // Precompressed, as the receiver sends the widget.
    for file in [
        "index.html",
        "survey.core.min.js",
        "survey-core.fontless.min.css",
        "survey-js-ui.min.js",
    ] {
        let bytes = std::fs::read(dir.join(file))?;
        std::fs::write(dir.join(format!("{file}.br")), xtask::brotli_bytes(&bytes))?;
    }
    Ok(dir)
}

/// A static file server for a folder (plain HTTP/1.1, GET only), sending a
/// brotli copy to browsers that accept it, as the receiver does for the widget.
pub struct StaticSite {
    pub base: String,
}

impl StaticSite {
    pub async fn start(root: PathBuf) -> StaticSite {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let root = std::sync::Arc::new(root);
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let root = root.clone();
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut chunk = [0u8; 4096];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match client.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&head).into_owned();
                    let path = head
                        .split(' ')
                        .nth(1)
                        .unwrap_or("/")
                        .split('?')
                        .next()
                        .unwrap_or("/");
                    let name = if path == "/" {
                        "index.html"
                    } else {
                        path.trim_start_matches('/')
                    };
                    let brotli = head.to_ascii_lowercase().contains("br");
                    let reply = serve_file(&root, name, brotli);
                    let _ = client.write_all(&reply).await;
                });
            }
        });
        StaticSite { base }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

fn serve_file(root: &Path, name: &str, brotli: bool) -> Vec<u8> {
    if name.contains("..") || name.starts_with('/') || name.contains('\\') {
        return b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .to_vec();
    }
    let compressed = root.join(format!("{name}.br"));
    let (file, encoding) = if brotli && compressed.exists() {
        (compressed, "Content-Encoding: br\r\n")
    } else {
        (root.join(name), "")
    };
    let Ok(body) = std::fs::read(file) else {
        return b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .to_vec();
    };
    let kind = match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        _ => "application/octet-stream",
    };
    let mut reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\n{encoding}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    reply.extend_from_slice(&body);
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_percentiles() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&mut []), 0.0);
        let mut values: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&mut values, 95.0), 95.0);
        assert_eq!(percentile(&mut [7.0], 95.0), 7.0);
    }
}
