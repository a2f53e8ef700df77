//! The widget on a clinic's website, through embed.js: the intake in a frame
//! the host page cannot read, the education inline with styles isolated both
//! ways. The host page is on its own origin, with its own policy and
//! deliberately unfriendly global CSS.

use std::time::Duration;

use intake_e2e::{Browser, HostPage, Receiver};
use serde_json::Value;

const CANARIES: [&str; 3] = ["Zqembedgiven", "Zqembedfamily", "Zqembedreason"];

/// Global CSS a website might well have: resets, `*` and `button` rules, a
/// large base font.
const HOSTILE: &str = "html { font-size: 24px; } \
  * { box-sizing: content-box !important; font-family: Georgia, serif !important; color: #a00 !important; letter-spacing: 1px; } \
  button { background: hotpink !important; border: 5px dashed lime !important; font-size: 30px !important; padding: 0 !important; } \
  p { margin: 40px !important; line-height: 3 !important; } \
  h2, h3 { text-transform: uppercase !important; } \
  div { outline: 1px solid blue; }";

fn host_csp(widget: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'unsafe-inline' {widget} 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; connect-src {widget}; frame-src {widget}; img-src 'self' data:"
    )
}

fn page(widget: &str, css: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Harbor Medical Massage</title>\
         <style>{css}</style></head><body><h1>Harbor Medical Massage</h1>\
         <p id=host-p>Our therapists are here for you.</p><button id=host-b>Directions</button>\
         {body}<script src=\"{widget}/embed.js\" async></script></body></html>"
    )
}

/// What a curious host page script records: its own document's text, every
/// key and input event it can see, and every fetch.
const RECORDER: &str = "<script>\
  window.recorded = { keys: [], texts: [], fetches: [], events: [], messages: [], heights: [], history: [] };\
  addEventListener('message', e => recorded.messages.push([e.origin, JSON.stringify(e.data)]));\
  setInterval(() => { const f = document.querySelector('#embed iframe'); if (!f) return; const h = f.offsetHeight;\
    if (recorded.heights[recorded.heights.length - 1] !== h) recorded.heights.push(h);\
    if (recorded.history[recorded.history.length - 1] !== history.length) recorded.history.push(history.length); }, 20);\
  document.addEventListener('keydown', e => recorded.keys.push(e.key), true);\
  document.addEventListener('input', e => recorded.keys.push(String(e.target.value)), true);\
  const realFetch = window.fetch; window.fetch = (...a) => { recorded.fetches.push(a.map(String).join(' ')); return realFetch(...a); };\
  new MutationObserver(() => recorded.texts.push(document.documentElement.innerText))\
    .observe(document, { subtree: true, childList: true, characterData: true });\
  for (const t of ['ready', 'started', 'step', 'submitted', 'error'])\
    document.getElementById('embed').addEventListener('massage-intake:' + t, e => recorded.events.push([t, e.detail]));\
  </script>";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_intake_in_the_frame_is_invisible_to_the_host_page() {
    // The clinic lets its website frame the widget.
    let (host, listener) = HostPage::bind().await;
    let origin = host.base.clone();
    let receiver = Receiver::start_with(
        Some(r#"{"endpoint": "/api/v1/submissions", "clinic_name": "Harbor Medical Massage"}"#),
        move |s| s.frame_ancestors = vec![origin],
    )
    .await;
    let widget = receiver.base.clone();
    let body = format!(
        "<div id=embed data-massage-intake data-view=intake data-load=eager></div>{RECORDER}"
    );
    HostPage::serve(listener, page(&widget, HOSTILE, &body), host_csp(&widget));
    let browser = Browser::start().await;
    browser.open(&format!("{}/", host.base)).await;
    let frame = browser.wait_for("#embed iframe").await;
    assert_eq!(
        frame.attr("title").await.ok().flatten().as_deref(),
        Some("Medical massage intake")
    );
    let frame_height = || async {
        browser
            .eval("return parseInt(document.querySelector('#embed iframe').style.height);")
            .await
            .as_i64()
            .unwrap_or(0)
    };
    // Once the form is open the frame keeps one height, the window's.
    let window = browser
        .eval("return innerHeight;")
        .await
        .as_i64()
        .unwrap_or(0);
    let fixed = (window - 32).clamp(480, 900);
    for _ in 0..50 {
        if frame_height().await == fixed {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        frame_height().await,
        fixed,
        "the frame's height with the form"
    );
    frame.enter_frame().await.expect("enter the frame");
    browser.wait_for("#mi-patient-given-name").await;
    let [given, family, reason] = CANARIES;
    browser
        .fill_form(
            [given, family, reason, format!("{given} {family}").as_str()],
            "401-555-0134",
        )
        .await;
    browser.click("button[type=submit]").await;
    let reference = browser.reference().await;
    browser
        .driver
        .enter_default_frame()
        .await
        .expect("back to the host page");
    tokio::time::sleep(Duration::from_millis(300)).await;

    let recorded = browser.eval("return window.recorded;").await;
    let seen = format!(
        "{recorded}{}",
        browser
            .eval("return document.documentElement.outerHTML;")
            .await
    );
    for canary in CANARIES {
        assert!(!seen.contains(canary), "the host page saw {canary}");
    }
    // The host element heard what happened, and only that.
    let events = recorded["events"].as_array().cloned().unwrap_or_default();
    let kinds: Vec<&str> = events.iter().filter_map(|e| e[0].as_str()).collect();
    assert!(kinds.contains(&"ready"), "{events:?}");
    let submitted: Vec<&Value> = events.iter().filter(|e| e[0] == "submitted").collect();
    assert_eq!(submitted.len(), 1, "{events:?}");
    assert_eq!(
        submitted[0][1],
        serde_json::json!({ "reference": reference })
    );
    assert_eq!(kinds, ["ready", "started", "submitted"], "{events:?}");
    // The frame kept its height to the end, and the host's history its length.
    assert_eq!(frame_height().await, fixed);
    assert_eq!(
        recorded["history"].as_array().map(Vec::len),
        Some(1),
        "{recorded}"
    );
    let rows = receiver.rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].2["patient"]["family_name"], CANARIES[1]);
    assert_eq!(rows[0].2["mode"], "embedded");
    browser.screenshot("embed-site-tablet").await;
    assert_eq!(browser.csp_violations().await, Vec::<String>::new());
    browser.quit().await;
}

