//! The device's outbox: sealed envelopes only (never a readable submission),
//! kept in IndexedDB so a closed tab or a lost connection does not lose one.
//! What happens to each follows the delivery policy (`delivery::kept`): sent
//! whenever the page is open and online (now, when the network returns, when
//! the page is shown again, and on the policy's backoff while any are left);
//! removed once the clinic has it; refused for good, it is never sent again,
//! reported to the clinic's page (`error`, code `undeliverable`) and removed
//! after a week.
//!
//! `boot.js` loads the form module at once on a device that already has an
//! outbox, and calls [`deliver_kept`]; without a clinic key nothing is ever
//! stored, not even an empty database.

use std::cell::Cell;

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransactionMode};

use crate::delivery::{self, Attended, Kept, Next};
use intake_core::config::SEALED_CONTENT_TYPE;

/// The database and its one store (version 2 makes the store wherever it is
/// missing: a database of that name without it would otherwise make every
/// use fail).
const DATABASE: &str = "massage-intake";
const STORE: &str = "outbox";
const VERSION: u32 = 2;

/// How long keeping an envelope may take: a device storage that never
/// answers must not hold the send up (it then goes on from memory).
const KEEP_TIMEOUT_MS: i32 = 5_000;

/// An envelope kept on the device.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub id: String,
    /// Absolute, so a page under another path sends it to the same place.
    pub endpoint: String,
    pub body: String,
    /// When it was kept, ms since 1970.
    pub kept_at: f64,
    /// Refused for good with this status.
    pub refused: Option<u16>,
}

impl Record {
    fn to_js(&self) -> JsValue {
        let object = Object::new();
        let set = |key: &str, value: JsValue| {
            let _ = Reflect::set(&object, &key.into(), &value);
        };
        set("id", self.id.as_str().into());
        set("endpoint", self.endpoint.as_str().into());
        set("type", SEALED_CONTENT_TYPE.into());
        set("body", self.body.as_str().into());
        set("kept_at", self.kept_at.into());
        if let Some(status) = self.refused {
            set("refused", f64::from(status).into());
        }
        object.into()
    }

    fn from_js(value: &JsValue) -> Option<Record> {
        let text = |key: &str| Reflect::get(value, &key.into()).ok()?.as_string();
        let number = |key: &str| Reflect::get(value, &key.into()).ok()?.as_f64();
        Some(Record {
            id: text("id")?,
            endpoint: text("endpoint")?,
            body: text("body")?,
            // Kept by an older build, without the time: from now on.
            kept_at: number("kept_at").unwrap_or_else(js_sys::Date::now),
            refused: number("refused").map(|s| s as u16),
        })
    }
}

/// A request's or transaction's end, as a future.
fn settled(on: impl FnOnce(&js_sys::Function, &js_sys::Function)) -> JsFuture {
    let mut on = Some(on);
    JsFuture::from(Promise::new(&mut |done, fail| {
        if let Some(on) = on.take() {
            on(&done, &fail);
        }
    }))
}

async fn open() -> Result<IdbDatabase, JsValue> {
    let factory = web_sys::window()
        .ok_or(JsValue::NULL)?
        .indexed_db()?
        .ok_or(JsValue::NULL)?;
    let opening = factory.open_with_u32(DATABASE, VERSION)?;
    let upgrade = Closure::once_into_js({
        let opening = opening.clone();
        move || {
            if let Ok(db) = opening.result() {
                let db: IdbDatabase = db.unchecked_into();
                if !db.object_store_names().contains(STORE) {
                    let options = web_sys::IdbObjectStoreParameters::new();
                    options.set_key_path(&"id".into());
                    let _ = db.create_object_store_with_optional_parameters(STORE, &options);
                }
            }
        }
    });
    opening.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    // Blocked (another tab holds an older version) counts as a failure.
    settled(|done, fail| {
        opening.set_onsuccess(Some(done));
        opening.set_onerror(Some(fail));
        opening.set_onblocked(Some(fail));
    })
    .await?;
    Ok(opening.result()?.unchecked_into())
}

/// Runs `work` on the store in one transaction and waits until it is
/// committed; the value is what `work`'s request produced.
async fn with_store(
    mode: IdbTransactionMode,
    work: impl FnOnce(&IdbObjectStore) -> Result<IdbRequest, JsValue>,
) -> Result<JsValue, JsValue> {
    let db = open().await?;
    let result = async {
        let tx = db.transaction_with_str_and_mode(STORE, mode)?;
        let asked = work(&tx.object_store(STORE)?)?;
        settled(|done, fail| {
            tx.set_oncomplete(Some(done));
            tx.set_onerror(Some(fail));
            tx.set_onabort(Some(fail));
        })
        .await?;
        asked.result()
    }
    .await;
    db.close();
    result
}

async fn put(record: &Record) -> bool {
    let value = record.to_js();
    with_store(IdbTransactionMode::Readwrite, |s| s.put(&value))
        .await
        .is_ok()
}

/// Forgets a kept envelope.
pub async fn remove(id: &str) {
    let key = JsValue::from_str(id);
    let _ = with_store(IdbTransactionMode::Readwrite, |s| s.delete(&key)).await;
}

