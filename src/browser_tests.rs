//! Component tests in a real browser (headless Chromium through
//! wasm-bindgen-test): the widget's pieces mounted into a page and driven
//! through DOM events, as a patient's browser would.

use intake_core::config::{resolve, Endpoint, Mode};
use intake_core::{Catalog, Msg};
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

use crate::intake::IntakeForm;
use crate::text::Texts;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// A mounted view: unmounted and removed from the page when dropped, so
/// element ids never repeat across tests.
struct Mounted {
    root: HtmlElement,
    _handle: Box<dyn std::any::Any>,
}

impl std::ops::Deref for Mounted {
    type Target = HtmlElement;
    fn deref(&self) -> &HtmlElement {
        &self.root
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

/// Provides what boot.js provides on a real page: a loader of the rules
/// module, here the `intake-rules` crate linked into the test itself.
fn install_rules(available: bool) {
    let module = js_sys::Object::new();
    let check =
        Closure::<dyn Fn(String) -> String>::new(|input: String| intake_rules::check(&input));
    let _ = js_sys::Reflect::set(&module, &"check".into(), check.as_ref());
    check.forget();
    let module: JsValue = module.into();
    let loader = Closure::<dyn Fn() -> js_sys::Promise>::new(move || {
        if available {
            js_sys::Promise::resolve(&module)
        } else {
            js_sys::Promise::reject(&"offline".into())
        }
    });
    let _ = js_sys::Reflect::set(
        &js_sys::global(),
        &crate::rules::LOADER.into(),
        loader.as_ref(),
    );
    loader.forget();
}

/// A fresh element in the page to mount into.
fn host() -> HtmlElement {
    let doc = document();
    let el: HtmlElement = doc.create_element("div").expect("div").unchecked_into();
    doc.body().expect("body").append_child(&el).expect("append");
    el
}

/// Lets the reactive system and the browser run queued work: timers,
/// promises and the next animation frames (focus moves on a frame).
async fn settle() {
    for _ in 0..3 {
        let frame = js_sys::Promise::new(&mut |resolve, _| {
            let _ = web_sys::window()
                .expect("window")
                .request_animation_frame(&resolve);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(frame).await;
        let timer = js_sys::Promise::new(&mut |resolve, _| {
            let _ = web_sys::window()
                .expect("window")
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(timer).await;
    }
}

/// Waits, up to three seconds, until `ready` holds.
async fn wait_until(mut ready: impl FnMut() -> bool) -> bool {
    for _ in 0..150 {
        if ready() {
            return true;
        }
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let _ = web_sys::window()
                .expect("window")
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
    ready()
}

/// The ids of the inputs marked invalid, in page order.
fn invalid_ids(root: &HtmlElement) -> Vec<String> {
    let list = root
        .query_selector_all("[aria-invalid=true]")
        .expect("query");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .map(|e| e.id())
        .collect()
}

fn find(root: &HtmlElement, selector: &str) -> Option<HtmlElement> {
    root.query_selector(selector)
        .ok()
        .flatten()
        .map(|e| e.unchecked_into())
}

fn input(root: &HtmlElement, id: &str) -> HtmlInputElement {
    find(root, &format!("#{id}")).expect(id).unchecked_into()
}

fn type_into(root: &HtmlElement, id: &str, text: &str) {
    let el = input(root, id);
    el.set_value(text);
    let event = web_sys::Event::new("input").expect("event");
    el.dispatch_event(&event).expect("dispatch");
}

fn tick_box(root: &HtmlElement, id: &str) {
    input(root, id).click();
}

fn submit(root: &HtmlElement) {
    find(root, "button[type=submit]")
        .expect("submit button")
        .click();
}

fn text(root: &HtmlElement, selector: &str) -> Option<String> {
    find(root, selector).and_then(|e| e.text_content())
}

/// Answers every field of the short form correctly, as an adult patient.
fn fill_valid(root: &HtmlElement) {
    type_into(root, "mi-patient-given-name", "Ana");
    type_into(root, "mi-patient-family-name", "Silva");
    type_into(root, "mi-patient-date-of-birth", "1961-04-12");
    type_into(root, "mi-patient-phone", "401-555-0134");
    type_into(root, "mi-visit-reason", "Lower back pain");
    tick_box(root, "mi-consents-treatment");
    tick_box(root, "mi-consents-privacy-notice");
    type_into(root, "mi-signature-typed-name", "Ana Silva");
}

fn hidden(root: &HtmlElement, selector: &str) -> bool {
    find(root, selector).is_some_and(|e| e.hidden())
}

fn mount_form(mode: Mode) -> Mounted {
    install_rules(true);
    let root = host();
    let handle = mount_to(root.clone(), move || {
        provide_context(Texts::new(Catalog::english()));
        view! {
            <IntakeForm
                endpoint=Endpoint::parse("/nowhere").expect("endpoint")
                mode
                on_done=Callback::new(|_| ())
            />
        }
    });
    Mounted {
        root,
        _handle: Box::new(handle),
    }
}

#[wasm_bindgen_test]
async fn an_empty_form_marks_every_field_and_focuses_the_first() {
    let root = mount_form(Mode::Standalone);
    submit(&root);
    settle().await;
    for id in [
        "mi-patient-given-name",
        "mi-patient-family-name",
        "mi-patient-phone",
        "mi-consents-treatment",
    ] {
        let el = input(&root, id);
        assert_eq!(
            el.get_attribute("aria-invalid").as_deref(),
            Some("true"),
            "{id}"
        );
        let described = el.get_attribute("aria-describedby").unwrap_or_default();
        assert!(
            described.split(' ').any(|d| d == format!("{id}-error")),
            "{id}: {described}"
        );
        assert!(
            find(&root, &format!("#{id}-error")).is_some(),
            "{id} has its message"
        );
    }
    let focused = document().active_element().map(|e| e.id());
    assert_eq!(focused.as_deref(), Some("mi-patient-given-name"));
    let summary = text(&root, "[role=status]").unwrap_or_default();
    assert!(
        summary.starts_with("8 answers need your attention"),
        "{summary}"
    );
}

#[wasm_bindgen_test]
async fn a_bad_phone_gets_its_specific_message_and_keeps_what_was_typed() {
    let root = mount_form(Mode::Standalone);
    fill_valid(&root);
    type_into(&root, "mi-patient-phone", "401-555-01");
    submit(&root);
    settle().await;
    let message = text(&root, "#mi-patient-phone-error").unwrap_or_default();
    assert_eq!(message, Catalog::english().text(Msg::ErrorPhoneInvalid));
    assert!(
        find(&root, "#mi-patient-given-name-error").is_none(),
        "a good field shows no error"
    );
    assert_eq!(input(&root, "mi-patient-phone").value(), "401-555-01");
    assert_eq!(input(&root, "mi-patient-given-name").value(), "Ana");
    assert!(input(&root, "mi-consents-treatment").checked());
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("mi-patient-phone")
    );
}

#[wasm_bindgen_test]
async fn fixing_a_field_clears_its_message_while_typing() {
    let root = mount_form(Mode::Standalone);
    type_into(&root, "mi-patient-phone", "12");
    submit(&root);
    settle().await;
    assert!(find(&root, "#mi-patient-phone-error").is_some());
    type_into(&root, "mi-patient-phone", "(401) 555-0134");
    settle().await;
    assert!(
        find(&root, "#mi-patient-phone-error").is_none(),
        "the message goes once the number is right"
    );
    assert_eq!(
        input(&root, "mi-patient-phone").get_attribute("aria-invalid"),
        None
    );
    assert!(
        find(&root, "#mi-patient-given-name-error").is_some(),
        "other problems stay marked"
    );
}

#[wasm_bindgen_test]
async fn a_minor_is_asked_for_a_guardian_and_an_adult_is_not() {
    let root = mount_form(Mode::Standalone);
    settle().await;
    assert!(
        hidden(&root, "fieldset.mi-group"),
        "no guardian fields before a date of birth"
    );
    fill_valid(&root);
    type_into(&root, "mi-patient-date-of-birth", "2012-06-01");
    settle().await;
    assert!(
        !hidden(&root, "fieldset.mi-group"),
        "a 14-year-old needs a guardian"
    );
    submit(&root);
    settle().await;
    let message = text(&root, "#mi-consents-guardian-name-error").unwrap_or_default();
    assert_eq!(message, Catalog::english().text(Msg::ErrorRequired));
    assert_eq!(invalid_ids(&root), ["mi-consents-guardian-name"]);
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("mi-consents-guardian-name")
    );
    type_into(&root, "mi-patient-date-of-birth", "1990-06-01");
    settle().await;
    assert!(hidden(&root, "fieldset.mi-group"), "an adult does not");
    assert!(
        find(&root, "#mi-consents-guardian-name-error").is_none(),
        "and the guardian error is gone"
    );
}

#[wasm_bindgen_test]
async fn a_date_of_birth_in_the_future_is_explained() {
    let root = mount_form(Mode::Standalone);
    fill_valid(&root);
    type_into(&root, "mi-patient-date-of-birth", "2999-01-01");
    submit(&root);
    settle().await;
    let message = text(&root, "#mi-patient-date-of-birth-error").unwrap_or_default();
    assert_eq!(message, Catalog::english().text(Msg::ErrorDateInFuture));
}

#[wasm_bindgen_test]
async fn when_the_rules_cannot_load_the_patient_is_told_and_nothing_is_lost() {
    let root = mount_form(Mode::Standalone);
    install_rules(false);
    fill_valid(&root);
    submit(&root);
    settle().await;
    let alert = text(&root, "[role=alert]").unwrap_or_default();
    assert_eq!(alert, Catalog::english().text(Msg::SendRulesUnavailable));
    assert_eq!(input(&root, "mi-patient-given-name").value(), "Ana");
    install_rules(true);
    submit(&root);
    // The answers are valid, so this press goes on to send (to an endpoint
    // that does not exist here): the message changes once the server answers.
    let moved_on = wait_until(|| {
        find(&root, "[role=alert]")
            .and_then(|a| a.text_content())
            .is_some_and(|t| t != alert)
    })
    .await;
    assert!(moved_on, "a second press checks again and sends");
}

#[wasm_bindgen_test]
async fn kiosk_mode_turns_autocomplete_off_and_standalone_keeps_it() {
    let kiosk = mount_form(Mode::Kiosk);
    let standalone = mount_form(Mode::Standalone);
    settle().await;
    for id in [
        "mi-patient-given-name",
        "mi-patient-family-name",
        "mi-patient-phone",
    ] {
        assert_eq!(
            input(&kiosk, id).get_attribute("autocomplete").as_deref(),
            Some("off"),
            "{id}"
        );
    }
    assert_eq!(
        input(&standalone, "mi-patient-phone")
            .get_attribute("autocomplete")
            .as_deref(),
        Some("tel")
    );
    assert_eq!(
        input(&standalone, "mi-patient-given-name")
            .get_attribute("autocomplete")
            .as_deref(),
        Some("given-name")
    );
}

/// The first view, shown into a fresh element.
fn show_first_view(file: &str, query: &str) -> Mounted {
    let root = host();
    crate::shell::show(&root, resolve(Ok(file), query));
    Mounted {
        root,
        _handle: Box::new(()),
    }
}

/// Stands in for boot.js's `massageIntakeStart` and `massageIntakePrefetch`,
/// recording their calls in `globalThis.miCalls`; `start` succeeds or fails.
fn install_boot(start_succeeds: bool) {
    let body = format!(
        "globalThis.miCalls = [];\
         globalThis.massageIntakePrefetch = () => {{ miCalls.push('prefetch'); }};\
         globalThis.massageIntakeStart = (focus) => {{ miCalls.push('start:' + focus);\
           return {start_succeeds} ? Promise.resolve() : Promise.reject(new Error('offline')); }};"
    );
    let _ = js_sys::Function::new_no_args(&body).call0(&JsValue::UNDEFINED);
}

/// What the first view asked of boot.js so far.
fn boot_calls() -> Vec<String> {
    js_sys::Reflect::get(&js_sys::global(), &"miCalls".into())
        .ok()
        .map(|v| {
            js_sys::Array::from(&v)
                .iter()
                .filter_map(|c| c.as_string())
                .collect()
        })
        .unwrap_or_default()
}

fn attr(root: &HtmlElement, selector: &str, name: &str) -> Option<String> {
    find(root, selector)?.get_attribute(name)
}

#[wasm_bindgen_test]
async fn a_missing_endpoint_shows_a_notice_and_no_way_to_send() {
    install_boot(true);
    let root = show_first_view("{}", "");
    settle().await;
    let notice = text(&root, ".mi-notice").unwrap_or_default();
    assert!(
        notice.contains("No address is set for sending forms"),
        "{notice}"
    );
    assert!(find(&root, "[data-start]").is_none());
    assert!(
        find(&root, ".mi-learn").is_some(),
        "the education still shows"
    );
    assert_eq!(boot_calls(), Vec::<String>::new(), "no form to fetch");
}

#[wasm_bindgen_test]
async fn an_endpoint_that_is_not_http_is_named_in_the_notice() {
    install_boot(true);
    let root = show_first_view(r#"{"endpoint":"ftp://files.example/in"}"#, "");
    settle().await;
    let notice = text(&root, ".mi-notice").unwrap_or_default();
    assert!(
        notice.contains("\"ftp://files.example/in\" is not a web address"),
        "{notice}"
    );
}

#[wasm_bindgen_test]
async fn the_clinic_phone_is_a_tel_link_and_learn_leads_to_the_form() {
    install_boot(true);
    let root = show_first_view(
        r#"{"endpoint":"/api/v1/submissions","clinic_name":"Harbor Clinic","clinic_phone":"401-555-0134"}"#,
        "",
    );
    settle().await;
    let link = find(&root, "footer a.mi-tel").expect("a tel link");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("tel:+14015550134")
    );
    assert_eq!(link.text_content().as_deref(), Some("(401) 555-0134"));
    assert_eq!(text(&root, ".mi-brand").as_deref(), Some("Harbor Clinic"));
    assert_eq!(boot_calls(), vec!["prefetch"], "the form is fetched early");
    find(&root, "[data-start]").expect("start button").click();
    settle().await;
    assert_eq!(boot_calls(), vec!["prefetch", "start:true"]);
    assert!(hidden(&root, "#mi-start-status"), "no error when it opens");
}

#[wasm_bindgen_test]
async fn a_form_that_cannot_be_loaded_is_explained_and_the_education_stays() {
    install_boot(false);
    let root = show_first_view(r#"{"endpoint":"/api/v1/submissions"}"#, "");
    settle().await;
    find(&root, "[data-start]").expect("start button").click();
    assert!(wait_until(|| !hidden(&root, "#mi-start-status")).await);
    let status = text(&root, "#mi-start-status").unwrap_or_default();
    assert_eq!(
        status,
        Catalog::english().text(Msg::LearnFormUnavailable),
        "{status}"
    );
    assert_eq!(
        attr(&root, "#mi-start-status", "role").as_deref(),
        Some("alert")
    );
    assert!(find(&root, ".mi-learn").is_some());
}

#[wasm_bindgen_test]
async fn view_intake_opens_the_form_at_once_without_taking_focus() {
    install_boot(true);
    let root = show_first_view(r#"{"endpoint":"/api/v1/submissions"}"#, "view=intake");
    settle().await;
    assert_eq!(boot_calls(), vec!["start:false"]);
    assert!(find(&root, ".mi-learn").is_none());
}

#[wasm_bindgen_test]
async fn the_form_mounts_in_place_of_the_first_view() {
    install_rules(true);
    let root = show_first_view(r#"{"endpoint":"/api/v1/submissions"}"#, "");
    root.set_id(crate::shell::ROOT_ID);
    settle().await;
    crate::mount_form(true).await;
    settle().await;
    let doc = document();
    let form_root = doc
        .get_element_by_id(crate::shell::ROOT_ID)
        .expect("form root");
    assert!(form_root.query_selector("form").ok().flatten().is_some());
    assert!(
        doc.query_selector(".mi-learn").ok().flatten().is_none(),
        "the first view is gone"
    );
    assert_eq!(
        doc.active_element().map(|e| e.id()).as_deref(),
        Some("mi-intake-heading")
    );
    form_root.remove();
}

#[wasm_bindgen_test]
async fn each_disclosure_opens_and_closes_and_reports_its_state() {
    install_boot(true);
    let root = show_first_view(r#"{"endpoint":"/a"}"#, "");
    settle().await;
    let buttons = root
        .query_selector_all("button[aria-controls]")
        .expect("query");
    assert_eq!(buttons.length(), 17, "8 sections and 9 cards");
    for i in 0..buttons.length() {
        let button: HtmlElement = buttons.item(i).expect("button").unchecked_into();
        let panel_id = button.get_attribute("aria-controls").expect("controls");
        let panel = format!("#{panel_id}");
        let was_open = button.get_attribute("aria-expanded").as_deref() == Some("true");
        assert_eq!(
            hidden(&root, &panel),
            !was_open,
            "{panel_id} starts consistent"
        );
        // Open it (the cards sit in closed sections: open those first).
        if !was_open {
            if let Some(section) = button
                .closest(".mi-learn-panel")
                .ok()
                .flatten()
                .filter(|p| p.has_attribute("hidden"))
            {
                let id = section.id();
                let owner = format!("[aria-controls='{id}']");
                find(&root, &owner).expect("section button").click();
            }
        }
        button.click();
        assert_eq!(
            button.get_attribute("aria-expanded").as_deref(),
            Some(if was_open { "false" } else { "true" }),
            "{panel_id}"
        );
        assert_eq!(hidden(&root, &panel), was_open, "{panel_id} toggled");
        button.click();
        assert_eq!(
            button.get_attribute("aria-expanded").as_deref(),
            Some(if was_open { "true" } else { "false" })
        );
        assert_eq!(hidden(&root, &panel), !was_open, "{panel_id} back");
    }
}

#[wasm_bindgen_test]
async fn the_education_only_view_offers_the_number_to_book() {
    install_boot(true);
    let root = show_first_view(
        r#"{"view":"learn_only","clinic_name":"Harbor Clinic","clinic_phone":"401-555-0134"}"#,
        "",
    );
    settle().await;
    assert!(find(&root, ".mi-notice").is_none(), "no endpoint needed");
    assert!(find(&root, "[data-start]").is_none());
    assert_eq!(
        attr(&root, ".mi-book a.mi-tel", "href").as_deref(),
        Some("tel:+14015550134")
    );
    assert!(find(&root, "footer").is_none(), "the number once");
    assert_eq!(boot_calls(), Vec::<String>::new(), "nothing to fetch");
}

#[wasm_bindgen_test]
async fn a_bad_content_override_is_named_and_the_built_in_text_kept() {
    install_boot(true);
    let root = show_first_view(
        r#"{"endpoint":"/a","learn":{"session":{"title":42},"choosing":{"hidden":true}}}"#,
        "",
    );
    settle().await;
    let notice = text(&root, ".mi-notice").unwrap_or_default();
    assert!(notice.contains("\"learn.session.title\""), "{notice}");
    assert!(
        notice.contains("Some of this page's settings were not used"),
        "the form still works, so the notice does not say otherwise: {notice}"
    );
    assert_eq!(
        text(&root, "#mi-learn-session").as_deref(),
        Some(Catalog::english().text(Msg::LearnSessionTitle))
    );
    assert!(
        find(&root, "#mi-learn-choosing").is_none(),
        "hidden as asked"
    );
}

/// Stands in for boot.js's sealing loader (the `intake-seal` crate linked in)
/// and records what is put into the outbox.
fn install_seal_and_outbox() {
    let module = js_sys::Object::new();
    let seal = Closure::<dyn Fn(String, String, String, String, Vec<u8>) -> String>::new(
        |body: String, id: String, content_type: String, key: String, seed: Vec<u8>| {
            intake_seal::seal(&body, &id, &content_type, &key, &seed)
        },
    );
    let _ = js_sys::Reflect::set(&module, &"seal".into(), seal.as_ref());
    seal.forget();
    let module: JsValue = module.into();
    let loader =
        Closure::<dyn Fn() -> js_sys::Promise>::new(move || js_sys::Promise::resolve(&module));
    let _ = js_sys::Reflect::set(
        &js_sys::global(),
        &"massageIntakeSeal".into(),
        loader.as_ref(),
    );
    loader.forget();
    let _ = js_sys::Function::new_no_args(
        "globalThis.miOutbox = [];\
         globalThis.massageIntakeOutbox = {\
           put: (r) => { miOutbox.push(r); return Promise.resolve(); },\
           remove: (id) => Promise.resolve(),\
         };",
    )
    .call0(&JsValue::UNDEFINED);
}

#[wasm_bindgen_test]
async fn with_a_public_key_the_submission_is_sealed_before_it_is_kept_or_sent() {
    use intake_core::sealed::{open, Envelope, KeyPair};
    install_rules(true);
    install_seal_and_outbox();
    let keys = KeyPair::derive(&[7; 32]);
    let public_key = keys.public_key().to_base64();
    let root = host();
    let handle = mount_to(root.clone(), move || {
        provide_context(Texts::new(Catalog::english()));
        view! {
            <IntakeForm
                endpoint=Endpoint::parse("/nowhere").expect("endpoint")
                mode=Mode::Kiosk
                public_key=Some(public_key.clone())
                on_done=Callback::new(|_| ())
            />
        }
    });
    let root = Mounted {
        root,
        _handle: Box::new(handle),
    };
    fill_valid(&root);
    type_into(&root, "mi-patient-family-name", "Zqsealcanary");
    submit(&root);
    let outbox = || {
        js_sys::Reflect::get(&js_sys::global(), &"miOutbox".into())
            .map(|v| js_sys::Array::from(&v))
            .ok()
    };
    assert!(
        wait_until(|| outbox().is_some_and(|o| o.length() == 1)).await,
        "kept in the outbox"
    );
    let record = outbox().expect("outbox").get(0);
    let field = |name: &str| {
        js_sys::Reflect::get(&record, &name.into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    assert_eq!(field("type"), intake_core::config::SEALED_CONTENT_TYPE);
    let body = field("body");
    assert!(!body.contains("Zqsealcanary"), "nothing readable is kept");
    let envelope: Envelope = serde_json::from_str(&body).expect("an envelope");
    assert_eq!(field("id"), envelope.submission_id);
    let opened = open(&envelope, &keys).expect("opens with the clinic's key");
    let submission: intake_core::Submission =
        serde_json::from_slice(&opened).expect("a submission");
    assert_eq!(submission.patient.family_name.as_str(), "Zqsealcanary");
    assert_eq!(submission.mode, Mode::Kiosk);
    let other = KeyPair::derive(&[8; 32]);
    assert!(open(&envelope, &other).is_err(), "and with no other");
}
