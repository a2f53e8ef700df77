//! The body map's figures: front and back as static SVG markup whose regions
//! are buttons, and the arrow keys' moves between them (to the nearest
//! region that way).

use intake_core::body::Shape;
pub(super) use intake_core::body::{BACK, FRONT};
use intake_core::{Msg, PainDraft};
use wasm_bindgen::JsCast;

use crate::markup::escape;
use crate::text::Texts;

/// The accessible name of a region (empty for a code not on the map).
pub fn region_name(texts: Texts, code: &str) -> &'static str {
    FRONT
        .iter()
        .chain(BACK)
        .find(|s| s.0 == code)
        .map_or("", |s| texts.t(s.1))
}

/// One figure's SVG: each region a button, with the patient's sides marked.
pub fn figure_markup(
    texts: Texts,
    shapes: &[Shape],
    side: Msg,
    left_on_right: bool,
    chosen: &[PainDraft],
) -> String {
    let caption = texts.t(side);
    let label = texts.f(Msg::PainMapLabel, &[("side", caption)]);
    let (left_x, right_x) = if left_on_right { (186, 14) } else { (14, 186) };
    // The caption first: when the figures stack on a phone, each caption
    // sits above its own figure.
    let mut out = format!(
        concat!(
            r#"<figure class="mi-figure"><figcaption class="mi-figcaption">{caption}</figcaption>"#,
            r#"<svg class="mi-body" viewBox="0 0 200 450" role="group" aria-label="{label}">"#,
            r#"<text class="mi-side" x="{right_x}" y="446" text-anchor="middle" aria-hidden="true">{right}</text>"#,
            r#"<text class="mi-side" x="{left_x}" y="446" text-anchor="middle" aria-hidden="true">{left}</text>"#
        ),
        caption = escape(caption),
        label = escape(&label),
        left_x = left_x,
        right_x = right_x,
        right = escape(texts.t(Msg::PainSideRight)),
        left = escape(texts.t(Msg::PainSideLeft)),
    );
    for (i, (code, name, x, y, w, h)) in shapes.iter().enumerate() {
        let pressed = chosen.iter().any(|p| p.region == *code);
        let radius = if code.ends_with("_head") { 22 } else { 8 };
        out.push_str(&format!(
            r#"<rect class="mi-region" data-region="{code}" role="button" tabindex="{tab}" aria-pressed="{pressed}" aria-label="{name}" x="{x}" y="{y}" width="{w}" height="{h}" rx="{radius}"></rect>"#,
            tab = if i == 0 { 0 } else { -1 },
            name = escape(texts.t(*name)),
        ));
    }
    out.push_str("</svg></figure>");
    out
}

/// The element a delegated event is about, if it is a region.
pub(super) fn region_of(ev: &web_sys::Event) -> Option<web_sys::Element> {
    ev.target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("[data-region]")
        .ok()?
}

/// A direction of the arrow keys, on the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Towards {
    Up,
    Down,
    Left,
    Right,
}

/// The region an arrow key leads to from `shapes[from]`: of those across
/// from it that way (overlapping it sideways, their centre past its edge),
/// the nearest; `None` at the figure's edge.
fn nearest(shapes: &[Shape], from: usize, towards: Towards) -> Option<usize> {
    // In half units, to stay in whole numbers: centre, and extent across.
    let span = |s: &Shape, vertical: bool| {
        let (start, size) = if vertical { (s.3, s.5) } else { (s.2, s.4) };
        let start = 2 * i32::from(start);
        (start + i32::from(size), start, start + 2 * i32::from(size))
    };
    let vertical = matches!(towards, Towards::Up | Towards::Down);
    let source = shapes.get(from)?;
    let (here, start, end) = span(source, vertical);
    let (_, lo, hi) = span(source, !vertical);
    shapes
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != from)
        .filter_map(|(i, s)| {
            let (there, _, _) = span(s, vertical);
            let (_, s_lo, s_hi) = span(s, !vertical);
            // Its centre must be past this region's far edge.
            let (on, past) = match towards {
                Towards::Down | Towards::Right => (there - here, there > end),
                Towards::Up | Towards::Left => (here - there, there < start),
            };
            // And it must lie across from this one, not off to a side.
            let across = s_lo < hi && lo < s_hi;
            (past && across).then_some((on, i))
        })
        .min()
        .map(|(_, i)| i)
}

