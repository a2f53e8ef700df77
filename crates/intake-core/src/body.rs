//! The body map's regions as drawn: where each sits on the front or back
//! figure (viewBox 200 x 450) and its name. The widget's body map and the
//! staff inbox's chart draw the same figures from this table.

use crate::i18n::Msg;

/// A region on its figure: code, its name, x, y, width, height (viewBox 200 x 450).
pub type Shape = (&'static str, Msg, u16, u16, u16, u16);

/// The front: the patient's left is on the viewer's right.
#[rustfmt::skip]
pub const FRONT: &[Shape] = &[
    ("front_head",            Msg::RegionFrontHead,           78,   6, 44, 44),
    ("front_neck",            Msg::RegionFrontNeck,           80,  52, 40, 24),
    ("front_shoulder_right",  Msg::RegionFrontShoulderRight,  46,  78, 36, 24),
    ("front_shoulder_left",   Msg::RegionFrontShoulderLeft,  118,  78, 36, 24),
    ("front_chest_right",     Msg::RegionFrontChestRight,     68, 104, 31, 46),
    ("front_chest_left",      Msg::RegionFrontChestLeft,     101, 104, 31, 46),
    ("front_upper_arm_right", Msg::RegionFrontUpperArmRight,  36, 104, 28, 66),
    ("front_upper_arm_left",  Msg::RegionFrontUpperArmLeft,  136, 104, 28, 66),
    ("front_forearm_right",   Msg::RegionFrontForearmRight,   28, 172, 28, 64),
    ("front_forearm_left",    Msg::RegionFrontForearmLeft,   144, 172, 28, 64),
    ("front_hand_right",      Msg::RegionFrontHandRight,      22, 238, 30, 34),
    ("front_hand_left",       Msg::RegionFrontHandLeft,      148, 238, 30, 34),
    ("front_abdomen",         Msg::RegionFrontAbdomen,        68, 152, 64, 48),
    ("front_hip_right",       Msg::RegionFrontHipRight,       68, 202, 31, 32),
    ("front_hip_left",        Msg::RegionFrontHipLeft,       101, 202, 31, 32),
    ("front_thigh_right",     Msg::RegionFrontThighRight,     68, 236, 30, 70),
    ("front_thigh_left",      Msg::RegionFrontThighLeft,     102, 236, 30, 70),
    ("front_knee_right",      Msg::RegionFrontKneeRight,      70, 308, 27, 28),
    ("front_knee_left",       Msg::RegionFrontKneeLeft,      103, 308, 27, 28),
    ("front_shin_right",      Msg::RegionFrontShinRight,      72, 338, 25, 66),
    ("front_shin_left",       Msg::RegionFrontShinLeft,      103, 338, 25, 66),
    ("front_foot_right",      Msg::RegionFrontFootRight,      66, 406, 31, 24),
    ("front_foot_left",       Msg::RegionFrontFootLeft,      103, 406, 31, 24),
];

/// The back: the patient's left is on the viewer's left.
#[rustfmt::skip]
pub const BACK: &[Shape] = &[
    ("back_head",            Msg::RegionBackHead,            78,   6, 44, 44),
    ("back_neck_left",       Msg::RegionBackNeckLeft,        76,  52, 23, 24),
    ("back_neck_right",      Msg::RegionBackNeckRight,      101,  52, 23, 24),
    ("back_shoulder_left",   Msg::RegionBackShoulderLeft,    46,  78, 53, 26),
    ("back_shoulder_right",  Msg::RegionBackShoulderRight,  101,  78, 53, 26),
    ("back_upper_left",      Msg::RegionBackUpperLeft,       68, 106, 31, 32),
    ("back_upper_right",     Msg::RegionBackUpperRight,     101, 106, 31, 32),
    ("back_mid_left",        Msg::RegionBackMidLeft,         68, 140, 31, 30),
    ("back_mid_right",       Msg::RegionBackMidRight,       101, 140, 31, 30),
    ("back_lower_left",      Msg::RegionBackLowerLeft,       68, 172, 31, 30),
    ("back_lower_right",     Msg::RegionBackLowerRight,     101, 172, 31, 30),
    ("back_upper_arm_left",  Msg::RegionBackUpperArmLeft,    36, 106, 28, 66),
    ("back_upper_arm_right", Msg::RegionBackUpperArmRight,  136, 106, 28, 66),
    ("back_glute_left",      Msg::RegionBackGluteLeft,       68, 204, 31, 38),
    ("back_glute_right",     Msg::RegionBackGluteRight,     101, 204, 31, 38),
    ("back_hamstring_left",  Msg::RegionBackHamstringLeft,   68, 244, 30, 78),
    ("back_hamstring_right", Msg::RegionBackHamstringRight, 102, 244, 30, 78),
    ("back_calf_left",       Msg::RegionBackCalfLeft,        70, 326, 28, 80),
    ("back_calf_right",      Msg::RegionBackCalfRight,      102, 326, 28, 80),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::BodyRegion;

    #[test]
    fn every_region_is_drawn_once_on_its_own_side_and_named_by_its_key() {
        let english = crate::Catalog::english();
        for region in BodyRegion::ALL {
            let drawn: Vec<&Shape> = FRONT
                .iter()
                .chain(BACK)
                .filter(|s| s.0 == region.code())
                .collect();
            assert_eq!(
                drawn.len(),
                1,
                "{} drawn {} times",
                region.code(),
                drawn.len()
            );
            let on_back = BACK.iter().any(|s| s.0 == region.code());
            assert_eq!(
                on_back,
                region.is_back(),
                "{} on the wrong figure",
                region.code()
            );
            let keyed = Msg::from_key(&format!("region.{}", region.code()));
            assert_eq!(
                keyed,
                Some(drawn[0].1),
                "{} named by another text",
                region.code()
            );
            assert!(!english.text(drawn[0].1).is_empty());
        }
        assert_eq!(FRONT.len() + BACK.len(), BodyRegion::ALL.len());
    }
}
