//! The fixed vocabularies of the intake. Each code is a stable contract with
//! the clinic's systems; the words a patient reads come from the translations.

use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $code:literal, )* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        pub enum $name { $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )* }

        impl $name {
            /// Every value, in the order a form lists them.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )* ];

            /// The stable code written in JSON.
            pub const fn code(self) -> &'static str {
                match self { $( $name::$variant => $code, )* }
            }

            /// The value written as `code`.
            pub fn from_code(code: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.code() == code)
            }
        }
    };
}

vocabulary! {
    /// Health conditions a therapist must know about.
    Condition {
        BloodClots = "blood_clots",
        VaricoseVeins = "varicose_veins",
        HighBloodPressure = "high_blood_pressure",
        HeartCondition = "heart_condition",
        Stroke = "stroke",
        DiscInjury = "disc_injury",
        Osteoporosis = "osteoporosis",
        Arthritis = "arthritis",
        Fibromyalgia = "fibromyalgia",
        Fracture = "fracture",
        JointReplacement = "joint_replacement",
        SkinCondition = "skin_condition",
        OpenWounds = "open_wounds",
        CancerHistory = "cancer_history",
        CancerInTreatment = "cancer_in_treatment",
        Diabetes = "diabetes",
        /// Needs the date, in `health.surgery_or_injury_date`.
        RecentSurgeryOrInjury = "recent_surgery_or_injury",
        FeverOrContagious = "fever_or_contagious",
        /// Needs the weeks, in `health.pregnancy_weeks`.
        Pregnancy = "pregnancy",
        Headaches = "headaches",
        NumbnessOrTingling = "numbness_or_tingling",
        /// "None of these": an answer, ticked on its own (`massage-intake/2`).
        NoneOfThese = "none",
    }
}

vocabulary! {
    /// Allergies and sensitivities that change what the therapist uses.
    Allergen {
        Oils = "oils",
        Lotions = "lotions",
        Nuts = "nuts",
        Latex = "latex",
        Fragrance = "fragrance",
        /// "None of these": an answer, ticked on its own (`massage-intake/2`).
        NoneOfThese = "none",
    }
}

vocabulary! {
    /// What the patient hopes treatment does.
    Goal {
        ReducePain = "reduce_pain",
        ImproveMobility = "improve_mobility",
        RecoverFromInjury = "recover_from_injury",
        ReduceStress = "reduce_stress",
        SleepBetter = "sleep_better",
        ImprovePosture = "improve_posture",
    }
}

vocabulary! {
    /// Preferred pressure.
    Pressure {
        Light = "light",
        Medium = "medium",
        Firm = "firm",
        NoPreference = "no_preference",
    }
}

vocabulary! {
    /// Massage before.
    PriorMassage {
        Never = "never",
        Occasionally = "occasionally",
        Regularly = "regularly",
    }
}

vocabulary! {
    /// Treatment on a prescription, as billed (CPT).
    Modality {
        /// Massage therapy.
        Massage = "97124",
        /// Manual therapy techniques (myofascial release, mobilisation).
        ManualTherapy = "97140",
        /// Neuromuscular re-education.
        NeuromuscularReeducation = "97112",
    }
}

vocabulary! {
    /// Who pays.
    PayerKind {
        SelfPay = "self_pay",
        HealthInsurance = "health_insurance",
        AutoAccident = "auto_accident",
        WorkersComp = "workers_comp",
    }
}

vocabulary! {
    /// How the policyholder is related to the patient.
    SubscriberRelationship {
        SelfInsured = "self",
        Spouse = "spouse",
        Parent = "parent",
        Other = "other",
    }
}

vocabulary! {
    /// How the patient signed.
    SignatureMethod {
        /// Drawn with a finger, pen or mouse: SVG path data.
        Drawn = "drawn",
        /// The accessible alternative: the full name typed.
        Typed = "typed",
    }
}

vocabulary! {
    /// What a file is.
    AttachmentKind {
        PrescriptionPhoto = "prescription_photo",
    }
}

