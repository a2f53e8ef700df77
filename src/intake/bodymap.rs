//! Where it hurts: a body map, front and back, whose regions are buttons
//! (name, pressed state, keyboard), and the chosen places listed as text with
//! a 0-10 intensity each. The map is static SVG markup with one delegated
//! handler (cheaper than a view per region); the list is reactive.

use intake_core::{Msg, PainDraft};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::field::{option_label, FormContext};
use crate::learn::escape;
use crate::text::{use_texts, Texts};

/// A region's place on its figure: code, x, y, width, height (viewBox 200 x 450).
type Shape = (&'static str, u16, u16, u16, u16);

/// The front: the patient's left is on the viewer's right.
const FRONT: &[Shape] = &[
    ("front_head", 78, 6, 44, 44),
    ("front_neck", 80, 52, 40, 24),
    ("front_shoulder_right", 46, 78, 36, 24),
    ("front_shoulder_left", 118, 78, 36, 24),
    ("front_chest_right", 68, 104, 31, 46),
    ("front_chest_left", 101, 104, 31, 46),
    ("front_upper_arm_right", 36, 104, 28, 66),
    ("front_upper_arm_left", 136, 104, 28, 66),
    ("front_forearm_right", 28, 172, 28, 64),
    ("front_forearm_left", 144, 172, 28, 64),
    ("front_hand_right", 22, 238, 30, 34),
    ("front_hand_left", 148, 238, 30, 34),
    ("front_abdomen", 68, 152, 64, 48),
    ("front_hip_right", 68, 202, 31, 32),
    ("front_hip_left", 101, 202, 31, 32),
    ("front_thigh_right", 68, 236, 30, 70),
    ("front_thigh_left", 102, 236, 30, 70),
    ("front_knee_right", 70, 308, 27, 28),
    ("front_knee_left", 103, 308, 27, 28),
    ("front_shin_right", 72, 338, 25, 66),
    ("front_shin_left", 103, 338, 25, 66),
    ("front_foot_right", 66, 406, 31, 24),
    ("front_foot_left", 103, 406, 31, 24),
];

/// The back: the patient's left is on the viewer's left.
const BACK: &[Shape] = &[
    ("back_head", 78, 6, 44, 44),
    ("back_neck_left", 76, 52, 23, 24),
    ("back_neck_right", 101, 52, 23, 24),
    ("back_shoulder_left", 46, 78, 53, 26),
    ("back_shoulder_right", 101, 78, 53, 26),
    ("back_upper_left", 68, 106, 31, 32),
    ("back_upper_right", 101, 106, 31, 32),
    ("back_mid_left", 68, 140, 31, 30),
    ("back_mid_right", 101, 140, 31, 30),
    ("back_lower_left", 68, 172, 31, 30),
    ("back_lower_right", 101, 172, 31, 30),
    ("back_upper_arm_left", 36, 106, 28, 66),
    ("back_upper_arm_right", 136, 106, 28, 66),
    ("back_glute_left", 68, 204, 31, 38),
    ("back_glute_right", 101, 204, 31, 38),
    ("back_hamstring_left", 68, 244, 30, 78),
    ("back_hamstring_right", 102, 244, 30, 78),
    ("back_calf_left", 70, 326, 28, 80),
    ("back_calf_right", 102, 326, 28, 80),
];

/// The accessible name of a region.
pub fn region_name(texts: Texts, code: &str) -> &'static str {
    option_label(texts, "region", code)
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
    for (i, (code, x, y, w, h)) in shapes.iter().enumerate() {
        let pressed = chosen.iter().any(|p| p.region == *code);
        let radius = if code.ends_with("_head") { 22 } else { 8 };
        out.push_str(&format!(
            r#"<rect class="mi-region" data-region="{code}" role="button" tabindex="{tab}" aria-pressed="{pressed}" aria-label="{name}" x="{x}" y="{y}" width="{w}" height="{h}" rx="{radius}"></rect>"#,
            tab = if i == 0 { 0 } else { -1 },
            name = escape(region_name(texts, code)),
        ));
    }
    out.push_str("</svg></figure>");
    out
}

/// Adds `code`, not rated yet, or removes it.
pub fn toggle(pain: &mut Vec<PainDraft>, code: &str) {
    if pain.iter().any(|p| p.region == code) {
        pain.retain(|p| p.region != code);
    } else {
        pain.push(PainDraft {
            region: code.to_owned(),
            intensity: None,
        });
    }
}

