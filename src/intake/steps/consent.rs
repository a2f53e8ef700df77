//! The Consent step: the consents, a guardian for a minor, the signature.

use intake_core::{IntakeDraft, Msg};

use super::FieldSpec;

pub(super) const TREATMENT_CONSENT: &[FieldSpec] = &[consent!(
    "consents.treatment",
    FieldConsentTreatment,
    consent_treatment,
    consent_treatment_at
)
.hint(Msg::FieldConsentTreatmentHint)];
pub(super) const PRIVACY_CONSENT: &[FieldSpec] = &[consent!(
    "consents.privacy_notice",
    FieldConsentPrivacy,
    consent_privacy,
    consent_privacy_at
)
.hint(Msg::FieldConsentPrivacyHint)];
pub(super) const SHARE_CONSENT: &[FieldSpec] = &[consent!(
    "consents.share_with_primary_care",
    FieldConsentShare,
    consent_share,
    consent_share_at
)
.hint(Msg::FieldConsentShareHint)
.optional()];

pub(super) const GUARDIAN: &[FieldSpec] = &[
    text!(
        "consents.guardian.name",
        FieldGuardianName,
        "text",
        "off",
        guardian_name
    )
    .also(&["consents.guardian"]),
    text!(
        "consents.guardian.relationship",
        FieldGuardianRelationship,
        "text",
        "off",
        guardian_relationship
    )
    .hint(Msg::FieldGuardianRelationshipHint),
    text!(
        "consents.guardian.phone",
        FieldGuardianPhone,
        "tel",
        "off",
        guardian_phone
    )
    .inputmode("tel"),
];

/// The typed signature, the accessible alternative to drawing.
pub const TYPED_SIGNATURE: FieldSpec = text!(
    "signature.typed_name",
    FieldSignatureName,
    "text",
    "off",
    signature_name
)
.hint(Msg::FieldSignatureNameHint)
.also(&["signature.method", "signature.svg_path"])
.required_msg(Msg::SignatureRequired);

pub(super) fn is_minor(d: &IntakeDraft) -> bool {
    d.is_minor_on(crate::intake::today())
}
