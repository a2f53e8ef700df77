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

/// Adds `members` (JavaScript, `name: value, …`) to the bridge object that
/// boot.js provides on a real page (`globalThis.massageIntake`).
fn install_bridge(members: &str) {
    let body = format!(
        "globalThis.massageIntake = Object.assign(globalThis.massageIntake ?? {{}}, {{ {members} }});"
    );
    let _ = js_sys::Function::new_no_args(&body).call0(&JsValue::UNDEFINED);
}

/// Provides boot.js's loader of the FHIR writer, here the `intake-fhir` crate
/// linked into the test itself; `available` false: it cannot be loaded.
fn install_fhir(available: bool) {
    let module = js_sys::Object::new();
    let write = Closure::<dyn Fn(String) -> String>::new(|json: String| intake_fhir::fhir(&json));
    let _ = js_sys::Reflect::set(&module, &"fhir".into(), write.as_ref());
    write.forget();
    let module: JsValue = module.into();
    let loader = Closure::<dyn Fn() -> js_sys::Promise>::new(move || {
        if available {
            js_sys::Promise::resolve(&module)
        } else {
            js_sys::Promise::reject(&"offline".into())
        }
    });
    install_bridge("");
    if let Ok(bridge) = js_sys::Reflect::get(&js_sys::global(), &"massageIntake".into()) {
        let _ = js_sys::Reflect::set(&bridge, &"loadFhir".into(), loader.as_ref());
    }
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

/// The step in view.
fn step(root: &HtmlElement) -> String {
    find(root, ".mi-step:not([hidden])")
        .and_then(|s| s.get_attribute("data-step"))
        .unwrap_or_default()
}

/// Presses Next (or Send) and waits until the step changes; returns the new
/// step, or the same one when it stayed (problems to fix).
async fn next(root: &HtmlElement) -> String {
    let from = step(root);
    submit(root);
    wait_until(|| step(root) != from).await;
    settle().await;
    step(root)
}

/// Answers About you correctly, as an adult patient (or as born on `dob`).
fn fill_about(root: &HtmlElement, dob: &str) {
    type_into(root, "mi-patient-given-name", "Ana");
    type_into(root, "mi-patient-family-name", "Silva");
    type_into(root, "mi-patient-date-of-birth", dob);
    type_into(root, "mi-patient-phone", "401-555-0134");
}

/// Answers Visit: with or without a prescription, and who pays.
fn fill_visit(root: &HtmlElement, prescription: bool, payer: &str) {
    type_into(root, "mi-visit-reason", "Lower back pain");
    tick_box(
        root,
        if prescription {
            "mi-prescription-has-prescription"
        } else {
            "mi-prescription-has-prescription-no"
        },
    );
    tick_box(
        root,
        &match payer {
            "self_pay" => "mi-payer-kind".to_owned(),
            other => format!("mi-payer-kind-{}", other.replace('_', "-")),
        },
    );
}

/// Answers every screening question of Health: none of the conditions, no
/// medicines, no blood thinners, no allergies.
fn answer_health(root: &HtmlElement) {
    for id in [
        "mi-health-conditions-none",
        "mi-health-takes-medications-no",
        "mi-health-blood-thinners-no",
        "mi-health-allergies-none",
    ] {
        tick_box(root, id);
    }
}

/// Walks the short path (no prescription, paying oneself) to `target`.
async fn walk_to(root: &HtmlElement, dob: &str, target: &str) {
    fill_about(root, dob);
    assert_eq!(next(root).await, "visit");
    fill_visit(root, false, "self_pay");
    while step(root) != target {
        let was = step(root);
        if was == "health" {
            answer_health(root);
        }
        assert_ne!(next(root).await, was, "stuck on {was}");
    }
}

fn hidden(root: &HtmlElement, selector: &str) -> bool {
    find(root, selector).is_some_and(|e| e.hidden())
}

/// Whether the element is hidden itself or inside something hidden.
fn out_of_sight(root: &HtmlElement, selector: &str) -> bool {
    find(root, selector).is_some_and(|e| e.closest("[hidden]").ok().flatten().is_some())
}

fn mount_form(mode: Mode) -> Mounted {
    mount_form_in(intake_core::Locale::En, mode)
}

#[wasm_bindgen_test]
async fn next_on_an_empty_step_marks_its_fields_only_and_focuses_the_first() {
    let root = mount_form(Mode::Standalone);
    settle().await;
    assert_eq!(next(&root).await, "about", "nothing answered: it stays");
    for id in [
        "mi-patient-given-name",
        "mi-patient-family-name",
        "mi-patient-phone",
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
    assert!(
        find(&root, "#mi-visit-reason-error").is_none(),
        "later steps are not judged yet"
    );
    let focused = document().active_element().map(|e| e.id());
    assert_eq!(focused.as_deref(), Some("mi-patient-given-name"));
    let summary = text(&root, ".mi-sr-only[role=status]").unwrap_or_default();
    assert!(
        summary.starts_with("4 answers need your attention"),
        "{summary}"
    );
}

#[wasm_bindgen_test]
async fn a_bad_phone_gets_its_specific_message_and_keeps_what_was_typed() {
    let root = mount_form(Mode::Standalone);
    fill_about(&root, "1961-04-12");
    type_into(&root, "mi-patient-phone", "401-555-01");
    assert_eq!(next(&root).await, "about");
    let message = text(&root, "#mi-patient-phone-error").unwrap_or_default();
    assert_eq!(message, Catalog::english().text(Msg::ErrorPhoneInvalid));
    // The example number never breaks across lines at its hyphens.
    assert!(message.contains("401\u{2011}555\u{2011}0134"), "{message}");
    let hint = text(&root, "#mi-patient-phone-hint").unwrap_or_default();
    assert!(hint.contains("401\u{2011}555\u{2011}0134"), "{hint}");
    assert!(
        find(&root, "#mi-patient-given-name-error").is_none(),
        "a good field shows no error"
    );
    assert_eq!(input(&root, "mi-patient-phone").value(), "401-555-01");
    assert_eq!(input(&root, "mi-patient-given-name").value(), "Ana");
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("mi-patient-phone")
    );
}

#[wasm_bindgen_test]
async fn a_pasted_direction_override_is_named_next_to_the_field_and_kept() {
    let root = mount_form(Mode::Standalone);
    fill_about(&root, "1961-04-12");
    // A name pasted with a right-to-left override in it.
    type_into(&root, "mi-patient-family-name", "Sil\u{202E}va");
    assert_eq!(next(&root).await, "about", "the step is not left");
    assert_eq!(
        text(&root, "#mi-patient-family-name-error").unwrap_or_default(),
        Catalog::english().text(Msg::ErrorControlCharacter)
    );
    assert_eq!(
        input(&root, "mi-patient-family-name").value(),
        "Sil\u{202E}va",
        "what was typed stays for the patient to fix"
    );
    type_into(&root, "mi-patient-family-name", "Silva");
    assert_ne!(next(&root).await, "about", "fixed, the step is left");
}

#[wasm_bindgen_test]
async fn fixing_a_field_clears_its_message_while_typing() {
    let root = mount_form(Mode::Standalone);
    type_into(&root, "mi-patient-phone", "12");
    next(&root).await;
    assert!(find(&root, "#mi-patient-phone-error").is_some());
    type_into(&root, "mi-patient-phone", "(401) 555-0134");
    settle().await;
    wait_until(|| find(&root, "#mi-patient-phone-error").is_none()).await;
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
    walk_to(&root, "2012-06-01", "consent").await;
    assert!(
        !out_of_sight(&root, "#mi-consents-guardian-name"),
        "a 14-year-old needs a guardian"
    );
    tick_box(&root, "mi-consents-treatment");
    tick_box(&root, "mi-consents-privacy-notice");
    type_into(&root, "mi-signature-typed-name", "Ana Silva");
    assert_eq!(next(&root).await, "consent");
    let message = text(&root, "#mi-consents-guardian-name-error").unwrap_or_default();
    assert_eq!(message, Catalog::english().text(Msg::ErrorRequired));
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("mi-consents-guardian-name")
    );
    // Back to About you, now an adult: no guardian asked.
    for _ in 0..4 {
        find(&root, "#mi-back").expect("back").click();
        settle().await;
    }
    assert_eq!(step(&root), "about");
    type_into(&root, "mi-patient-date-of-birth", "1990-06-01");
    settle().await;
    assert!(
        out_of_sight(&root, "#mi-consents-guardian-name"),
        "an adult does not"
    );
}