vocabulary! {
    /// A region of the body map: front or back, left or right as the
    /// patient's own sides.
    BodyRegion {
        FrontHead = "front_head",
        FrontNeck = "front_neck",
        FrontShoulderLeft = "front_shoulder_left",
        FrontShoulderRight = "front_shoulder_right",
        FrontChestLeft = "front_chest_left",
        FrontChestRight = "front_chest_right",
        FrontUpperArmLeft = "front_upper_arm_left",
        FrontUpperArmRight = "front_upper_arm_right",
        FrontForearmLeft = "front_forearm_left",
        FrontForearmRight = "front_forearm_right",
        FrontHandLeft = "front_hand_left",
        FrontHandRight = "front_hand_right",
        FrontAbdomen = "front_abdomen",
        FrontHipLeft = "front_hip_left",
        FrontHipRight = "front_hip_right",
        FrontThighLeft = "front_thigh_left",
        FrontThighRight = "front_thigh_right",
        FrontKneeLeft = "front_knee_left",
        FrontKneeRight = "front_knee_right",
        FrontShinLeft = "front_shin_left",
        FrontShinRight = "front_shin_right",
        FrontFootLeft = "front_foot_left",
        FrontFootRight = "front_foot_right",
        BackHead = "back_head",
        BackNeckLeft = "back_neck_left",
        BackNeckRight = "back_neck_right",
        BackShoulderLeft = "back_shoulder_left",
        BackShoulderRight = "back_shoulder_right",
        BackUpperLeft = "back_upper_left",
        BackUpperRight = "back_upper_right",
        BackMidLeft = "back_mid_left",
        BackMidRight = "back_mid_right",
        BackLowerLeft = "back_lower_left",
        BackLowerRight = "back_lower_right",
        BackUpperArmLeft = "back_upper_arm_left",
        BackUpperArmRight = "back_upper_arm_right",
        BackGluteLeft = "back_glute_left",
        BackGluteRight = "back_glute_right",
        BackHamstringLeft = "back_hamstring_left",
        BackHamstringRight = "back_hamstring_right",
        BackCalfLeft = "back_calf_left",
        BackCalfRight = "back_calf_right",
    }
}

vocabulary! {
    /// How much a flag changes the visit.
    Severity {
        /// Do not treat until it is resolved (clearance, rescheduling).
        Stop = "stop",
        /// Treat, adapted.
        Caution = "caution",
    }
}

vocabulary! {
    /// What the therapist should do.
    FlagCode {
        PhysicianClearance = "physician_clearance",
        CancerClearance = "cancer_clearance",
        SurgeryClearance = "surgery_clearance",
        Reschedule = "reschedule",
        PrenatalPositioning = "prenatal_positioning",
        LightPressure = "light_pressure",
        NutFreeLubricant = "nut_free_lubricant",
        LatexFreeGloves = "latex_free_gloves",
        HypoallergenicLubricant = "hypoallergenic_lubricant",
        AvoidArea = "avoid_area",
        /// A health question is not answered (a `massage-intake/1` submission,
        /// whose unticked boxes cannot be told from "no"): ask before treating.
        HealthUnknown = "health_unknown",
    }
}

/// One flag on a submission.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Flag {
    pub code: FlagCode,
    pub severity: Severity,
}

impl BodyRegion {
    /// On the back of the body map.
    pub fn is_back(self) -> bool {
        self.code().starts_with("back_")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_and_round_trip() {
        fn check<T: Copy + PartialEq + std::fmt::Debug + Serialize>(
            all: &[T],
            code: fn(T) -> &'static str,
            from: fn(&str) -> Option<T>,
        ) {
            for (i, v) in all.iter().enumerate() {
                let c = code(*v);
                assert!(
                    c.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                    "{c}"
                );
                assert_eq!(from(c), Some(*v));
                assert_eq!(
                    serde_json::to_value(v).ok(),
                    Some(serde_json::Value::from(c))
                );
                assert!(all[..i].iter().all(|o| code(*o) != c), "{c} twice");
            }
        }
        check(Condition::ALL, Condition::code, Condition::from_code);
        check(Allergen::ALL, Allergen::code, Allergen::from_code);
        check(Goal::ALL, Goal::code, Goal::from_code);
        check(Pressure::ALL, Pressure::code, Pressure::from_code);
        check(
            PriorMassage::ALL,
            PriorMassage::code,
            PriorMassage::from_code,
        );
        check(Modality::ALL, Modality::code, Modality::from_code);
        check(PayerKind::ALL, PayerKind::code, PayerKind::from_code);
        check(
            SubscriberRelationship::ALL,
            SubscriberRelationship::code,
            SubscriberRelationship::from_code,
        );
        check(
            SignatureMethod::ALL,
            SignatureMethod::code,
            SignatureMethod::from_code,
        );
        check(
            AttachmentKind::ALL,
            AttachmentKind::code,
            AttachmentKind::from_code,
        );
        check(BodyRegion::ALL, BodyRegion::code, BodyRegion::from_code);
    }

    #[test]
    fn the_body_map_has_both_sides_of_each_paired_region() {
        for region in BodyRegion::ALL {
            let code = region.code();
            if let Some(stem) = code.strip_suffix("_left") {
                assert!(
                    BodyRegion::from_code(&format!("{stem}_right")).is_some(),
                    "{code} has no right side"
                );
            }
        }
        assert_eq!(BodyRegion::ALL.iter().filter(|r| r.is_back()).count(), 19);
        assert_eq!(BodyRegion::ALL.len(), 42);
    }
}