/// Moves keyboard focus among the regions of one figure (roving tab stop):
/// the arrows go where they point, Home and End to the first and last.
pub(super) fn move_focus(from: &web_sys::Element, key: &str) -> bool {
    let Some(svg) = from.parent_element() else {
        return false;
    };
    let code = from.get_attribute("data-region").unwrap_or_default();
    let shapes = if code.starts_with("front_") {
        FRONT
    } else {
        BACK
    };
    let Some(index) = shapes.iter().position(|s| s.0 == code) else {
        return false;
    };
    let next = match key {
        "ArrowUp" => nearest(shapes, index, Towards::Up),
        "ArrowDown" => nearest(shapes, index, Towards::Down),
        "ArrowLeft" => nearest(shapes, index, Towards::Left),
        "ArrowRight" => nearest(shapes, index, Towards::Right),
        "Home" => Some(0),
        "End" => Some(shapes.len() - 1),
        _ => return false,
    };
    // At the edge the key does nothing more (and scrolls nothing).
    let Some(next) = next else { return true };
    let Some(target) = svg
        .query_selector(&format!("[data-region=\"{}\"]", shapes[next].0))
        .ok()
        .flatten()
        .and_then(|n| n.dyn_into::<web_sys::SvgElement>().ok())
    else {
        return false;
    };
    let _ = from.set_attribute("tabindex", "-1");
    let _ = target.set_attribute("tabindex", "0");
    let _ = target.focus();
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use intake_core::vocab::BodyRegion;

    fn towards(code: &str, way: Towards) -> Option<&'static str> {
        let shapes = if code.starts_with("front_") {
            FRONT
        } else {
            BACK
        };
        let from = shapes.iter().position(|s| s.0 == code).expect(code);
        nearest(shapes, from, way).map(|i| shapes[i].0)
    }

    #[test]
    fn the_arrows_go_where_they_point() {
        // Down from the right chest is the belly, not the left chest.
        assert_eq!(
            towards("front_chest_right", Towards::Down),
            Some("front_abdomen")
        );
        assert_eq!(
            towards("front_chest_right", Towards::Right),
            Some("front_chest_left")
        );
        assert_eq!(
            towards("front_abdomen", Towards::Up),
            Some("front_chest_right")
        );
        assert_eq!(towards("front_head", Towards::Down), Some("front_neck"));
        assert_eq!(towards("front_head", Towards::Up), None, "the top edge");
        assert_eq!(
            towards("front_knee_right", Towards::Down),
            Some("front_shin_right")
        );
        assert_eq!(
            towards("back_neck_left", Towards::Right),
            Some("back_neck_right")
        );
        assert_eq!(
            towards("back_lower_right", Towards::Down),
            Some("back_glute_right")
        );
        // Every region can be reached from the head by the arrows.
        for shapes in [FRONT, BACK] {
            let mut seen = vec![0];
            let mut i = 0;
            while i < seen.len() {
                for way in [Towards::Up, Towards::Down, Towards::Left, Towards::Right] {
                    if let Some(next) = nearest(shapes, seen[i], way) {
                        if !seen.contains(&next) {
                            seen.push(next);
                        }
                    }
                }
                i += 1;
            }
            assert_eq!(seen.len(), shapes.len());
        }
    }

    #[test]
    fn no_two_regions_overlap() {
        for shapes in [FRONT, BACK] {
            for (i, a) in shapes.iter().enumerate() {
                for b in &shapes[i + 1..] {
                    let apart = a.2 + a.4 <= b.2
                        || b.2 + b.4 <= a.2
                        || a.3 + a.5 <= b.3
                        || b.3 + b.5 <= a.3;
                    assert!(apart, "{} and {} overlap", a.0, b.0);
                }
            }
        }
    }

    #[test]
    fn the_map_draws_every_region_once() {
        let drawn: Vec<&str> = FRONT.iter().chain(BACK).map(|s| s.0).collect();
        for region in BodyRegion::ALL {
            assert_eq!(
                drawn.iter().filter(|c| **c == region.code()).count(),
                1,
                "{}",
                region.code()
            );
        }
        assert_eq!(drawn.len(), BodyRegion::ALL.len());
        for (code, name, x, y, w, h) in FRONT.iter().chain(BACK) {
            assert_eq!(name.key(), format!("region.{code}"));
            assert!(x + w <= 200 && y + h <= 450, "{code} leaves the figure");
            assert!(*w >= 17 && *h >= 16, "{code} is too small to tap");
        }
    }

    #[test]
    fn the_patients_sides_are_mirrored_on_the_front() {
        let x = |shapes: &[Shape], code: &str| {
            shapes
                .iter()
                .find(|s| s.0 == code)
                .map(|s| s.2)
                .expect(code)
        };
        assert!(x(FRONT, "front_knee_left") > x(FRONT, "front_knee_right"));
        assert!(x(BACK, "back_calf_left") < x(BACK, "back_calf_right"));
    }
}