#[wasm_bindgen_test]
async fn a_date_of_birth_in_the_future_is_explained() {
    let root = mount_form(Mode::Standalone);
    fill_about(&root, "2999-01-01");
    assert_eq!(next(&root).await, "about");
    let message = text(&root, "#mi-patient-date-of-birth-error").unwrap_or_default();
    assert_eq!(message, Catalog::english().text(Msg::ErrorDateInFuture));
}

#[wasm_bindgen_test]
async fn when_the_fhir_writer_cannot_load_the_patient_is_told_and_nothing_is_lost() {
    install_fhir(false);
    let root = host();
    let handle = mount_to(root.clone(), move || {
        provide_context(Texts::new(Catalog::english()));
        view! {
            <IntakeForm
                endpoint=Endpoint::parse("/nowhere").expect("endpoint")
                mode=Mode::Kiosk
                format=intake_core::Format::Fhir
                on_done=Callback::new(|_| ())
            />
        }
    });
    let root = Mounted {
        root,
        _handle: Box::new(handle),
    };
    walk_to(&root, "1961-04-12", "consent").await;
    tick_box(&root, "mi-consents-treatment");
    tick_box(&root, "mi-consents-privacy-notice");
    type_into(&root, "mi-signature-typed-name", "Ana Silva");
    assert_eq!(next(&root).await, "review");
    submit(&root);
    assert!(
        wait_until(|| find(&root, "[role=alert]").is_some()).await,
        "the patient is told"
    );
    let alert = text(&root, "[role=alert]").unwrap_or_default();
    assert_eq!(alert, Catalog::english().text(Msg::SendRulesUnavailable));
    assert_eq!(
        step(&root),
        "review",
        "and stays on Review with every answer"
    );
    assert_eq!(input(&root, "mi-patient-given-name").value(), "Ana");
}

/// What a kiosk reset asks before loading the page anew: the page's own
/// address answers from its server; a missing page and a closed port do not.
#[wasm_bindgen_test]
async fn the_pages_own_address_answers_and_others_do_not() {
    let here = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .expect("an address");
    assert!(crate::fetch::answers(&here, 3_000).await, "{here}");
    assert!(!crate::fetch::answers("/no-such-page-here", 3_000).await);
    assert!(!crate::fetch::answers("http://127.0.0.1:9/", 3_000).await);
}