/// The element a delegated event is about, if it is a region.
fn region_of(ev: &web_sys::Event) -> Option<web_sys::Element> {
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
        let (start, size) = if vertical { (s.2, s.4) } else { (s.1, s.3) };
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
fn move_focus(from: &web_sys::Element, key: &str) -> bool {
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

/// The body map and the list of chosen places.
#[component]
pub fn BodyMap(form: FormContext) -> impl IntoView {
    let texts = use_texts();
    let draft = form.draft;
    let markup = draft.with_untracked(|d| {
        figure_markup(texts, FRONT, Msg::PainFront, true, &d.pain)
            + &figure_markup(texts, BACK, Msg::PainBack, false, &d.pain)
    });
    let maps = NodeRef::<leptos::html::Div>::new();
    // The pressed state follows the answers (a region removed from the list
    // is released on the map too).
    let chosen_codes = Memo::new(move |_| {
        draft.with(|d| d.pain.iter().map(|p| p.region.clone()).collect::<Vec<_>>())
    });
    Effect::new(move |_| {
        let chosen = chosen_codes.get();
        let Some(maps) = maps.get() else { return };
        let Ok(regions) = maps.query_selector_all("[data-region]") else {
            return;
        };
        for i in 0..regions.length() {
            if let Some(el) = regions
                .get(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let code = el.get_attribute("data-region").unwrap_or_default();
                let pressed = chosen.contains(&code);
                let _ = el.set_attribute("aria-pressed", if pressed { "true" } else { "false" });
            }
        }
    });
    let pick = move |el: &web_sys::Element| {
        if let Some(code) = el.get_attribute("data-region") {
            form.edit(|d| toggle(&mut d.pain, &code));
        }
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(el) = region_of(&ev) {
            pick(&el);
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some(el) = region_of(&ev) else { return };
        let key = ev.key();
        if key == "Enter" || key == " " {
            ev.prevent_default();
            pick(&el);
        } else if move_focus(&el, &key) {
            ev.prevent_default();
        }
    };
    let chosen = move || chosen_codes.get();
    view! {
        <p>{texts.t(Msg::PainIntro)}</p>
        <div class="mi-maps" node_ref=maps inner_html=markup on:click=on_click on:keydown=on_key></div>
        <h3 class="mi-subheading" id="mi-pain-chosen">{texts.t(Msg::PainChosen)}</h3>
        <p class="mi-hint" id="mi-pain-scale">{texts.t(Msg::PainIntensity)}</p>
        <p class="mi-hint" hidden=move || chosen_codes.with(|c| !c.is_empty())>{texts.t(Msg::PainNone)}</p>
        <ul class="mi-pain-list" aria-labelledby="mi-pain-chosen">
            <For each=chosen key=|code| code.clone() let:code>
                <PainRow code form />
            </For>
        </ul>
    }
}

/// One chosen place: its name, its intensity and a way to remove it.
#[component]
fn PainRow(code: String, form: FormContext) -> impl IntoView {
    let texts = use_texts();
    let draft = form.draft;
    let name = region_name(texts, &code);
    let id = format!("mi-pain-{}", code.replace('_', "-"));
    let intensity = {
        let code = code.clone();
        move || {
            draft.with(|d| {
                d.pain
                    .iter()
                    .find(|p| p.region == code)
                    .and_then(|p| p.intensity)
            })
        }
    };
    let set = {
        let code = code.clone();
        move |typed: String| {
            let value: u8 = typed.parse().unwrap_or(0).min(10);
            form.edit(|d| {
                if let Some(p) = d.pain.iter_mut().find(|p| p.region == code) {
                    p.intensity = Some(value);
                }
            });
        }
    };
    let remove = {
        let code = code.clone();
        move |_| form.edit(|d| toggle(&mut d.pain, &code))
    };
    let intensity_text = {
        let intensity = intensity.clone();
        move || match intensity() {
            Some(n) => texts.f(Msg::PainIntensityShort, &[("intensity", &n.to_string())]),
            None => texts.t(Msg::PainNotRated).to_owned(),
        }
    };
    // Its place in the submission's list, for its error ("please rate it").
    let errors = form.errors;
    let error = Memo::new({
        let code = code.clone();
        move |_| {
            let index = draft.with(|d| d.pain.iter().position(|p| p.region == code));
            let path = index.map(|i| format!("pain[{i}].intensity"));
            errors.with(|all| all.iter().find(|e| Some(&e.path) == path.as_ref()).cloned())
        }
    });
    let error_id = format!("{id}-error");
    let described = {
        let error_id = error_id.clone();
        move || match error.with(Option::is_some) {
            true => format!("mi-pain-scale {error_id}"),
            false => "mi-pain-scale".to_owned(),
        }
    };
    view! {
        <li class="mi-pain-row">
            <label class="mi-label" for=id.clone()>{name}</label>
            <input
                class="mi-range"
                type="range"
                min="0"
                max="10"
                step="1"
                id=id
                class:mi-range--unset={
                    let intensity = intensity.clone();
                    move || intensity().is_none()
                }
                aria-describedby=described
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-valuetext=intensity_text.clone()
                prop:value=move || intensity().unwrap_or(5).to_string()
                on:input={
                    let set = set.clone();
                    move |ev| set(event_target_value(&ev))
                }
                // A tap on the value already shown rates it too.
                on:click=move |ev| set(event_target_value(&ev))
            />
            <span class="mi-pain-value" aria-hidden="true">{intensity_text}</span>
            {move || error.get().map(|e| view! { <p class="mi-error" id=error_id.clone()>{texts.error_or(&e, Msg::PainRateRequired)}</p> })}
            <button type="button" class="mi-more mi-remove" on:click=remove>
                {texts.f(Msg::PainRemove, &[("region", name)])}
            </button>
        </li>
    }
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
                    let apart = a.1 + a.3 <= b.1
                        || b.1 + b.3 <= a.1
                        || a.2 + a.4 <= b.2
                        || b.2 + b.4 <= a.2;
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
        for (code, x, y, w, h) in FRONT.iter().chain(BACK) {
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
                .map(|s| s.1)
                .expect(code)
        };
        assert!(x(FRONT, "front_knee_left") > x(FRONT, "front_knee_right"));
        assert!(x(BACK, "back_calf_left") < x(BACK, "back_calf_right"));
    }

    #[test]
    fn toggling_adds_then_removes() {
        let mut pain = Vec::new();
        toggle(&mut pain, "front_knee_left");
        toggle(&mut pain, "back_calf_left");
        assert_eq!(pain.len(), 2);
        assert_eq!(pain[0].intensity, None, "not rated until the patient says");
        toggle(&mut pain, "front_knee_left");
        assert_eq!(pain.len(), 1);
        assert_eq!(pain[0].region, "back_calf_left");
    }
}