/// The computed styles that matter, of the elements `selectors` pick.
const STYLES: &str = "const [root, selectors] = arguments;\
  const scope = root ? document.querySelector(root).shadowRoot : document;\
  return selectors.map(s => { const e = scope.querySelector(s); if (!e) return null;\
    const c = getComputedStyle(e);\
    return [c.fontFamily, c.fontSize, c.color, c.backgroundColor, c.lineHeight, c.textTransform, c.borderTopStyle, c.marginTop, c.letterSpacing, c.boxSizing, c.outlineStyle]; });";

async fn styles(browser: &Browser, root: Option<&str>, selectors: &[&str]) -> Value {
    browser
        .driver
        .execute(
            STYLES,
            vec![serde_json::json!(root), serde_json::json!(selectors)],
        )
        .await
        .expect("styles")
        .json()
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inline_education_and_the_host_page_keep_their_own_styles() {
    let receiver = Receiver::start(Some(
        r#"{"endpoint": "/api/v1/submissions", "clinic_name": "Harbor Medical Massage", "clinic_phone": "401-555-0134"}"#,
    ))
    .await;
    let widget = receiver.base.clone();
    let inline = "<section id=learn data-massage-intake data-inline></section>";
    let widget_parts = [
        ".mi-learn h2",
        ".mi-disclosure",
        ".mi-learn-intro",
        ".mi-tel",
        ".mi-learn-section",
    ];
    let host_parts = ["#host-p", "#host-b", "h1"];
    let browser = Browser::start().await;
    let mut seen = Vec::new();
    for (css, body) in [(HOSTILE, inline), ("", inline), (HOSTILE, "")] {
        let host = HostPage::start(page(&widget, css, body), host_csp(&widget)).await;
        browser.open(&format!("{}/", host.base)).await;
        if !body.is_empty() {
            for _ in 0..100 {
                let ready = browser
                    .eval("const s = document.querySelector('#learn').shadowRoot; return !!(s && s.querySelector('.mi-disclosure'));")
                    .await;
                if ready == true {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            // A disclosure works in the shadow root.
            let toggled = browser
                .eval("const s = document.querySelector('#learn').shadowRoot; const b = s.querySelectorAll('.mi-disclosure')[1]; b.click(); return [b.getAttribute('aria-expanded'), s.getElementById(b.getAttribute('aria-controls')).hidden];")
                .await;
            assert_eq!(toggled, serde_json::json!(["true", false]));
            // The host page keeps the only h1 and main: the education starts at h2.
            let structure = browser
                .eval("const s = document.querySelector('#learn').shadowRoot; return [s.querySelectorAll('h1, main, header').length, s.querySelector('h2').textContent];")
                .await;
            assert_eq!(structure, serde_json::json!([0, "About medical massage"]));
        }
        let inside = if body.is_empty() {
            Value::Null
        } else {
            styles(&browser, Some("#learn"), &widget_parts).await
        };
        let outside = styles(&browser, None, &host_parts).await;
        if css == HOSTILE && !body.is_empty() {
            browser.screenshot("embed-inline-tablet").await;
        }
        assert_eq!(browser.csp_violations().await, Vec::<String>::new());
        seen.push((inside, outside));
    }
    let (hostile_inside, hostile_outside) = &seen[0];
    let (plain_inside, _) = &seen[1];
    let (_, without_widget_outside) = &seen[2];
    assert!(
        hostile_inside
            .as_array()
            .is_some_and(|a| a.iter().all(|s| !s.is_null())),
        "{hostile_inside}"
    );
    assert_eq!(
        hostile_inside, plain_inside,
        "the host's CSS reached the widget"
    );
    assert_eq!(
        hostile_outside, without_widget_outside,
        "the widget's CSS reached the host page"
    );
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_widgets_and_late_elements_are_picked_up() {
    let (host, listener) = HostPage::bind().await;
    let origin = host.base.clone();
    let receiver = Receiver::start_with(Some(r#"{"endpoint": "/api/v1/submissions"}"#), move |s| {
        s.frame_ancestors = vec![origin]
    })
    .await;
    let widget = receiver.base.clone();
    // Two at load, one custom element added later, as a single-page site does.
    let body = "<div data-massage-intake data-load=eager></div>\
        <div data-massage-intake data-view=welcome data-load=eager></div>\
        <div id=later></div>\
        <script>setTimeout(() => { const m = document.createElement('massage-intake');\
          m.dataset.load = 'eager'; document.getElementById('later').appendChild(m); }, 300);</script>";
    HostPage::serve(listener, page(&widget, "", body), host_csp(&widget));
    let browser = Browser::start().await;
    browser.open(&format!("{}/", host.base)).await;
    let mut frames = Value::Null;
    for _ in 0..50 {
        frames = browser
            .eval("return document.querySelectorAll('iframe').length;")
            .await;
        if frames == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(frames, 3);
    let late = browser
        .eval("return !!document.querySelector('#later massage-intake iframe');")
        .await;
    assert_eq!(late, true);
    assert_eq!(browser.csp_violations().await, Vec::<String>::new());
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_clinic_site_shows_both_embeds() {
    let (host, listener) = HostPage::bind().await;
    let origin = host.base.clone();
    let receiver = Receiver::start_with(
        Some(r#"{"endpoint": "/api/v1/submissions", "clinic_name": "Harbor Medical Massage", "clinic_phone": "401-555-0134"}"#),
        move |s| s.frame_ancestors = vec![origin],
    )
    .await;
    let widget = receiver.base.clone();
    let site = std::fs::read_to_string(intake_e2e::workspace_root().join("demo/site/index.html"))
        .expect("demo/site/index.html")
        .replace("{widget}", &widget);
    HostPage::serve(listener, site, host_csp(&widget));
    let browser = Browser::start().await;
    browser.open(&format!("{}/", host.base)).await;
    browser.wait_for("#intake iframe").await;
    for _ in 0..100 {
        let ready = browser
            .eval("const s = document.querySelector('#learn [data-massage-intake]').shadowRoot; return !!(s && s.querySelector('.mi-disclosure'));")
            .await;
        if ready == true {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    browser.screenshot("demo-site-tablet").await;
    assert_eq!(browser.csp_violations().await, Vec::<String>::new());
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_theme_colour_is_used_only_when_it_stays_readable() {
    let (host, listener) = HostPage::bind().await;
    let origin = host.base.clone();
    let receiver = Receiver::start_with(Some(r#"{"endpoint": "/api/v1/submissions"}"#), move |s| {
        s.frame_ancestors = vec![origin]
    })
    .await;
    let widget = receiver.base.clone();
    let body = "<div id=good data-massage-intake data-load=eager data-primary=\"#8a1c1c\"></div>\
        <div id=bad data-massage-intake data-load=eager data-primary=\"#ffff00\"></div>\
        <section id=inline data-massage-intake data-inline data-primary=\"#1f3a93\"></section>";
    HostPage::serve(listener, page(&widget, "", body), host_csp(&widget));
    let browser = Browser::start().await;
    browser.open(&format!("{}/", host.base)).await;
    let primary_in = |frame: &'static str| {
        let browser = &browser;
        async move {
            let f = browser.wait_for(&format!("#{frame} iframe")).await;
            f.enter_frame().await.expect("enter");
            browser.wait_for(".mi-learn").await;
            let color = browser
                .eval("return getComputedStyle(document.querySelector('.mi-root')).getPropertyValue('--mi-primary').trim();")
                .await;
            let notice = browser.exists(".mi-notice").await;
            browser.driver.enter_default_frame().await.expect("leave");
            (color, notice)
        }
    };
    assert_eq!(
        primary_in("good").await,
        (serde_json::json!("#8a1c1c"), false)
    );
    // Yellow under white text is unreadable: the default stays, the notice says so.
    assert_eq!(
        primary_in("bad").await,
        (serde_json::json!("#1f5f4a"), true)
    );
    let mut inline = Value::Null;
    for _ in 0..100 {
        inline = browser
            .eval("const s = document.querySelector('#inline').shadowRoot; const r = s && s.querySelector('.mi-root'); return r ? getComputedStyle(r).getPropertyValue('--mi-primary').trim() : null;")
            .await;
        if !inline.is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(inline, "#1f3a93");
    assert_eq!(browser.csp_violations().await, Vec::<String>::new());
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_load_on_click_nothing_of_the_widget_loads_until_asked() {
    let (host, listener) = HostPage::bind().await;
    let origin = host.base.clone();
    let receiver = Receiver::start_with(Some(r#"{"endpoint": "/api/v1/submissions"}"#), move |s| {
        s.frame_ancestors = vec![origin]
    })
    .await;
    let widget = receiver.base.clone();
    let body = "<div data-massage-intake data-load=click data-label=\"Fill in your intake form\" data-view=intake></div>";
    HostPage::serve(listener, page(&widget, "", body), host_csp(&widget));
    let browser = Browser::start().await;
    browser.open(&format!("{}/", host.base)).await;
    let button = browser.wait_for("[data-massage-intake] button").await;
    assert_eq!(
        button.text().await.expect("text"),
        "Fill in your intake form"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let fetched = browser
        .eval(&format!(
            "return performance.getEntriesByType('resource').map(r => r.name).filter(n => n.startsWith('{widget}') && !n.endsWith('/embed.js'));"
        ))
        .await;
    assert_eq!(
        fetched,
        serde_json::json!([]),
        "nothing but embed.js before the tap"
    );
    assert!(!browser.exists("iframe").await);
    button.click().await.expect("tap");
    browser.wait_for("[data-massage-intake] iframe").await;
    assert!(!browser.exists("[data-massage-intake] button").await);
    let focused = browser.eval("return document.activeElement.tagName;").await;
    assert_eq!(focused, "IFRAME", "the form has the focus");
    let frame = browser.wait_for("iframe").await;
    browser.driver.enter_frame(0).await.expect("into the frame");
    browser.wait_for("#mi-patient-given-name").await;
    browser.driver.enter_default_frame().await.expect("back");
    drop(frame);
    assert_eq!(browser.csp_violations().await, Vec::<String>::new());
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inline_education_speaks_the_language_of_data_lang() {
    let (host, listener) = HostPage::bind().await;
    let origin = host.base.clone();
    let receiver = Receiver::start_with(Some(r#"{"endpoint": "/api/v1/submissions"}"#), move |s| {
        s.frame_ancestors = vec![origin]
    })
    .await;
    let widget = receiver.base.clone();
    let body = "<div id=es data-massage-intake data-inline data-lang=es></div>\
        <div id=pt data-massage-intake data-inline data-lang=pt-BR></div>";
    HostPage::serve(listener, page(&widget, "", body), host_csp(&widget));
    let browser = Browser::start().await;
    browser.open(&format!("{}/", host.base)).await;
    let read = |id: &str| {
        format!(
            "const r = document.getElementById('{id}').shadowRoot; \
             const s = r && r.querySelector('.mi-learn h2'); \
             return s ? [s.textContent, r.querySelector('[lang]').getAttribute('lang')] : null;"
        )
    };
    let mut seen = (Value::Null, Value::Null);
    for _ in 0..200 {
        seen = (
            browser.eval(&read("es")).await,
            browser.eval(&read("pt")).await,
        );
        if !seen.0.is_null() && !seen.1.is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(seen.0, serde_json::json!(["Sobre el masaje médico", "es"]));
    assert_eq!(seen.1, serde_json::json!(["Sobre a massagem médica", "pt"]));
    assert_eq!(browser.csp_violations().await, Vec::<String>::new());
    browser.quit().await;
}

/// Goes through the intake in the frame: `rich` with a prescription, health
/// insurance, a pregnancy, a medicine and five pain regions; otherwise the
/// shortest path with one region. Stops on Review.
async fn fill_variant(browser: &Browser, rich: bool) {
    browser
        .fill_about("Ana", "Silva", "04121990", "401-555-0134")
        .await;
    browser.next_step().await;
    browser.type_into("mi-visit-reason", "Back pain").await;
    if rich {
        browser.click("#mi-prescription-has-prescription").await;
        browser.click("#mi-payer-kind-health-insurance").await;
    } else {
        browser.click("#mi-prescription-has-prescription-no").await;
        browser.click("#mi-payer-kind").await;
    }
    assert_eq!(browser.next_step().await, "health");
    if rich {
        browser.click("#mi-health-conditions-pregnancy").await;
        browser.type_into("mi-health-pregnancy-weeks", "20").await;
        browser.click("#mi-health-takes-medications").await;
        browser.click("#mi-medications-add").await;
        browser
            .type_into("mi-health-medications-0-name", "Ibuprofen")
            .await;
        browser.click("#mi-health-blood-thinners-no").await;
        browser.click("#mi-health-allergies-nuts").await;
    } else {
        browser.answer_health().await;
    }
    assert_eq!(browser.next_step().await, "pain");
    let regions: &[&str] = if rich {
        &[
            "back_neck_left",
            "back_neck_right",
            "back_lower_left",
            "back_lower_right",
            "front_knee_left",
        ]
    } else {
        &["back_lower_left"]
    };
    for region in regions {
        browser.click(&format!("[data-region={region}]")).await;
        browser
            .type_into(&format!("mi-pain-{}", region.replace('_', "-")), "\u{E014}")
            .await;
    }
    let after_pain = browser.next_step().await;
    if rich {
        assert_eq!(after_pain, "prescription");
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
        assert_eq!(browser.next_step().await, "payment");
        for (id, text) in [
            ("mi-payer-health-insurance-carrier", "Blue Cross"),
            ("mi-payer-health-insurance-member-id", "XJ-1"),
            ("mi-payer-health-insurance-subscriber-name", "Ana Silva"),
        ] {
            browser.type_into(id, text).await;
        }
        assert_eq!(browser.next_step().await, "consent");
    } else {
        assert_eq!(after_pain, "consent");
    }
    browser.consent_and_sign("Ana Silva").await;
    assert_eq!(browser.next_step().await, "review");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_message_the_frame_posts_is_the_same_whatever_the_answers() {
    let (host, listener) = HostPage::bind().await;
    let origin = host.base.clone();
    let receiver = Receiver::start_with(
        Some(r#"{"endpoint": "/api/v1/submissions", "clinic_name": "Harbor Medical Massage"}"#),
        move |s| s.frame_ancestors = vec![origin],
    )
    .await;
    let widget = receiver.base.clone();
    let body = format!(
        "<div id=embed data-massage-intake data-view=intake data-load=eager></div>{RECORDER}"
    );
    HostPage::serve(listener, page(&widget, "", &body), host_csp(&widget));
    let browser = Browser::start().await;
    let mut heard = Vec::new();
    for rich in [false, true, false] {
        browser.open(&format!("{}/", host.base)).await;
        browser
            .wait_for("#embed iframe")
            .await
            .enter_frame()
            .await
            .expect("enter the frame");
        browser.wait_for("#mi-patient-given-name").await;
        fill_variant(&browser, rich).await;
        browser.click("button[type=submit]").await;
        let reference = browser.reference().await;
        browser
            .driver
            .enter_default_frame()
            .await
            .expect("back to the host page");
        tokio::time::sleep(Duration::from_millis(300)).await;
        let recorded = browser.eval("return window.recorded;").await;
        // Everything the host page could observe: each message with its
        // origin, the frame's heights over time, its own history's length.
        let mut seen = format!(
            "{}\n{}\n{}",
            recorded["messages"], recorded["heights"], recorded["history"]
        );
        assert!(seen.contains(&reference), "the reference was posted");
        seen = seen.replace(&reference, "MI-REFERENCE");
        assert!(
            recorded["messages"]
                .as_array()
                .is_some_and(|m| m.iter().all(|m| m[0] == widget.as_str())),
            "{seen}"
        );
        heard.push(seen);
    }
    assert_eq!(heard[0], heard[2], "the same answers, the same messages");
    assert_eq!(
        heard[0], heard[1],
        "a prescription, a pregnancy and five regions changed what the host saw"
    );
    assert!(
        heard[0].contains("\\\"type\\\":\\\"started\\\""),
        "{}",
        heard[0]
    );
    let rows = receiver.rows();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows.iter()
            .filter(|(_, _, b)| b["pain"].as_array().map(Vec::len) == Some(5))
            .count(),
        1
    );
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_frame_speaks_only_to_the_origin_embed_js_named() {
    let (host, listener) = HostPage::bind().await;
    let origin = host.base.clone();
    let receiver = Receiver::start_with(Some(r#"{"endpoint": "/api/v1/submissions"}"#), move |s| {
        s.frame_ancestors = vec![origin.clone()]
    })
    .await;
    let widget = receiver.base.clone();
    // Framed by hand three ways: naming this page, naming another origin,
    // naming none.
    let body = format!(
        "<iframe id=right src=\"{widget}/?mode=embedded&host={host}\"></iframe>\
         <iframe id=wrong src=\"{widget}/?mode=embedded&host=http://127.0.0.1:9\"></iframe>\
         <iframe id=none src=\"{widget}/?mode=embedded\"></iframe>\
         <script>window.heard = {{ right: 0, wrong: 0, none: 0 }};\
           addEventListener('message', e => {{ for (const id in heard)\
             if (e.source === document.getElementById(id).contentWindow) heard[id]++; }});</script>",
        host = host.base
    );
    HostPage::serve(listener, page(&widget, "", &body), host_csp(&widget));
    let browser = Browser::start().await;
    browser.open(&format!("{}/", host.base)).await;
    for _ in 0..100 {
        let heard = browser.eval("return window.heard;").await;
        if heard["right"].as_i64().unwrap_or(0) >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Time for the others to have spoken, had they been going to.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let heard = browser.eval("return window.heard;").await;
    assert!(heard["right"].as_i64().unwrap_or(0) >= 2, "{heard}");
    assert_eq!(heard["wrong"], 0, "{heard}");
    assert_eq!(heard["none"], 0, "{heard}");
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_frame_gives_way_to_the_phone_number_and_a_link() {
    // The receiver does not list this site in frame-ancestors.
    let receiver = Receiver::start(Some(
        r#"{"endpoint": "/api/v1/submissions", "clinic_phone": "401-555-0134"}"#,
    ))
    .await;
    let widget = receiver.base.clone();
    let body = format!(
        "<div id=embed data-massage-intake data-view=intake data-load=eager data-lang=es></div>{RECORDER}"
    );
    let host = HostPage::start(page(&widget, "", &body), host_csp(&widget)).await;
    let browser = Browser::start().await;
    browser.viewport(390, 844).await;
    browser.open(&format!("{}/", host.base)).await;
    let fallback = browser.wait_for(".massage-intake-fallback").await;
    let text = fallback.text().await.expect("text");
    assert!(
        text.contains("no se puede abrir") && text.contains("401-555-0134"),
        "{text}"
    );
    assert!(
        !browser.exists("#embed iframe").await,
        "the error box is gone"
    );
    let link = browser
        .wait_for(".massage-intake-fallback a[target=_blank]")
        .await
        .attr("href")
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    assert_eq!(link, format!("{widget}/?view=intake&lang=es"));
    let call = browser
        .wait_for(".massage-intake-fallback a[href^='tel:']")
        .await
        .attr("href")
        .await
        .ok()
        .flatten();
    assert_eq!(call.as_deref(), Some("tel:4015550134"));
    let recorded = browser.eval("return window.recorded.events;").await;
    assert_eq!(
        recorded,
        serde_json::json!([["error", {"code": "frame_refused"}]])
    );
    assert_eq!(browser.axe().await, Vec::<String>::new());
    browser.screenshot("embed-refused-phone").await;
    browser.quit().await;
}
