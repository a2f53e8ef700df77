//! The signature: drawn on a canvas with a finger, a pen or the mouse
//! (pointer events), kept as SVG path data in a 600 x 200 box; "Clear"
//! starts again. Typing the full name is the accessible alternative and is
//! used when nothing is drawn.

use intake_core::Msg;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::field::{FormContext, InputField};
use super::steps::TYPED_SIGNATURE;
use crate::text::use_texts;

/// The drawing box, in path units.
pub const WIDTH: f64 = 600.0;
pub const HEIGHT: f64 = 200.0;
/// The longest path the submission takes.
const MAX_PATH: usize = 20_000;

/// Appends a point to `path`: a move at the start of a stroke, else a line;
/// points closer than 2 units to the last are skipped. Returns whether the
/// point was kept (the path stops growing at its limit).
pub fn extend_path(
    path: &mut String,
    x: f64,
    y: f64,
    start: bool,
    last: &mut Option<(i32, i32)>,
) -> bool {
    let (x, y) = (
        x.clamp(0.0, WIDTH).round() as i32,
        y.clamp(0.0, HEIGHT).round() as i32,
    );
    if !start {
        if let Some((lx, ly)) = *last {
            if (lx - x).abs() + (ly - y).abs() < 2 {
                return false;
            }
        }
    }
    let piece = format!("{}{x} {y}", if start { "M" } else { "L" });
    if path.len() + piece.len() + 1 > MAX_PATH {
        return false;
    }
    if !path.is_empty() {
        path.push(' ');
    }
    path.push_str(&piece);
    *last = Some((x, y));
    true
}

fn context(canvas: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

fn style(ctx: &web_sys::CanvasRenderingContext2d) {
    ctx.set_line_width(3.0);
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
    ctx.set_stroke_style_str("#1d2521");
}

/// Draws `path` (as written by [`extend_path`]) on the canvas.
fn paint(canvas: &web_sys::HtmlCanvasElement, path: &str) {
    let Some(ctx) = context(canvas) else { return };
    ctx.clear_rect(0.0, 0.0, WIDTH, HEIGHT);
    style(&ctx);
    ctx.begin_path();
    for piece in path.split(' ').collect::<Vec<_>>().chunks(2) {
        let [a, b] = piece else { continue };
        let (cmd, x) = a.split_at(1);
        // Whole, never negative (see `extend_path`).
        let (Ok(x), Ok(y)) = (x.parse::<u32>(), b.parse::<u32>()) else {
            continue;
        };
        let (x, y) = (f64::from(x), f64::from(y));
        if cmd == "M" {
            ctx.move_to(x, y);
            // A dot is a stroke too.
            ctx.line_to(x + 0.5, y);
        } else {
            ctx.line_to(x, y);
        }
    }
    ctx.stroke();
}

/// The pad, its Clear button and the typed alternative.
#[component]
pub fn SignaturePad(form: FormContext) -> impl IntoView {
    let texts = use_texts();
    let draft = form.draft;
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let drawing = StoredValue::new(false);
    let last: StoredValue<Option<(i32, i32)>> = StoredValue::new(None);
    let signed = Memo::new(move |_| draft.with(|d| !d.signature_path.is_empty()));
    // Paint what is kept (answers remembered, or back on this step).
    Effect::new(move |_| {
        let path = draft.with(|d| d.signature_path.clone());
        if let Some(c) = canvas.get() {
            paint(&c, &path);
        }
    });
    let point = move |ev: &web_sys::PointerEvent| -> Option<(f64, f64)> {
        let c = canvas.get_untracked()?;
        let rect = c.get_bounding_client_rect();
        if rect.width() <= 0.0 || rect.height() <= 0.0 {
            return None;
        }
        Some((
            (f64::from(ev.client_x()) - rect.left()) * WIDTH / rect.width(),
            (f64::from(ev.client_y()) - rect.top()) * HEIGHT / rect.height(),
        ))
    };
    let add = move |ev: &web_sys::PointerEvent, start: bool| {
        let Some((x, y)) = point(ev) else { return };
        let before = last.get_value();
        let mut kept = false;
        // The answer changes without re-rendering anything while the stroke
        // goes on; only the new segment is drawn. Lifting the pointer tells the form.
        draft.update_untracked(|d| {
            last.update_value(|l| kept = extend_path(&mut d.signature_path, x, y, start, l));
        });
        let (Some((nx, ny)), true) = (last.get_value(), kept) else {
            return;
        };
        let Some(ctx) = canvas.get_untracked().as_ref().and_then(context) else {
            return;
        };
        style(&ctx);
        ctx.begin_path();
        match before.filter(|_| !start) {
            Some((px, py)) => ctx.move_to(f64::from(px), f64::from(py)),
            None => ctx.move_to(f64::from(nx) - 0.5, f64::from(ny)),
        }
        ctx.line_to(f64::from(nx), f64::from(ny));
        ctx.stroke();
    };
    let down = move |ev: web_sys::PointerEvent| {
        ev.prevent_default();
        drawing.set_value(true);
        if let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let _ = target.set_pointer_capture(ev.pointer_id());
        }
        add(&ev, true);
    };
    let moved = move |ev: web_sys::PointerEvent| {
        if drawing.get_value() {
            ev.prevent_default();
            add(&ev, false);
        }
    };
    let up = move |_: web_sys::PointerEvent| {
        if drawing.get_value() {
            drawing.set_value(false);
            form.edit(|_| {});
        }
    };
    let clear = move |_| {
        last.set_value(None);
        form.edit(|d| d.signature_path.clear());
    };
    view! {
        <fieldset class="mi-group mi-signature">
            <legend>{texts.t(Msg::SignatureHeading)}</legend>
            <p class="mi-hint" id="mi-signature-draw">{texts.t(Msg::SignatureDraw)}</p>
            <canvas
                class="mi-pad"
                id="mi-signature-pad"
                width="600"
                height="200"
                role="img"
                aria-label=texts.t(Msg::SignaturePad)
                aria-describedby="mi-signature-draw"
                node_ref=canvas
                on:pointerdown=down
                on:pointermove=moved
                on:pointerup=up
                on:pointercancel=up
            ></canvas>
            <div class="mi-pad-actions">
                <p class="mi-signed" role="status">{move || signed.get().then(|| texts.t(Msg::SignatureSigned))}</p>
                <button type="button" class="mi-more" id="mi-signature-clear" on:click=clear>
                    {texts.t(Msg::SignatureClear)}
                </button>
            </div>
            <InputField spec=TYPED_SIGNATURE form />
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strokes_become_valid_svg_path_data() {
        let mut path = String::new();
        let mut last = None;
        assert!(extend_path(&mut path, 10.2, 20.7, true, &mut last));
        assert!(
            !extend_path(&mut path, 10.9, 21.0, false, &mut last),
            "too close"
        );
        assert!(extend_path(&mut path, 40.0, 30.0, false, &mut last));
        assert!(
            extend_path(&mut path, 900.0, -5.0, true, &mut last),
            "clamped"
        );
        assert_eq!(path, "M10 21 L40 30 M600 0");
        assert!(intake_core::validate::is_svg_path(&path));
    }

    #[test]
    fn the_path_stops_at_its_limit() {
        let mut path = String::new();
        let mut last = None;
        let mut kept = 0;
        for i in 0..10_000 {
            if extend_path(
                &mut path,
                f64::from(i % 600),
                f64::from(i % 200),
                i % 50 == 0,
                &mut last,
            ) {
                kept += 1;
            }
        }
        assert!(path.len() <= MAX_PATH);
        assert!(kept > 1000);
    }
}
