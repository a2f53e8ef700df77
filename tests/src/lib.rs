//! The end-to-end harness: the real receiver on a free loopback port with its
//! own SQLite file, serving the built widget from `dist/`, and a real headless
//! Chromium driven over WebDriver by Debian's chromedriver.

pub mod bench;
pub mod proxy;
pub mod surveyjs;

use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use intake_receiver::{serve, Settings};
use serde_json::Value;
use thirtyfour::prelude::*;
use thirtyfour::ChromiumLikeCapabilities;
use tokio::process::{Child, Command};
use tokio::sync::oneshot;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The workspace's top folder.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The built widget: `$INTAKE_DIST`, else `dist/` at the top of the workspace.
pub fn dist_dir() -> PathBuf {
    let dist = std::env::var_os("INTAKE_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("dist"));
    assert!(
        dist.join("index.html").exists(),
        "no built widget in {}: run `cargo xtask test` (or `cargo xtask dist` first)",
        dist.display()
    );
    dist
}

/// A receiver running inside the test, with its own database.
pub struct Receiver {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// Its socket address.
    pub addr: std::net::SocketAddr,
    /// The SQLite file it stores into.
    pub db: PathBuf,
    /// The widget configuration it serves, when one was given.
    widget_config: Option<PathBuf>,
    _dir: tempfile::TempDir,
    shutdown: Option<oneshot::Sender<()>>,
}

impl Receiver {
    /// Starts a receiver serving `dist/`; `widget_config` replaces the widget's
    /// `intake.config.json` when given.
    pub async fn start(widget_config: Option<&str>) -> Receiver {
        Receiver::start_with(widget_config, |_| {}).await
    }

    /// [`Receiver::start`] with `change` applied to its settings.
    pub async fn start_with(
        widget_config: Option<&str>,
        change: impl FnOnce(&mut Settings),
    ) -> Receiver {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("intake.sqlite3");
        let mut settings = Settings::new(db.clone());
        change(&mut settings);
        settings.dist = Some(dist_dir());
        if let Some(text) = widget_config {
            let file = dir.path().join("intake.config.json");
            std::fs::write(&file, text).expect("write widget config");
            settings.widget_config = Some(file);
        }
        let served_config = settings.widget_config.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = serve(listener, settings, async {
                let _ = rx.await;
            })
            .await;
        });
        Receiver {
            base: format!("http://{addr}"),
            addr,
            db,
            widget_config: served_config,
            _dir: dir,
            shutdown: Some(tx),
        }
    }

    /// Serves `text` as the widget's configuration from now on (as a clinic
    /// editing its file would); the receiver must have started with one.
    pub fn set_widget_config(&self, text: &str) {
        let file = self
            .widget_config
            .as_ref()
            .expect("started with a widget configuration");
        std::fs::write(file, text).expect("write widget config");
    }

    /// The URL of `path` on this receiver.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Every stored submission: (id, reference, body).
    pub fn rows(&self) -> Vec<(String, String, Value)> {
        let conn = rusqlite::Connection::open_with_flags(
            &self.db,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("open the receiver's database");
        let mut stmt = conn
            .prepare("SELECT submission_id, reference, body FROM submissions ORDER BY received_at")
            .expect("query");
        stmt.query_map([], |row| {
            let body: String = row.get(2)?;
            Ok((
                row.get(0)?,
                row.get(1)?,
                serde_json::from_str(&body).unwrap_or(Value::Null),
            ))
        })
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("read rows")
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Records Content-Security-Policy violations from the first byte of every page.
const CSP_RECORDER: &str = "window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));";

/// A headless Chromium session.
pub struct Browser {
    pub driver: WebDriver,
    _chromedriver: Child,
}

impl Browser {
    /// Starts chromedriver on a free port and opens a session with a 1024x768 viewport.
    pub async fn start() -> Browser {
        assert!(
            Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists(),
            "Chromium and chromedriver are needed: run `cargo xtask setup`"
        );
        let port = free_port();
        let chromedriver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start chromedriver");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(CHROMIUM).expect("binary");
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1024,768",
        ] {
            caps.add_arg(arg).expect("arg");
        }
        let driver = WebDriver::new(format!("http://127.0.0.1:{port}"), caps)
            .await
            .expect("a WebDriver session");
        let browser = Browser {
            driver,
            _chromedriver: chromedriver,
        };
        browser
            .cdp(
                "Page.addScriptToEvaluateOnNewDocument",
                serde_json::json!({ "source": CSP_RECORDER }),
            )
            .await;
        browser
    }

    /// Runs a Chrome DevTools Protocol command.
    pub async fn cdp(&self, command: &str, params: Value) -> Value {
        self.driver
            .cdp()
            .send_raw(command, params)
            .await
            .unwrap_or_else(|e| panic!("CDP {command}: {e}"))
    }

    /// Sets the viewport to `width` x `height` CSS pixels.
    pub async fn viewport(&self, width: u32, height: u32) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600 }),
        )
        .await;
    }

    /// Opens `url` in the browser.
    pub async fn open(&self, url: &str) {
        self.driver
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("opening {url}: {e}"));
    }

    /// The element matching `css`, waiting for it to appear.
    pub async fn wait_for(&self, css: &str) -> WebElement {
        self.driver
            .query(By::Css(css))
            .wait(Duration::from_secs(15), Duration::from_millis(50))
            .first()
            .await
            .unwrap_or_else(|e| panic!("waiting for {css}: {e}"))
    }

    /// Waits for the thank-you screen and reads the reference it shows.
    pub async fn reference(&self) -> String {
        self.wait_for(".mi-reference")
            .await
            .text()
            .await
            .expect("the reference's text")
    }

    /// Whether an element matching `css` is there now.
    pub async fn exists(&self, css: &str) -> bool {
        self.driver
            .query(By::Css(css))
            .nowait()
            .exists()
            .await
            .unwrap_or(false)
    }

    /// Types `text` into the input `#id`.
    pub async fn type_into(&self, id: &str, text: &str) {
        self.wait_for(&format!("#{id}"))
            .await
            .send_keys(text)
            .await
            .expect("type");
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) {
        self.wait_for(css).await.click().await.expect("click");
    }

    /// Answers every question the short path asks as Ana Silva, typing
    /// `phone`, and stops on Review (Send is `button[type=submit]` there).
    pub async fn fill_short_form(&self, phone: &str) {
        self.fill_form(
            ["Ana", "Silva", "Lower back pain since March", "Ana Silva"],
            phone,
        )
        .await;
    }

    /// Goes through the intake as an adult born 1961-04-12 with these given
    /// name, family name, reason and typed signature, and `phone`; no
    /// prescription, paying themselves. Stops on Review.
    pub async fn fill_form(&self, [given, family, reason, signature]: [&str; 4], phone: &str) {
        self.fill_about(given, family, "04121961", phone).await;
        self.next_step().await;
        self.type_into("mi-visit-reason", reason).await;
        self.click("#mi-prescription-has-prescription-no").await;
        self.click("#mi-payer-kind").await;
        self.next_step().await;
        self.answer_health().await;
        self.next_step().await;
        self.next_step().await;
        self.consent_and_sign(signature).await;
        assert_eq!(self.next_step().await, "review");
    }

    /// On Consent: ticks the two required consents and types `signature`.
    pub async fn consent_and_sign(&self, signature: &str) {
        self.click("#mi-consents-treatment").await;
        self.click("#mi-consents-privacy-notice").await;
        self.type_into("mi-signature-typed-name", signature).await;
    }

    /// Whether leaving the page would ask first: a `beforeunload` listener
    /// on the window.
    pub async fn leaving_asks(&self) -> bool {
        let window = self
            .cdp(
                "Runtime.evaluate",
                serde_json::json!({ "expression": "window" }),
            )
            .await;
        let listeners = self
            .cdp(
                "DOMDebugger.getEventListeners",
                serde_json::json!({ "objectId": window["result"]["objectId"].clone() }),
            )
            .await;
        listeners["listeners"]
            .as_array()
            .expect("the window's listeners")
            .iter()
            .any(|l| l["type"] == "beforeunload")
    }

    /// Answers Health's screening questions with the fewest clicks: none of
    /// the conditions, no medicines, no blood thinners, no allergies.
    pub async fn answer_health(&self) {
        for id in [
            "#mi-health-conditions-none",
            "#mi-health-takes-medications-no",
            "#mi-health-blood-thinners-no",
            "#mi-health-allergies-none",
        ] {
            self.click(id).await;
        }
    }

    /// Types the four required answers of About you; the date of birth as
    /// the digits of mm/dd/yyyy, as a person types them in Chromium.
    pub async fn fill_about(&self, given: &str, family: &str, dob_digits: &str, phone: &str) {
        self.type_into("mi-patient-given-name", given).await;
        self.type_into("mi-patient-family-name", family).await;
        self.type_into("mi-patient-date-of-birth", dob_digits).await;
        self.type_into("mi-patient-phone", phone).await;
    }

    /// The step in view (`about`, `visit`, … `review`), or "" when none is.
    pub async fn visible_step(&self) -> String {
        self.eval(
            "const s = document.querySelector('.mi-step:not([hidden])');              return s ? s.dataset.step : '';",
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// Waits until the step in view is not `from`; returns the new one.
    pub async fn wait_step_change(&self, from: &str) -> String {
        for _ in 0..300 {
            let now = self.visible_step().await;
            if now != from {
                return now;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let problems = self
            .eval(
                "return [...document.querySelectorAll('.mi-step:not([hidden]) .mi-error')]                 .map(e => e.id + ': ' + e.textContent).join('; ');",
            )
            .await;
        panic!("still on step {from}; problems shown: {problems}");
    }

    /// Presses Next and waits for the next step; returns its name.
    pub async fn next_step(&self) -> String {
        let from = self.visible_step().await;
        self.click("#mi-next").await;
        self.wait_step_change(&from).await
    }

    /// What axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) finds wrong on the
    /// page as it is now: one line per rule broken, with where.
    pub async fn axe(&self) -> Vec<String> {
        let injected = self.eval("return typeof axe !== 'undefined';").await;
        if injected != Value::Bool(true) {
            let source = std::fs::read_to_string(workspace_root().join("target/axe/axe.min.js"))
                .expect("axe-core: run `cargo xtask setup`");
            self.driver
                .execute(&source, Vec::new())
                .await
                .expect("inject axe-core");
        }
        let found = self
            .driver
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                 axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, \
                   resultTypes: ['violations'] }) \
                 .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + \
                   v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(', '))), e => done(['axe failed: ' + e]));",
                Vec::new(),
            )
            .await
            .expect("run axe-core");
        serde_json::from_value(found.json().clone())
            .unwrap_or_else(|_| vec!["unreadable".to_owned()])
    }

    /// Runs a script and returns its result as JSON.
    pub async fn eval(&self, script: &str) -> Value {
        self.driver
            .execute(script, Vec::new())
            .await
            .expect("script")
            .json()
            .clone()
    }

    /// Every Content-Security-Policy violation on the current page so far.
    pub async fn csp_violations(&self) -> Vec<String> {
        serde_json::from_value(
            self.eval("return window.__cspViolations || ['recorder missing'];")
                .await,
        )
        .unwrap_or_else(|_| vec!["unreadable".to_owned()])
    }

    /// Saves a PNG of the page to `target/screenshots/NAME.png`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let dir = workspace_root().join("target/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        let path = dir.join(format!("{name}.png"));
        let shot = self
            .cdp(
                "Page.captureScreenshot",
                serde_json::json!({ "format": "png", "captureBeyondViewport": true }),
            )
            .await;
        let data = shot
            .get("data")
            .and_then(Value::as_str)
            .expect("screenshot data");
        use base64::Engine;
        let png = base64::engine::general_purpose::STANDARD
            .decode(data)
            .expect("screenshot is base64");
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Ends the session.
    pub async fn quit(self) {
        let _ = self.driver.quit().await;
    }
}

/// A clinic's website on its own origin: one page, with its own policy.
pub struct HostPage {
    /// `http://127.0.0.1:PORT`
    pub base: String,
}

impl HostPage {
    /// Takes a port, so its origin is known before the page is written.
    pub async fn bind() -> (HostPage, tokio::net::TcpListener) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the host page");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        (HostPage { base }, listener)
    }

    /// Serves `html` at `/` with the `Content-Security-Policy` `csp`.
    pub async fn start(html: String, csp: String) -> HostPage {
        let (page, listener) = HostPage::bind().await;
        HostPage::serve(listener, html, csp);
        page
    }

    /// Serves `html` at `/` on `listener`.
    pub fn serve(listener: tokio::net::TcpListener, html: String, csp: String) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let page = std::sync::Arc::new((html, csp));
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let page = page.clone();
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut chunk = [0u8; 2048];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match client.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let root = head.starts_with(b"GET / ") || head.starts_with(b"GET /? ");
                    let reply = if root {
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Security-Policy: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                            page.1,
                            page.0.len(),
                            page.0
                        )
                    } else {
                        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .to_owned()
                    };
                    let _ = client.write_all(reply.as_bytes()).await;
                });
            }
        });
    }
}