#[wasm_bindgen_test]
async fn a_missing_bridge_function_is_an_error_not_a_silence() {
    let saved = js_sys::Reflect::get(&js_sys::global(), &"massageIntake".into())
        .unwrap_or(JsValue::UNDEFINED);
    let _ = js_sys::Reflect::set(
        &js_sys::global(),
        &"massageIntake".into(),
        &js_sys::Object::new(),
    );
    let missing = (
        crate::bridge::prefetch(false, false),
        crate::bridge::start(false).await,
        crate::bridge::stop_form(),
        crate::bridge::fhir("{}").await,
    );
    let _ = js_sys::Reflect::delete_property(
        js_sys::global().unchecked_ref::<js_sys::Object>(),
        &"massageIntake".into(),
    );
    let no_object = crate::bridge::prefetch(false, false);
    let _ = js_sys::Reflect::set(&js_sys::global(), &"massageIntake".into(), &saved);
    use crate::bridge::Unavailable;
    assert_eq!(
        missing,
        (
            Err(Unavailable),
            Err(Unavailable),
            Err(Unavailable),
            Err(Unavailable)
        )
    );
    assert_eq!(no_object, Err(Unavailable), "nor is a missing bridge");
    install_bridge("prefetch: (seal, fhir) => { globalThis.miPrefetched = [seal, fhir]; }");
    assert_eq!(crate::bridge::prefetch(true, false), Ok(()));
    let seen = js_sys::Reflect::get(&js_sys::global(), &"miPrefetched".into())
        .map(|v| {
            js_sys::Array::from(&v)
                .iter()
                .map(|b| b.as_bool())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    assert_eq!(
        seen,
        [Some(true), Some(false)],
        "a present one is called with its arguments"
    );
}

/// A region of the body map.
fn region(root: &HtmlElement, code: &str) -> web_sys::Element {
    root.query_selector(&format!("[data-region={code}]"))
        .ok()
        .flatten()
        .expect(code)
}

fn key(target: &web_sys::Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    target.dispatch_event(&event).expect("dispatch");
}

fn click(target: &web_sys::Element) {
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).expect("event");
    target.dispatch_event(&event).expect("dispatch");
}

#[wasm_bindgen_test]
async fn the_body_map_selects_deselects_names_and_rates_each_region() {
    let root = mount_form(Mode::Standalone);
    walk_to(&root, "1961-04-12", "pain").await;
    let regions = root.query_selector_all("[data-region]").expect("regions");
    assert_eq!(regions.length(), 42);
    for i in 0..regions.length() {
        let r: web_sys::Element = regions.get(i).expect("region").unchecked_into();
        assert_eq!(r.get_attribute("role").as_deref(), Some("button"));
        assert_eq!(r.get_attribute("aria-pressed").as_deref(), Some("false"));
        let name = r.get_attribute("aria-label").unwrap_or_default();
        assert!(
            name.len() > 3,
            "{:?} has no name",
            r.get_attribute("data-region")
        );
    }
    let knee = region(&root, "front_knee_left");
    assert_eq!(
        knee.get_attribute("aria-label").as_deref(),
        Some("Left knee")
    );
    click(&knee);
    settle().await;
    assert_eq!(knee.get_attribute("aria-pressed").as_deref(), Some("true"));
    assert_eq!(
        text(&root, ".mi-pain-row .mi-label").as_deref(),
        Some("Left knee")
    );
    // Keyboard: Enter and Space choose, arrows move the one tab stop.
    let calf = region(&root, "back_calf_right");
    key(&calf, "Enter");
    settle().await;
    assert_eq!(calf.get_attribute("aria-pressed").as_deref(), Some("true"));
    key(&calf, " ");
    settle().await;
    assert_eq!(calf.get_attribute("aria-pressed").as_deref(), Some("false"));
    let focused = || {
        document()
            .active_element()
            .and_then(|e| e.get_attribute("data-region"))
    };
    let head = region(&root, "back_head");
    head.unchecked_ref::<web_sys::SvgElement>()
        .focus()
        .expect("focus");
    key(&head, "ArrowRight");
    assert_eq!(
        focused().as_deref(),
        Some("back_head"),
        "nothing beside the head"
    );
    key(&head, "ArrowDown");
    assert_eq!(focused().as_deref(), Some("back_neck_left"));
    assert_eq!(head.get_attribute("tabindex").as_deref(), Some("-1"));
    key(&region(&root, "back_neck_left"), "ArrowRight");
    assert_eq!(focused().as_deref(), Some("back_neck_right"));
    key(&region(&root, "back_neck_right"), "ArrowDown");
    assert_eq!(
        focused().as_deref(),
        Some("back_shoulder_right"),
        "down goes down"
    );
    // Intensity: 0 to 10, told in words.
    let slider = input(&root, "mi-pain-front-knee-left");
    assert_eq!(slider.value(), "5");
    type_into(&root, "mi-pain-front-knee-left", "9");
    settle().await;
    assert_eq!(
        slider.get_attribute("aria-valuetext").as_deref(),
        Some("9 of 10")
    );
    // Removed from the list: released on the map too.
    find(&root, ".mi-pain-row .mi-remove")
        .expect("remove")
        .click();
    settle().await;
    assert_eq!(knee.get_attribute("aria-pressed").as_deref(), Some("false"));
    assert!(find(&root, ".mi-pain-row").is_none());
    // Clicked twice: gone.
    click(&knee);
    click(&knee);
    settle().await;
    assert!(find(&root, ".mi-pain-row").is_none());
}

#[wasm_bindgen_test]
async fn the_diagnosis_combobox_filters_moves_picks_and_closes() {
    let root = mount_form(Mode::Standalone);
    fill_about(&root, "1961-04-12");
    next(&root).await;
    fill_visit(&root, true, "self_pay");
    while step(&root) != "prescription" {
        if step(&root) == "health" {
            answer_health(&root);
        }
        next(&root).await;
    }
    let combo = input(&root, "mi-prescription-diagnoses");
    assert_eq!(combo.get_attribute("role").as_deref(), Some("combobox"));
    assert_eq!(
        combo.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    type_into(&root, "mi-prescription-diagnoses", "sciatica");
    settle().await;
    assert_eq!(
        combo.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    let options = root.query_selector_all("[role=option]").expect("options");
    assert_eq!(options.length(), 3, "three sciatica codes");
    key(&combo, "ArrowDown");
    key(&combo, "ArrowDown");
    key(&combo, "ArrowUp");
    key(&combo, "ArrowUp");
    settle().await;
    let active = combo
        .get_attribute("aria-activedescendant")
        .unwrap_or_default();
    let chosen = document()
        .get_element_by_id(&active)
        .expect("active option");
    assert_eq!(
        chosen.get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    let last = chosen.text_content().unwrap_or_default();
    assert!(
        last.starts_with("M54.32"),
        "up from the first wraps to the last: {last}"
    );
    key(&combo, "Enter");
    settle().await;
    assert_eq!(
        text(&root, ".mi-chosen-row .mi-code").as_deref(),
        Some("M54.32")
    );
    assert_eq!(combo.value(), "", "ready for the next code");
    assert_eq!(
        combo.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    // A well-formed code that is not in the list can be used as typed.
    type_into(&root, "mi-prescription-diagnoses", "s83.241a");
    settle().await;
    let offered = text(&root, "[role=option]:last-child").unwrap_or_default();
    assert_eq!(offered, "Use the code S83.241A");
    key(&combo, "Escape");
    settle().await;
    assert_eq!(
        combo.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert_eq!(combo.value(), "s83.241a", "the first Escape only closes");
    key(&combo, "Escape");
    settle().await;
    assert_eq!(combo.value(), "", "the second clears");
    // Words that match nothing say so.
    type_into(&root, "mi-prescription-diagnoses", "zebra");
    settle().await;
    assert_eq!(
        text(&root, "#mi-prescription-diagnoses-status").as_deref(),
        Some(Catalog::english().text(Msg::DiagnosisNoMatch))
    );
}

fn pointer(pad: &web_sys::Element, kind: &str, fx: f64, fy: f64) {
    let rect = pad.get_bounding_client_rect();
    let init = web_sys::PointerEventInit::new();
    init.set_client_x((rect.left() + fx * rect.width()) as i32);
    init.set_client_y((rect.top() + fy * rect.height()) as i32);
    init.set_pointer_id(3);
    init.set_pointer_type("touch");
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = web_sys::PointerEvent::new_with_event_init_dict(kind, &init).expect("event");
    pad.dispatch_event(&event).expect("dispatch");
}

#[wasm_bindgen_test]
async fn the_signature_pad_draws_clears_and_empty_is_refused() {
    let root = mount_form(Mode::Standalone);
    walk_to(&root, "1961-04-12", "consent").await;
    tick_box(&root, "mi-consents-treatment");
    tick_box(&root, "mi-consents-privacy-notice");
    // Nothing drawn or typed: refused, with how to sign.
    assert_eq!(next(&root).await, "consent");
    assert_eq!(
        text(&root, "#mi-signature-typed-name-error").as_deref(),
        Some(Catalog::english().text(Msg::SignatureRequired))
    );
    let pad = find(&root, "#mi-signature-pad").expect("pad");
    assert_eq!(pad.get_attribute("role").as_deref(), Some("img"));
    pointer(&pad, "pointerdown", 0.1, 0.5);
    for i in 1..=10 {
        pointer(
            &pad,
            "pointermove",
            0.1 + f64::from(i) * 0.05,
            0.5 - f64::from(i) * 0.02,
        );
    }
    pointer(&pad, "pointerup", 0.6, 0.3);
    settle().await;
    assert_eq!(
        text(&root, ".mi-signed").as_deref(),
        Some(Catalog::english().text(Msg::SignatureSigned))
    );
    find(&root, "#mi-signature-clear").expect("clear").click();
    settle().await;
    assert_eq!(text(&root, ".mi-signed").as_deref(), Some(""));
    // A dot is not a signature.
    pointer(&pad, "pointerdown", 0.5, 0.5);
    pointer(&pad, "pointermove", 0.505, 0.5);
    pointer(&pad, "pointerup", 0.505, 0.5);
    settle().await;
    assert_eq!(next(&root).await, "consent", "a dot is refused");
    assert_eq!(
        text(&root, "#mi-signature-typed-name-error").as_deref(),
        Some(Catalog::english().text(Msg::ErrorSignatureTooSmall))
    );
    find(&root, "#mi-signature-clear").expect("clear").click();
    pointer(&pad, "pointerdown", 0.2, 0.5);
    for i in 1..=6 {
        pointer(&pad, "pointermove", 0.2 + f64::from(i) * 0.05, 0.5);
    }
    pointer(&pad, "pointerup", 0.5, 0.5);
    settle().await;
    assert_eq!(next(&root).await, "review", "drawn is signed");
    // Review shows the signature itself, as drawn, named for screen readers.
    assert_eq!(
        find(&root, ".mi-review svg.mi-review-signature")
            .and_then(|svg| svg.get_attribute("aria-label"))
            .as_deref(),
        Some(Catalog::english().text(Msg::ReviewSignatureDrawn))
    );
    let drawn = find(&root, ".mi-review svg.mi-review-signature path")
        .and_then(|p| p.get_attribute("d"))
        .unwrap_or_default();
    assert!(
        drawn.starts_with('M') && drawn.matches('L').count() >= 6,
        "{drawn}"
    );
}

#[wasm_bindgen_test]
async fn a_typed_signature_must_be_the_patients_name() {
    let root = mount_form(Mode::Standalone);
    walk_to(&root, "1961-04-12", "consent").await;
    tick_box(&root, "mi-consents-treatment");
    tick_box(&root, "mi-consents-privacy-notice");
    for wrong in ["D", "Ana", "Ana Silvas"] {
        input(&root, "mi-signature-typed-name").set_value("");
        type_into(&root, "mi-signature-typed-name", wrong);
        assert_eq!(next(&root).await, "consent", "{wrong} is refused");
        assert_eq!(
            text(&root, "#mi-signature-typed-name-error").as_deref(),
            Some(Catalog::english().text(Msg::ErrorSignatureNameMismatch)),
            "{wrong}"
        );
    }
    // Case, accents and spacing are not the patient's concern.
    type_into(&root, "mi-signature-typed-name", "  ana   SÍLVA ");
    assert_eq!(next(&root).await, "review");
    // The phone typed as 401-555-0134 reads as the clinic writes it.
    let review = text(&root, ".mi-review").unwrap_or_default();
    assert!(review.contains("(401) 555-0134"), "{review}");
}

#[wasm_bindgen_test]
async fn an_unanswered_health_question_is_asked_not_taken_as_no() {
    let root = mount_form(Mode::Standalone);
    walk_to(&root, "1961-04-12", "health").await;
    assert_eq!(next(&root).await, "health", "nothing answered: it stays");
    let english = Catalog::english();
    for (id, msg) in [
        ("mi-health-conditions", Msg::ErrorTickWhatApplies),
        ("mi-health-takes-medications", Msg::ErrorChooseOne),
        ("mi-health-blood-thinners", Msg::ErrorChooseOne),
        ("mi-health-allergies", Msg::ErrorTickWhatApplies),
    ] {
        assert_eq!(
            text(&root, &format!("#{id}-error")).as_deref(),
            Some(english.text(msg)),
            "{id}"
        );
    }
    // No radio group or box is ticked for the patient.
    for id in [
        "mi-health-takes-medications",
        "mi-health-takes-medications-no",
        "mi-health-blood-thinners",
        "mi-health-blood-thinners-no",
    ] {
        assert!(!input(&root, id).checked(), "{id}");
    }
    // The list of medicines is asked only after "Yes".
    assert!(out_of_sight(&root, "#mi-medications-add"));
    tick_box(&root, "mi-health-takes-medications");
    settle().await;
    assert!(!out_of_sight(&root, "#mi-medications-add"));
    // "None of these" is one explicit choice: it clears the others and
    // another clears it.
    tick_box(&root, "mi-health-conditions-arthritis");
    settle().await;
    tick_box(&root, "mi-health-conditions-none");
    settle().await;
    assert!(!input(&root, "mi-health-conditions-arthritis").checked());
    tick_box(&root, "mi-health-conditions-diabetes");
    settle().await;
    assert!(!input(&root, "mi-health-conditions-none").checked());
    assert!(input(&root, "mi-health-conditions-diabetes").checked());
    // "Yes" to medicines asks for at least one.
    tick_box(&root, "mi-health-blood-thinners-no");
    tick_box(&root, "mi-health-allergies-none");
    assert_eq!(next(&root).await, "health");
    assert_eq!(
        text(&root, "#mi-health-medications-error").as_deref(),
        Some(Catalog::english().text(Msg::MedicationsRequired))
    );
    tick_box(&root, "mi-health-takes-medications-no");
    assert_eq!(next(&root).await, "pain");
}

#[wasm_bindgen_test]
async fn a_reload_mid_form_comes_back_to_the_form() {
    let history = web_sys::window()
        .and_then(|w| w.history().ok())
        .expect("history");
    let root = mount_form(Mode::Standalone);
    fill_about(&root, "1961-04-12");
    assert_eq!(next(&root).await, "visit");
    // The step is the entry's state, and nothing else is.
    let state = history.state().expect("state");
    let keys = js_sys::Object::keys(&state.clone().into());
    assert_eq!(keys.length(), 1, "the step only");
    assert_eq!(
        js_sys::Reflect::get(&state, &"massageIntakeStep".into())
            .ok()
            .and_then(|s| s.as_string())
            .as_deref(),
        Some("visit")
    );
    drop(root);
    // The first view of the reloaded page opens the form at once.
    install_boot(true);
    let root = host();
    crate::shell::show(
        &root,
        resolve(Ok(r#"{"endpoint":"/api/v1/submissions"}"#), ""),
    );
    settle().await;
    assert_eq!(boot_calls(), vec!["start:false"], "the form, at once");
    assert!(find(&root, ".mi-learn").is_none(), "no education first");
    history
        .replace_state(&wasm_bindgen::JsValue::NULL, "")
        .expect("a clean entry for the next test");
}

#[wasm_bindgen_test]
async fn optional_groups_say_so_and_collapse_in_review_when_empty() {
    let root = mount_form(Mode::Standalone);
    settle().await;
    let english = Catalog::english();
    let legends: Vec<String> = (0..3)
        .filter_map(|i| {
            root.query_selector_all(".mi-step[data-step=about] fieldset.mi-group legend")
                .ok()
                .and_then(|l| l.get(i))
                .and_then(|l| l.text_content())
        })
        .collect();
    assert_eq!(legends.len(), 3, "address, emergency contact, doctor");
    for legend in &legends {
        assert!(
            legend.ends_with(english.text(Msg::FieldOptional)),
            "{legend}"
        );
    }
    // Their questions are not announced as required; the required ones are.
    for id in [
        "mi-patient-address-line1",
        "mi-patient-emergency-contact-name",
        "mi-patient-primary-care-name",
    ] {
        assert_eq!(
            input(&root, id).get_attribute("aria-required"),
            None,
            "{id}"
        );
    }
    assert_eq!(
        input(&root, "mi-patient-given-name")
            .get_attribute("aria-required")
            .as_deref(),
        Some("true")
    );
    walk_to(&root, "1961-04-12", "consent").await;
    tick_box(&root, "mi-consents-treatment");
    tick_box(&root, "mi-consents-privacy-notice");
    type_into(&root, "mi-signature-typed-name", "Ana Silva");
    assert_eq!(next(&root).await, "review");
    let review = find(&root, ".mi-review").expect("review");
    let groups = review
        .query_selector_all("h4.mi-review-group")
        .expect("groups")
        .length();
    assert_eq!(groups, 0, "no empty group gets a heading and its rows");
    let dts: Vec<String> = (0..review.query_selector_all("dt").expect("dt").length())
        .filter_map(|i| {
            review
                .query_selector_all("dt")
                .ok()
                .and_then(|l| l.get(i))
                .and_then(|n| n.text_content())
        })
        .collect();
    for heading in [Msg::AddressHeading, Msg::EmergencyHeading, Msg::PcpHeading] {
        let name = english.text(heading);
        assert_eq!(
            dts.iter().filter(|d| d.as_str() == name).count(),
            1,
            "{name}: one line"
        );
    }
    assert!(
        !dts.iter().any(|d| d == english.text(Msg::FieldCity)),
        "no line per question of an empty group: {dts:?}"
    );
}

#[wasm_bindgen_test]
async fn the_privacy_consent_has_something_to_read_and_versions_are_months() {
    let root = mount_form(Mode::Standalone);
    walk_to(&root, "1961-04-12", "consent").await;
    // No notice configured: the built-in summary, four points.
    let points = root
        .query_selector_all(".mi-step[data-step=consent] details.mi-privacy li")
        .expect("points")
        .length();
    assert_eq!(points, 4);
    let versions: Vec<String> = (0..2)
        .filter_map(|i| {
            root.query_selector_all(".mi-version")
                .ok()
                .and_then(|l| l.get(i))
                .and_then(|n| n.text_content())
        })
        .collect();
    assert_eq!(
        versions,
        ["Version of November 2026", "Version of November 2026"]
    );
    drop(root);

    let root = host();
    let _handle = mount_to(root.clone(), move || {
        provide_context(Texts::new(Catalog::english()));
        view! {
            <IntakeForm
                endpoint=Endpoint::parse("/nowhere").expect("endpoint")
                mode=Mode::Standalone
                privacy_url=Some("https://harbor-massage.example/privacy".to_owned())
                on_done=Callback::new(|_| ())
            />
        }
    });
    walk_to(&root, "1961-04-12", "consent").await;
    let link = find(&root, ".mi-step[data-step=consent] a[target=_blank]").expect("a link");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://harbor-massage.example/privacy")
    );
    assert_eq!(
        link.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    assert!(find(&root, "details.mi-privacy").is_none());
}

#[wasm_bindgen_test]
async fn a_date_field_says_the_order_the_device_writes_dates_in() {
    let root = mount_form(Mode::Standalone);
    settle().await;
    // Headless Chromium here speaks en-US: its date fields are mm/dd/yyyy.
    assert_eq!(
        text(&root, "#mi-patient-date-of-birth-hint").as_deref(),
        Some("In this order: month / day / year")
    );
    let described = input(&root, "mi-patient-date-of-birth")
        .get_attribute("aria-describedby")
        .unwrap_or_default();
    assert!(
        described.contains("mi-patient-date-of-birth-hint"),
        "{described}"
    );
    let spanish = Catalog::from_lines(
        intake_core::Locale::Es,
        &Catalog::english()
            .to_lines()
            .replace("\nmonth\n", "\nmes\n")
            .replace("\nday\n", "\ndía\n")
            .replace("\nyear\n", "\naño\n"),
    )
    .expect("a catalog");
    assert_eq!(
        crate::intake::field::date_order(Texts::new(spanish)).as_deref(),
        Some("In this order: mes / día / año")
    );
}

#[wasm_bindgen_test]
async fn a_pain_region_is_not_rated_until_the_patient_rates_it() {
    let root = mount_form(Mode::Standalone);
    walk_to(&root, "1961-04-12", "pain").await;
    click(&region(&root, "front_knee_left"));
    settle().await;
    let slider = input(&root, "mi-pain-front-knee-left");
    assert_eq!(
        slider.get_attribute("aria-valuetext").as_deref(),
        Some(Catalog::english().text(Msg::PainNotRated))
    );
    assert_eq!(next(&root).await, "pain", "an unrated region asks");
    assert_eq!(
        text(&root, "#mi-pain-front-knee-left-error").as_deref(),
        Some(Catalog::english().text(Msg::PainRateRequired))
    );
    type_into(&root, "mi-pain-front-knee-left", "5");
    settle().await;
    wait_until(|| find(&root, "#mi-pain-front-knee-left-error").is_none()).await;
    assert!(find(&root, "#mi-pain-front-knee-left-error").is_none());
    // What a screen reader was told ("one answer needs your attention") is
    // gone once nothing does.
    assert_eq!(
        text(&root, ".mi-sr-only[role=status]").as_deref(),
        Some(""),
        "no stale summary"
    );
    assert_eq!(next(&root).await, "consent");
}

#[wasm_bindgen_test]
async fn steps_that_do_not_apply_are_skipped_and_counted_out() {
    let root = mount_form(Mode::Standalone);
    fill_about(&root, "1961-04-12");
    next(&root).await;
    let heading = || text(&root, "#mi-intake-heading").unwrap_or_default();
    assert_eq!(heading(), "Step 2 of 8: Visit and goals");
    fill_visit(&root, true, "health_insurance");
    settle().await;
    assert_eq!(heading(), "Step 2 of 8: Visit and goals");
    tick_box(&root, "mi-prescription-has-prescription-no");
    settle().await;
    assert_eq!(heading(), "Step 2 of 7: Visit and goals");
    tick_box(&root, "mi-payer-kind");
    settle().await;
    assert_eq!(heading(), "Step 2 of 6: Visit and goals");
    let mut seen = Vec::new();
    for _ in 0..6 {
        if step(&root) == "health" {
            answer_health(&root);
        }
        if step(&root) == "consent" {
            tick_box(&root, "mi-consents-treatment");
            tick_box(&root, "mi-consents-privacy-notice");
            type_into(&root, "mi-signature-typed-name", "Ana Silva");
        }
        seen.push(next(&root).await);
        if step(&root) == "review" {
            break;
        }
    }
    assert_eq!(seen, ["health", "pain", "consent", "review"]);
    assert_eq!(heading(), "Step 6 of 6: Review");
    // The markers of the bar follow.
    let bars = root.query_selector_all(".mi-bar li").expect("bar");
    assert_eq!(bars.length(), 6);
}

#[wasm_bindgen_test]
async fn going_back_and_forth_keeps_every_answer() {
    let root = mount_form(Mode::Standalone);
    fill_about(&root, "1961-04-12");
    type_into(&root, "mi-patient-email", "ana@example.org");
    next(&root).await;
    fill_visit(&root, true, "workers_comp");
    tick_box(&root, "mi-visit-goals-sleep-better");
    next(&root).await;
    tick_box(&root, "mi-health-conditions-arthritis");
    tick_box(&root, "mi-health-takes-medications");
    settle().await;
    find(&root, "#mi-medications-add").expect("add").click();
    settle().await;
    type_into(&root, "mi-health-medications-0-name", "Ibuprofen");
    tick_box(&root, "mi-health-blood-thinners-no");
    tick_box(&root, "mi-health-allergies-none");
    next(&root).await;
    click(&region(&root, "back_lower_right"));
    settle().await;
    type_into(&root, "mi-pain-back-lower-right", "7");
    next(&root).await;
    assert_eq!(step(&root), "prescription");
    type_into(&root, "mi-prescription-prescriber-npi", "1234567893");
    // All the way back, then forward again without Next's checks in the way.
    while step(&root) != "about" {
        find(&root, "#mi-back").expect("back").click();
        settle().await;
    }
    assert_eq!(input(&root, "mi-patient-email").value(), "ana@example.org");
    next(&root).await;
    assert_eq!(input(&root, "mi-visit-reason").value(), "Lower back pain");
    assert!(input(&root, "mi-visit-goals-sleep-better").checked());
    assert!(input(&root, "mi-payer-kind-workers-comp").checked());
    next(&root).await;
    assert!(input(&root, "mi-health-conditions-arthritis").checked());
    assert_eq!(
        input(&root, "mi-health-medications-0-name").value(),
        "Ibuprofen"
    );
    assert!(input(&root, "mi-health-blood-thinners-no").checked());
    next(&root).await;
    assert_eq!(input(&root, "mi-pain-back-lower-right").value(), "7");
    assert_eq!(
        region(&root, "back_lower_right")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    next(&root).await;
    assert_eq!(
        input(&root, "mi-prescription-prescriber-npi").value(),
        "1234567893"
    );
}

#[wasm_bindgen_test]
async fn the_npi_is_checked_as_typed_but_spoken_only_after_leaving_it() {
    let root = mount_form(Mode::Standalone);
    fill_about(&root, "1961-04-12");
    next(&root).await;
    fill_visit(&root, true, "self_pay");
    while step(&root) != "prescription" {
        if step(&root) == "health" {
            answer_health(&root);
        }
        next(&root).await;
    }
    type_into(&root, "mi-prescription-prescriber-npi", "1234567890");
    settle().await;
    assert!(
        find(&root, "#mi-prescription-prescriber-npi-error").is_none(),
        "not while typing"
    );
    let npi = input(&root, "mi-prescription-prescriber-npi");
    npi.dispatch_event(&web_sys::Event::new("blur").expect("blur"))
        .expect("dispatch");
    settle().await;
    assert_eq!(
        text(&root, "#mi-prescription-prescriber-npi-error").as_deref(),
        Some(Catalog::english().text(Msg::ErrorNpiCheckDigit))
    );
    type_into(&root, "mi-prescription-prescriber-npi", "1234567893");
    settle().await;
    assert!(
        find(&root, "#mi-prescription-prescriber-npi-error").is_none(),
        "fixed as typed"
    );
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
    // A fresh page: no history entry left by a form of an earlier test (one
    // naming a step would take the first view straight to the form).
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state(&wasm_bindgen::JsValue::NULL, "");
    }
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
         globalThis.massageIntake = Object.assign(globalThis.massageIntake ?? {{}}, {{\
         prefetch: (seal, fhir) => {{ miCalls.push('prefetch' + (seal ? '+seal' : '') + (fhir ? '+fhir' : '')); }},\
         start: (focus) => {{ miCalls.push('start:' + focus);\
           return {start_succeeds} ? Promise.resolve() : Promise.reject(new Error('offline')); }} }});"
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
async fn with_a_clinic_key_the_sealing_module_is_fetched_with_the_form() {
    install_boot(true);
    let key = intake_core::sealed::KeyPair::derive(&[7; 32])
        .public_key()
        .to_base64();
    let _root = show_first_view(
        &format!(r#"{{"endpoint":"/api/v1/submissions","public_key":"{key}"}}"#),
        "",
    );
    settle().await;
    assert_eq!(
        boot_calls(),
        vec!["prefetch+seal"],
        "everything a send needs, before Send"
    );
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
    let root = show_first_view(r#"{"endpoint":"/api/v1/submissions"}"#, "");
    root.set_id(crate::dom::ROOT_ID);
    settle().await;
    crate::mount_form(true).await;
    settle().await;
    let doc = document();
    let form_root = doc
        .get_element_by_id(crate::dom::ROOT_ID)
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

/// Stands in for boot.js's sealing loader (the `intake-seal` crate linked in).
fn install_seal() {
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
    install_bridge("");
    if let Ok(bridge) = js_sys::Reflect::get(&js_sys::global(), &"massageIntake".into()) {
        let _ = js_sys::Reflect::set(&bridge, &"loadSeal".into(), loader.as_ref());
    }
    loader.forget();
}

#[wasm_bindgen_test]
async fn with_a_public_key_the_submission_is_sealed_before_it_is_kept_or_sent() {
    use intake_core::sealed::{open, Envelope, KeyPair};
    install_seal();
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
    walk_to(&root, "1961-04-12", "consent").await;
    type_into(&root, "mi-patient-family-name", "Zqsealcanary");
    tick_box(&root, "mi-consents-treatment");
    tick_box(&root, "mi-consents-privacy-notice");
    type_into(&root, "mi-signature-typed-name", "Ana Zqsealcanary");
    assert_eq!(next(&root).await, "review");
    submit(&root);
    let mut kept = Vec::new();
    for _ in 0..150 {
        kept = crate::outbox::all().await;
        if !kept.is_empty() {
            break;
        }
        crate::courier::sleep(20).await;
    }
    assert_eq!(kept.len(), 1, "kept in the outbox");
    let record = kept.remove(0);
    crate::outbox::remove(&record.id).await;
    let body = record.body;
    assert!(!body.contains("Zqsealcanary"), "nothing readable is kept");
    let envelope: Envelope = serde_json::from_str(&body).expect("an envelope");
    assert_eq!(record.id, envelope.submission_id);
    let opened = open(&envelope, &keys).expect("opens with the clinic's key");
    let submission: intake_core::Submission =
        serde_json::from_slice(&opened).expect("a submission");
    assert_eq!(submission.patient.family_name.as_str(), "Zqsealcanary");
    assert_eq!(submission.mode, Mode::Kiosk);
    let other = KeyPair::derive(&[8; 32]);
    assert!(open(&envelope, &other).is_err(), "and with no other");
}

#[wasm_bindgen_test]
async fn an_old_prescription_is_noted_but_does_not_block() {
    let root = mount_form(Mode::Standalone);
    fill_about(&root, "1961-04-12");
    next(&root).await;
    fill_visit(&root, true, "self_pay");
    while step(&root) != "prescription" {
        if step(&root) == "health" {
            answer_health(&root);
        }
        next(&root).await;
    }
    type_into(&root, "mi-prescription-prescriber-name", "Dr. Maya Chen");
    type_into(&root, "mi-prescription-prescriber-npi", "1234567893");
    type_into(&root, "mi-prescription-prescriber-phone", "401-555-0100");
    type_into(&root, "mi-prescription-date-written", "2023-02-01");
    type_into(&root, "mi-prescription-diagnoses", "M54.2");
    settle().await;
    key(&input(&root, "mi-prescription-diagnoses"), "Enter");
    type_into(&root, "mi-prescription-frequency-per-week", "1");
    type_into(&root, "mi-prescription-duration-weeks", "4");
    assert_eq!(
        next(&root).await,
        "consent",
        "the warning does not stop Next"
    );
    tick_box(&root, "mi-consents-treatment");
    tick_box(&root, "mi-consents-privacy-notice");
    type_into(&root, "mi-signature-typed-name", "Ana Silva");
    assert_eq!(next(&root).await, "review");
    let note = text(&root, ".mi-review .mi-warning").unwrap_or_default();
    assert_eq!(note, Catalog::english().text(Msg::WarningPrescriptionOld));
}

#[wasm_bindgen_test]
async fn a_language_switch_renders_in_place_with_every_answer() {
    use intake_core::Locale;
    // The Spanish texts, as if already fetched for this page.
    let files = crate::bridge::fetched_files();
    let _ = js_sys::Reflect::set(
        &files,
        &"locales/es.lines".into(),
        &Catalog::builtin(Locale::Es).to_lines().into(),
    );
    install_bridge("setLang: () => {}, guard: () => {}, event: () => {}");
    let resolved = resolve(Ok(r#"{"endpoint":"/nowhere","mode":"kiosk"}"#), "");
    let root = host();
    let handle = mount_to(root.clone(), move || {
        view! { <crate::app::App resolved /> }
    });
    let root = Mounted {
        root,
        _handle: Box::new(handle),
    };
    settle().await;
    let app = find(&root, "#mi-root").expect("the widget's root");
    fill_about(&root, "1961-04-12");
    assert_eq!(next(&root).await, "visit");
    let heading = || text(&root, "#mi-intake-heading").unwrap_or_default();
    let english = heading();
    let spanish = find(&root, "[data-lang=es]").expect("the Spanish button");
    click(&spanish);
    assert!(
        wait_until(|| heading() != english).await,
        "the texts change: {english}"
    );
    let now = find(&root, "#mi-root").expect("the widget's root");
    assert!(
        now.is_same_node(Some(&app)),
        "rendered in place: the widget was not mounted again"
    );
    assert_eq!(now.get_attribute("lang").as_deref(), Some("es"));
    assert!(heading().contains("2"), "still on step 2: {}", heading());
    assert_eq!(step(&root), "visit");
    let reason = input(&root, "mi-visit-reason");
    // Back to step 1: every answer is there, in Spanish.
    if let Some(back) = find(&root, "#mi-back") {
        click(&back);
    }
    settle().await;
    let kept = (
        step(&root),
        find(&root, "#mi-patient-given-name")
            .map(|e| e.unchecked_into::<HtmlInputElement>().value()),
        find(&root, "#mi-patient-family-name")
            .map(|e| e.unchecked_into::<HtmlInputElement>().value()),
    );
    // Later tests start in English again, whatever is found here.
    crate::locale::forget_choice();
    crate::locale::use_locale(Locale::En).await;
    assert!(reason.is_connected(), "step 2's field is still in the page");
    assert_eq!(
        kept,
        (
            "about".to_owned(),
            Some("Ana".to_owned()),
            Some("Silva".to_owned())
        )
    );
}

/// Stands in for the browser's speech synthesis, recording what is asked of
/// it in `globalThis.miSpoken` (each `speak` as `{text, lang, voice}`, each
/// `cancel` as "cancel"). `voices` is JavaScript: a list of
/// `{name, lang, localService}`.
fn install_speech(voices: &str) {
    let body = format!(
        "globalThis.miSpoken = [];\
         const synth = {{ speaking: false, pending: false, onvoiceschanged: null, current: null,\
           voices: {voices},\
           getVoices() {{ return this.voices; }},\
           speak(u) {{ miSpoken.push({{ text: u.text, lang: u.lang, voice: u.voice && u.voice.name }});\
             this.speaking = true; this.current = u; }},\
           cancel() {{ miSpoken.push('cancel'); const u = this.current; this.current = null;\
             this.speaking = false; if (u && u.onend) u.onend(); }},\
           finish() {{ const u = this.current; this.current = null; this.speaking = false;\
             if (u && u.onend) u.onend(); }} }};\
         Object.defineProperty(window, 'speechSynthesis', {{ value: synth, configurable: true, writable: true }});\
         window.SpeechSynthesisUtterance = function (text) {{ this.text = text; this.lang = ''; this.voice = null;\
           this.rate = 1; this.onend = null; this.onerror = null; }};"
    );
    let _ = js_sys::Function::new_no_args(&body).call0(&JsValue::UNDEFINED);
}

/// The voices of the stand-in: one on the device for each language, and a
/// network voice for Portuguese that must never be chosen.
const VOICES: &str = "[{ name: 'Cloud PT', lang: 'pt-BR', localService: false },\
    { name: 'Sam', lang: 'en-US', localService: true },\
    { name: 'Ana', lang: 'es-ES', localService: true },\
    { name: 'Joana', lang: 'pt_PT', localService: true }]";

/// What was asked of the speech stand-in so far.
fn spoken() -> Vec<serde_json::Value> {
    let json = js_sys::JSON::stringify(
        &js_sys::Reflect::get(&js_sys::global(), &"miSpoken".into()).unwrap_or(JsValue::NULL),
    )
    .ok()
    .and_then(|s| s.as_string())
    .unwrap_or_default();
    serde_json::from_str(&json).unwrap_or_default()
}

/// The last utterance asked for: (text, lang, voice).
fn last_utterance() -> Option<(String, String, String)> {
    spoken().iter().rev().find_map(|entry| {
        Some((
            entry.get("text")?.as_str()?.to_owned(),
            entry.get("lang")?.as_str()?.to_owned(),
            entry.get("voice")?.as_str()?.to_owned(),
        ))
    })
}

fn cancels() -> usize {
    spoken()
        .iter()
        .filter(|e| e.as_str() == Some("cancel"))
        .count()
}

fn speaking(root: &HtmlElement, selector: &str) -> bool {
    find(root, selector).is_some_and(|b| b.has_attribute("data-speaking"))
}

/// Puts English back when dropped, so a failing test leaves no other
/// language to the tests after it.
struct BackToEnglish;

impl Drop for BackToEnglish {
    fn drop(&mut self) {
        crate::locale::use_catalog(Catalog::english());
    }
}

/// Shows the first view in `locale` (its texts set directly, no file fetched).
fn first_view_in(locale: intake_core::Locale) -> Mounted {
    crate::locale::use_catalog(Catalog::parse(locale, locale.source()).expect("catalog"));
    show_first_view(r#"{"endpoint":"/api/v1/submissions"}"#, "")
}

#[wasm_bindgen_test]
async fn a_section_is_read_in_each_language_by_a_voice_of_the_device_and_stops() {
    use intake_core::Locale;
    install_boot(true);
    install_speech(VOICES);
    let _english = BackToEnglish;
    for (locale, voice) in [
        (Locale::En, "Sam"),
        (Locale::Es, "Ana"),
        (Locale::Pt, "Joana"),
    ] {
        let catalog = Catalog::parse(locale, locale.source()).expect("catalog");
        let root = first_view_in(locale);
        settle().await;
        let listen = find(&root, "#mi-learn-what-panel [data-listen]").expect("a Listen button");
        assert!(!listen.hidden(), "{locale:?}: a voice exists, so it shows");
        listen.click();
        let (text, lang, used) = last_utterance().expect("something said");
        let title = catalog.text(Msg::LearnWhatTitle);
        assert!(text.starts_with(title), "{locale:?}: {text}");
        assert!(
            text.contains(
                catalog
                    .text(Msg::LearnWhatBody)
                    .split('\n')
                    .next()
                    .unwrap_or("")
            ),
            "{locale:?}: the section's words: {text}"
        );
        assert!(
            !text.contains(catalog.text(Msg::ListenStart)),
            "not its own label: {text}"
        );
        assert_eq!(
            (lang.as_str(), used.as_str()),
            (locale.tag(), voice),
            "{locale:?}"
        );
        assert!(speaking(&root, "#mi-learn-what-panel [data-listen]"));
        // Pressed again: it stops.
        let before = cancels();
        listen.click();
        assert!(cancels() > before);
        assert!(!speaking(&root, "#mi-learn-what-panel [data-listen]"));
        // Reading, then moving on to the form: it stops.
        listen.click();
        assert!(speaking(&root, "#mi-learn-what-panel [data-listen]"));
        let before = cancels();
        if let Some(start) = find(&root, "[data-start]") {
            start.click();
        }
        assert!(cancels() > before, "{locale:?}: Start stops the reading");
        assert!(!speaking(&root, "#mi-learn-what-panel [data-listen]"));
        // A section that finishes reading lets its button go.
        listen.click();
        let _ =
            js_sys::Function::new_no_args("speechSynthesis.finish();").call0(&JsValue::UNDEFINED);
        assert!(!speaking(&root, "#mi-learn-what-panel [data-listen]"));
    }
}

#[wasm_bindgen_test]
async fn no_listen_control_shows_without_a_voice_on_the_device_until_one_arrives() {
    install_boot(true);
    // English only, and a Spanish voice that would send the text away.
    install_speech(
        "[{ name: 'Sam', lang: 'en-US', localService: true }, { name: 'Cloud ES', lang: 'es-ES', localService: false }]",
    );
    let _english = BackToEnglish;
    let root = first_view_in(intake_core::Locale::Es);
    settle().await;
    let listen = find(&root, "[data-listen]").expect("the buttons are in the page");
    assert!(listen.hidden(), "no Spanish voice on the device: hidden");
    assert_eq!(
        root.query_selector_all("[data-listen]:not([hidden])")
            .map(|l| l.length())
            .ok(),
        Some(0)
    );
    listen.click();
    assert_eq!(
        last_utterance(),
        None,
        "nothing is ever sent to a network voice"
    );
    // The device's voices arrive later: the buttons appear.
    let _ = js_sys::Function::new_no_args(
        "speechSynthesis.voices.push({ name: 'Ana', lang: 'es-ES', localService: true }); speechSynthesis.onvoiceschanged();",
    )
    .call0(&JsValue::UNDEFINED);
    assert!(!listen.hidden());
}

/// The form alone, in `locale`, inside an element that says so.
fn mount_form_in(locale: intake_core::Locale, mode: Mode) -> Mounted {
    let root = host();
    let _ = root.set_attribute("lang", locale.tag());
    let catalog = Catalog::parse(locale, locale.source()).expect("catalog");
    let handle = mount_to(root.clone(), move || {
        provide_context(Texts::new(catalog));
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
async fn a_step_is_read_in_each_language_and_moving_to_the_next_stops_it() {
    use intake_core::Locale;
    install_speech(VOICES);
    for (locale, voice) in [
        (Locale::En, "Sam"),
        (Locale::Es, "Ana"),
        (Locale::Pt, "Joana"),
    ] {
        let catalog = Catalog::parse(locale, locale.source()).expect("catalog");
        let root = mount_form_in(locale, Mode::Standalone);
        settle().await;
        let listen = find(&root, ".mi-listen").expect("a Listen button");
        assert!(!listen.hidden(), "{locale:?}");
        listen.click();
        let (text, lang, used) = last_utterance().expect("something said");
        assert!(
            text.starts_with(catalog.text(Msg::StepAbout)),
            "{locale:?}: {text}"
        );
        assert!(
            text.contains(catalog.text(Msg::FieldGivenName)),
            "{locale:?}: {text}"
        );
        assert_eq!((lang.as_str(), used.as_str()), (locale.tag(), voice));
        assert!(speaking(&root, ".mi-listen"));
        fill_about(&root, "1961-04-12");
        let before = cancels();
        assert_eq!(next(&root).await, "visit");
        assert!(
            cancels() > before,
            "{locale:?}: the next step stops the reading"
        );
        assert!(!speaking(&root, ".mi-listen"));
        // Step 2 reads step 2.
        listen.click();
        let (text, _, _) = last_utterance().expect("step 2 said");
        assert!(text.starts_with(catalog.text(Msg::StepVisit)), "{text}");
    }
}

#[wasm_bindgen_test]
async fn a_kiosk_reads_the_questions_and_never_an_answer() {
    install_speech(VOICES);
    let root = mount_form(Mode::Kiosk);
    settle().await;
    type_into(&root, "mi-patient-given-name", "Zyxcanary");
    type_into(&root, "mi-patient-family-name", "Qwcanary");
    type_into(&root, "mi-patient-date-of-birth", "2012-04-12");
    type_into(&root, "mi-patient-phone", "401-555-0134");
    let listen = find(&root, ".mi-listen").expect("a Listen button");
    let mut heard = String::new();
    loop {
        listen.click();
        heard += &last_utterance().map(|(t, _, _)| t).unwrap_or_default();
        listen.click();
        let was = step(&root);
        match was.as_str() {
            "visit" => {
                type_into(&root, "mi-visit-reason", "Qwreason canary");
                tick_box(&root, "mi-prescription-has-prescription-no");
                tick_box(&root, "mi-payer-kind");
            }
            "health" => answer_health(&root),
            _ => {}
        }
        if next(&root).await == was || step(&root) == "review" {
            break;
        }
    }
    let en = crate::locale::english();
    assert!(heard.contains(en.text(Msg::FieldGivenName)), "{heard}");
    assert!(
        heard.contains(en.text(Msg::StepConsent)),
        "it got to the consents: {heard}"
    );
    assert!(
        !heard.contains("canary"),
        "an answer was read aloud: {heard}"
    );
    assert!(
        !heard.contains(crate::locale::english().text(Msg::GuardianHeading)),
        "a minor's guardian question tells the room her age: {heard}"
    );
    if step(&root) == "review" {
        assert!(
            out_of_sight(&root, ".mi-listen"),
            "the review is the patient's answers"
        );
    }
}

#[wasm_bindgen_test]
fn every_step_reads_its_name_and_questions_and_never_an_answer() {
    use crate::intake::listen::step_text;
    use intake_core::{IntakeDraft, Step};
    let texts = Texts::new(Catalog::english());
    let draft = IntakeDraft {
        given_name: "Zyxcanary".to_owned(),
        family_name: "Qwcanary".to_owned(),
        date_of_birth: "2015-01-01".to_owned(),
        reason: "Qwreason canary".to_owned(),
        payer_kind: "health_insurance".to_owned(),
        ..IntakeDraft::default()
    };
    for step in Step::ALL {
        for kiosk in [false, true] {
            let text = step_text(texts, *step, &draft, kiosk);
            assert!(
                text.starts_with(texts.t(crate::intake::steps::title(*step))),
                "{step:?}"
            );
            assert!(!text.contains("canary"), "{step:?}: {text}");
        }
    }
    let about = step_text(texts, Step::About, &draft, false);
    assert!(about.contains(texts.t(Msg::FieldGivenName)), "{about}");
    // A question asked because of an answer: heard at home, never in a waiting room.
    let guardian = texts.t(Msg::GuardianHeading);
    assert!(step_text(texts, Step::Consent, &draft, false).contains(guardian));
    assert!(!step_text(texts, Step::Consent, &draft, true).contains(guardian));
    let insurer = texts.t(Msg::PayerHealthInsurance);
    assert!(step_text(texts, Step::Payment, &draft, false).contains(insurer));
    assert!(!step_text(texts, Step::Payment, &draft, true).contains(insurer));
}
