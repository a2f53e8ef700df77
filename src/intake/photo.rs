//! The prescription photo: from the camera or a file, downscaled in the
//! browser to at most 1600 px on its long side and about 1 MB of JPEG,
//! previewed, removable. A file that is not a picture, or cannot be read,
//! gets its own message; the rest of the form is untouched.

use intake_core::validate::MAX_ATTACHMENT_BYTES;
use intake_core::{Msg, PhotoDraft};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::field::FormContext;
use crate::text::use_texts;

/// The longest side after downscaling.
pub const MAX_SIDE: u32 = 1600;
/// The size aimed at; a photo is re-encoded at lower quality until it fits.
pub const TARGET_BYTES: usize = 1_000_000;
const QUALITIES: &[f64] = &[0.85, 0.75, 0.62, 0.5, 0.38];

/// The size a `width` x `height` picture is drawn at.
pub fn scaled(width: u32, height: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= MAX_SIDE || long == 0 {
        return (width.max(1), height.max(1));
    }
    let scale = |v: u32| {
        ((u64::from(v) * u64::from(MAX_SIDE) + u64::from(long) / 2) / u64::from(long)) as u32
    };
    (scale(width).max(1), scale(height).max(1))
}

/// Bytes of the photo's base64 once decoded (0 when it is not base64,
/// which a canvas never writes).
pub fn decoded_len(base64: &str) -> usize {
    intake_core::base64::decoded_len(base64).unwrap_or(0)
}

/// What happened to the chosen file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoError {
    NotImage,
    Unreadable,
    TooLarge,
}

impl PhotoError {
    fn msg(self) -> Msg {
        match self {
            PhotoError::NotImage => Msg::PhotoNotImage,
            PhotoError::Unreadable => Msg::PhotoUnreadable,
            PhotoError::TooLarge => Msg::ErrorAttachmentTooLarge,
        }
    }
}

/// Reads, downscales and re-encodes `file` as JPEG base64.
pub async fn prepare(file: &web_sys::File) -> Result<String, PhotoError> {
    if !file.type_().starts_with("image/") {
        return Err(PhotoError::NotImage);
    }
    let url =
        web_sys::Url::create_object_url_with_blob(file).map_err(|_| PhotoError::Unreadable)?;
    let result = downscale(&url).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    result
}

async fn downscale(url: &str) -> Result<String, PhotoError> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(PhotoError::Unreadable)?;
    let image = web_sys::HtmlImageElement::new().map_err(|_| PhotoError::Unreadable)?;
    image.set_src(url);
    wasm_bindgen_futures::JsFuture::from(image.decode())
        .await
        .map_err(|_| PhotoError::Unreadable)?;
    let (width, height) = scaled(image.natural_width(), image.natural_height());
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .ok()
        .and_then(|c| c.dyn_into().ok())
        .ok_or(PhotoError::Unreadable)?;
    canvas.set_width(width);
    canvas.set_height(height);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .ok_or(PhotoError::Unreadable)?;
    // JPEG has no transparency: white behind a transparent PNG.
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, f64::from(width), f64::from(height));
    ctx.draw_image_with_html_image_element_and_dw_and_dh(
        &image,
        0.0,
        0.0,
        f64::from(width),
        f64::from(height),
    )
    .map_err(|_| PhotoError::Unreadable)?;
    let mut smallest = None;
    for quality in QUALITIES {
        let url = canvas
            .to_data_url_with_type_and_encoder_options("image/jpeg", &JsValue::from_f64(*quality))
            .map_err(|_| PhotoError::Unreadable)?;
        let Some((_, data)) = url.split_once("base64,") else {
            return Err(PhotoError::Unreadable);
        };
        let data = data.to_owned();
        if decoded_len(&data) <= TARGET_BYTES {
            return Ok(data);
        }
        smallest = Some(data);
    }
    smallest
        .filter(|d| decoded_len(d) <= MAX_ATTACHMENT_BYTES as usize)
        .ok_or(PhotoError::TooLarge)
}

/// Where the photo stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Idle,
    Working,
    Failed(PhotoError),
}