/// Every kept envelope.
pub async fn all() -> Vec<Record> {
    match with_store(IdbTransactionMode::Readonly, IdbObjectStore::get_all).await {
        Ok(list) => js_sys::Array::from(&list)
            .iter()
            .filter_map(|r| Record::from_js(&r))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Marks a kept envelope as refused for good: it is never sent again.
pub async fn refuse(id: &str, status: u16) {
    if let Some(mut record) = all().await.into_iter().find(|r| r.id == id) {
        record.refused = Some(status);
        put(&record).await;
    }
}

/// Keeps a sealed envelope on the device until the clinic has it; false
/// when the device's storage refused or did not answer in time.
pub async fn keep(id: &str, endpoint: &str, envelope: &str) -> bool {
    let endpoint = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|base| web_sys::Url::new_with_base(endpoint, &base).ok())
        .map_or_else(|| endpoint.to_owned(), |u| u.href());
    let record = Record {
        id: id.to_owned(),
        endpoint,
        body: envelope.to_owned(),
        kept_at: js_sys::Date::now(),
        refused: None,
    };
    let stored = wasm_bindgen_futures::future_to_promise(async move {
        Ok(JsValue::from_bool(put(&record).await))
    });
    let late = Promise::new(&mut |done, _| {
        if let Some(window) = web_sys::window() {
            let _ = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&done, KEEP_TIMEOUT_MS);
        }
    });
    let kept = JsFuture::from(Promise::race(&js_sys::Array::of2(&stored, &late)))
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    if kept {
        listen();
    }
    kept
}

thread_local! {
    static LISTENING: Cell<bool> = const { Cell::new(false) };
    static FLUSHING: Cell<bool> = const { Cell::new(false) };
    static FAILURES: Cell<u32> = const { Cell::new(0) };
    static TIMER: Cell<Option<i32>> = const { Cell::new(None) };
}

/// From the first envelope kept on this page on: the outbox is sent when
/// the network returns and when the page is shown again. One listener each
/// for the page's life, never one per envelope.
fn listen() {
    if LISTENING.with(|l| l.replace(true)) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let again = Closure::<dyn Fn()>::new(|| {
        let visible = web_sys::window()
            .and_then(|w| w.document())
            .is_none_or(|d| !d.hidden());
        if visible {
            deliver_kept();
        }
    });
    let _ = window.add_event_listener_with_callback("online", again.as_ref().unchecked_ref());
    if let Some(document) = window.document() {
        let _ = document
            .add_event_listener_with_callback("visibilitychange", again.as_ref().unchecked_ref());
    }
    // Lives as long as the page, as the listeners do.
    again.forget();
}

/// Sends what the outbox holds, as the policy says; on the device's next
/// chance if some are left. `boot.js` calls it (the form module's export of
/// the same name) when a page opens on a device with an outbox.
pub fn deliver_kept() {
    listen();
    if FLUSHING.with(|f| f.replace(true)) {
        return;
    }
    if let Some(timer) = TIMER.with(Cell::take) {
        if let Some(window) = web_sys::window() {
            window.clear_timeout_with_handle(timer);
        }
    }
    wasm_bindgen_futures::spawn_local(async {
        let wait = deliver_all().await;
        FLUSHING.with(|f| f.set(false));
        if let (Some(ms), Some(window)) = (wait, web_sys::window()) {
            let later = Closure::once_into_js(deliver_kept);
            if let Ok(timer) = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                later.unchecked_ref(),
                ms as i32,
            ) {
                TIMER.with(|t| t.set(Some(timer)));
            }
        }
    });
}

/// One pass over the outbox; the wait before the next one, if any are left
/// to send.
async fn deliver_all() -> Option<u32> {
    let mut wait: Option<u32> = None;
    let now = js_sys::Date::now();
    for record in all().await {
        if crate::unsettled::in_flight(&record.id) {
            // The form is sending it this moment.
            continue;
        }
        match delivery::kept(record.kept_at, record.refused, now) {
            Kept::Hold => continue,
            Kept::Drop { report } => {
                remove(&record.id).await;
                if report {
                    crate::bridge::event("error", &[("code", "undeliverable")]);
                }
                continue;
            }
            Kept::Send => {}
        }
        let outcome = crate::transport::send(
            &record.endpoint,
            &record.id,
            &record.body,
            SEALED_CONTENT_TYPE,
            30_000,
        )
        .await;
        let failures = FAILURES.with(Cell::get);
        match delivery::next(outcome, failures, delivery::jitter(), Attended::Nobody) {
            Next::Stored(_) => remove(&record.id).await,
            Next::Refused(status) => {
                refuse(&record.id, status).await;
                crate::bridge::event("error", &[("code", "undeliverable")]);
            }
            Next::Retry { after_ms, .. } => {
                wait = Some(wait.map_or(after_ms, |w| w.min(after_ms)));
            }
            // Not made by the policy for an unattended send.
            Next::Fix(_) => refuse(&record.id, 422).await,
        }
    }
    FAILURES.with(|f| f.set(if wait.is_some() { f.get() + 1 } else { 0 }));
    wait
}
