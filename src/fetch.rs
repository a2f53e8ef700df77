//! The browser's `fetch`, used directly through web-sys: the widget needs two
//! requests (its configuration and the submission), and an HTTP client crate
//! would add about 2.5 KB gzip for nothing more.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

/// A reply: its status, its `Retry-After` header and its body as text.
pub struct Fetched {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: String,
    /// The reply came from another address than the one asked.
    pub redirected: bool,
}

/// Why no reply came.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FetchError {
    /// The request could not be made (bad URL, no window).
    Request,
    /// No answer: offline, refused, cut off, or blocked by the browser.
    Network,
}

/// Sends a request and reads the whole body, giving up after `timeout_ms`
/// (0: no limit). `body` makes it a POST.
pub async fn fetch(
    url: &str,
    body: Option<(&str, &[(&str, &str)])>,
    timeout_ms: u32,
) -> Result<Fetched, FetchError> {
    let init = RequestInit::new();
    if let Some((text, headers)) = body {
        init.set_method("POST");
        let h = Headers::new().map_err(|_| FetchError::Request)?;
        for (name, value) in headers {
            h.set(name, value).map_err(|_| FetchError::Request)?;
        }
        init.set_headers(&h);
        init.set_body(&text.into());
    }
    send(url, init, timeout_ms).await
}

/// Whether `url` answers with a success from its server within
/// `timeout_ms`: never from the browser's cache, and not through a redirect
/// (a network's sign-in page answers every address that way).
pub async fn answers(url: &str, timeout_ms: u32) -> bool {
    let init = RequestInit::new();
    init.set_cache(web_sys::RequestCache::NoStore);
    send(url, init, timeout_ms)
        .await
        .is_ok_and(|reply| (200..300).contains(&reply.status) && !reply.redirected)
}

async fn send(url: &str, init: RequestInit, timeout_ms: u32) -> Result<Fetched, FetchError> {
    let window = web_sys::window().ok_or(FetchError::Request)?;
    // No cookies or credentials: the endpoint needs none, and a host page's must never travel.
    init.set_credentials(web_sys::RequestCredentials::Omit);
    // An AbortController aborted by a timer: unlike AbortSignal.timeout it
    // exists on older tablets too (iOS 12.2 on). The timer is cleared and its
    // closure dropped once the reply is read, so no finished request leaves
    // anything behind until its timeout would have fired.
    let timeout = (timeout_ms > 0)
        .then(|| web_sys::AbortController::new().ok())
        .flatten()
        .map(|controller| {
            init.set_signal(Some(&controller.signal()));
            let abort = wasm_bindgen::closure::Closure::once(move || controller.abort());
            let timer = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    abort.as_ref().unchecked_ref(),
                    timeout_ms as i32,
                )
                .ok();
            (abort, timer)
        });
    let fetched = read(&window, url, &init).await;
    if let Some((abort, timer)) = timeout {
        if let Some(timer) = timer {
            window.clear_timeout_with_handle(timer);
        }
        drop(abort);
    }
    fetched
}

async fn read(
    window: &web_sys::Window,
    url: &str,
    init: &RequestInit,
) -> Result<Fetched, FetchError> {
    let request = Request::new_with_str_and_init(url, init).map_err(|_| FetchError::Request)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| FetchError::Network)?
        .dyn_into()
        .map_err(|_| FetchError::Network)?;
    let status = response.status();
    let redirected = response.redirected();
    let retry_after = response.headers().get("retry-after").ok().flatten();
    let text = response.text().map_err(|_| FetchError::Network)?;
    let body = JsFuture::from(text)
        .await
        .map_err(|_| FetchError::Network)?
        .as_string()
        .unwrap_or_default();
    Ok(Fetched {
        status,
        retry_after,
        body,
        redirected,
    })
}

/// The text of one of the widget's own files (its configuration, a
/// language), fetched once for the page: both modules read what the first
/// one fetched, so a form started after the connection dropped still has
/// them. A failure is not kept, so the next call tries again; its `Err` is
/// the status, or 0 for no answer.
pub async fn fetch_once(url: &str) -> Result<String, u16> {
    use js_sys::Reflect;
    let kept = crate::bridge::fetched_files();
    let known = Reflect::get(&kept, &url.into()).unwrap_or(wasm_bindgen::JsValue::UNDEFINED);
    // boot.js fetches the configuration from the page's first byte, and
    // leaves the promise of its text here.
    let known = match known.dyn_into::<js_sys::Promise>() {
        Ok(promise) => JsFuture::from(promise).await.ok(),
        Err(value) => Some(value),
    };
    if let Some(text) = known.and_then(|v| v.as_string()) {
        let _ = Reflect::set(&kept, &url.into(), &text.as_str().into());
        return Ok(text);
    }
    let reply = fetch(url, None, 15_000).await.map_err(|_| 0u16)?;
    if !(200..300).contains(&reply.status) {
        return Err(reply.status);
    }
    let _ = Reflect::set(&kept, &url.into(), &reply.body.as_str().into());
    Ok(reply.body)
}
