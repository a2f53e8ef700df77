//! Where it hurts: a body map, front and back, whose regions are buttons
//! (name, pressed state, keyboard), and the chosen places listed as text with
//! a 0-10 intensity each. The map is static SVG markup with one delegated
//! handler (cheaper than a view per region); the list is reactive.

use intake_core::{Msg, PainDraft};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::field::{message_view, FormContext};
use super::figure::{figure_markup, move_focus, region_name, region_of, BACK, FRONT};

use crate::text::use_texts;
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

/// The body map and the list of chosen places.
#[component]
pub fn BodyMap(form: FormContext) -> impl IntoView {
    let texts = use_texts();
    let draft = form.draft;
    let markup = draft.with_untracked(|d| {
        figure_markup(texts, FRONT, Msg::PainFront, true, &d.pain)
            + &figure_markup(texts, BACK, Msg::PainBack, false, &d.pain)
    });
    // The pressed state follows the answers (a region removed from the list
    // is released on the map too).
    let chosen_codes = Memo::new(move |_| {
        draft.with(|d| d.pain.iter().map(|p| p.region.clone()).collect::<Vec<_>>())
    });
    Effect::new(move |_| {
        let chosen = chosen_codes.get();
        // Found in the page, not by a node reference (which cost the module
        // more): the map is in the page before any answer changes.
        let Some(maps) = document().query_selector(".mi-maps").ok().flatten() else {
            return;
        };
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
        <div class="mi-maps" inner_html=markup on:click=on_click on:keydown=on_key></div>
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
            // Read as the form reads other whole numbers (one parser in the module).
            let value = typed.parse::<u32>().unwrap_or(0).min(10) as u8;
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
                class={
                    let intensity = intensity.clone();
                    move || if intensity().is_none() { "mi-range mi-range--unset" } else { "mi-range" }
                }
                type="range"
                min="0"
                max="10"
                step="1"
                id=id
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
            {move || error.get().map(|e| message_view("mi-error", error_id.clone(), texts.error_or(&e, Msg::PainRateRequired)))}
            <button type="button" class="mi-more mi-remove" on:click=remove>
                {texts.f(Msg::PainRemove, &[("region", name)])}
            </button>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