/// The photo question: file input, preview, Remove.
#[component]
pub fn Photo(form: FormContext) -> impl IntoView {
    let texts = use_texts();
    let draft = form.draft;
    let status = RwSignal::new(Status::Idle);
    let id = "mi-attachments";
    // The file input, found by its id when the patient uses it (a node
    // reference of its own element type cost the module more).
    let input = move || {
        document()
            .get_element_by_id(id)
            .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
    };
    let on_change = move |_| {
        let Some(file) = input()
            .and_then(|i| i.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        status.set(Status::Working);
        leptos::task::spawn_local(async move {
            let prepared = prepare(&file).await;
            // After a kiosk reset or a language switch this form is gone.
            if status.try_get_untracked().is_none() {
                return;
            }
            match prepared {
                Ok(data_base64) => {
                    form.edit(|d| {
                        d.photo = Some(PhotoDraft {
                            mime_type: "image/jpeg".to_owned(),
                            data_base64,
                        })
                    });
                    status.set(Status::Idle);
                }
                Err(e) => status.set(Status::Failed(e)),
            }
        });
    };
    let remove = move |_| {
        form.edit(|d| d.photo = None);
        status.set(Status::Idle);
        if let Some(i) = input() {
            i.set_value("");
            let _ = i.focus();
        }
    };
    // The photo is large: what depends on it follows its size, not every
    // change of the answers.
    let size =
        Memo::new(move |_| draft.with(|d| d.photo.as_ref().map(|p| decoded_len(&p.data_base64))));
    let preview = move || {
        size.get().map(|bytes| {
            let src = draft.with_untracked(|d| {
                d.photo
                    .as_ref()
                    .map(|p| format!("data:{};base64,{}", p.mime_type, p.data_base64))
                    .unwrap_or_default()
            });
            (src, bytes)
        })
    };
    let message = move || match status.get() {
        Status::Working => Some(("mi-hint", texts.t(Msg::PhotoWorking).to_owned())),
        Status::Failed(e) => Some(("mi-error", texts.t(e.msg()).to_owned())),
        Status::Idle => size.get().map(|bytes| {
            (
                "mi-hint",
                texts.f(
                    Msg::PhotoReady,
                    &[("size", &bytes.div_ceil(1000).to_string())],
                ),
            )
        }),
    };
    let failed = move || matches!(status.get(), Status::Failed(_));
    view! {
        <div class=move || if failed() { "mi-field mi-photo mi-field--invalid" } else { "mi-field mi-photo" }>
            <label class="mi-label" for=id>
                {texts.t(Msg::FieldPhoto)} " " <span class="mi-optional">{texts.t(Msg::FieldOptional)}</span>
            </label>
            <p class="mi-hint" id="mi-attachments-hint">{texts.t(Msg::FieldPhotoHint)}</p>
            <input
                class="mi-file"
                id=id
                type="file"
                accept="image/*"
                capture="environment"
                aria-invalid=move || failed().then_some("true")
                aria-describedby="mi-attachments-hint mi-attachments-status"
                on:change=on_change
            />
            <p id="mi-attachments-status" role="status" class=move || message().map_or("mi-hint", |m| m.0)>
                {move || message().map(|m| m.1)}
            </p>
            {move || preview().map(|(src, _)| view! {
                <div class="mi-preview">
                    <img src=src alt=texts.t(Msg::PhotoPreview) />
                    <button type="button" class="mi-more mi-remove" on:click=remove>{texts.t(Msg::PhotoRemove)}</button>
                </div>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_shrink_to_the_long_side_and_keep_their_shape() {
        assert_eq!(scaled(4032, 3024), (1600, 1200));
        assert_eq!(scaled(3024, 4032), (1200, 1600));
        assert_eq!(scaled(800, 600), (800, 600));
        assert_eq!(scaled(1601, 1), (1600, 1));
        assert_eq!(scaled(0, 0), (1, 1));
    }

    #[test]
    fn decoded_length_counts_padding() {
        assert_eq!(decoded_len("/9j/4A=="), 4);
        assert_eq!(decoded_len("YWJj"), 3);
        assert_eq!(decoded_len("YWI="), 2);
        assert_eq!(decoded_len("not base64"), 0);
    }
}
