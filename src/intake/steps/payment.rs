//! The Payment step: the payer's details for each way of paying.

use intake_core::{IntakeDraft, Msg};

use super::{FieldSpec, Options};

pub(super) const RELATIONSHIPS: Options = &[
    ("self", Msg::RelationshipSelf),
    ("spouse", Msg::RelationshipSpouse),
    ("parent", Msg::RelationshipParent),
    ("other", Msg::RelationshipOther),
];

pub(super) const INSURANCE: &[FieldSpec] = &[
    text!(
        "payer.health_insurance.carrier",
        FieldInsuranceCarrier,
        "text",
        "off",
        insurance_carrier
    )
    .also(&["payer.health_insurance"]),
    text!(
        "payer.health_insurance.member_id",
        FieldMemberId,
        "text",
        "off",
        member_id
    ),
    text!(
        "payer.health_insurance.group_number",
        FieldGroupNumber,
        "text",
        "off",
        group_number
    )
    .optional(),
    text!(
        "payer.health_insurance.subscriber_name",
        FieldSubscriberName,
        "text",
        "off",
        subscriber_name
    ),
    radio!(
        "payer.health_insurance.subscriber_relationship",
        FieldSubscriberRelationship,
        RELATIONSHIPS,
        subscriber_relationship
    )
    .optional(),
];

pub(super) const AUTO: &[FieldSpec] = &[
    text!(
        "payer.auto_accident.carrier",
        FieldAutoCarrier,
        "text",
        "off",
        auto_carrier
    )
    .also(&["payer.auto_accident"]),
    text!(
        "payer.auto_accident.claim_number",
        FieldClaimNumber,
        "text",
        "off",
        auto_claim_number
    ),
    text!(
        "payer.auto_accident.date_of_accident",
        FieldAutoDate,
        "date",
        "off",
        auto_date
    ),
    text!(
        "payer.auto_accident.adjuster_name",
        FieldAdjusterName,
        "text",
        "off",
        auto_adjuster_name
    )
    .optional(),
    text!(
        "payer.auto_accident.adjuster_phone",
        FieldAdjusterPhone,
        "tel",
        "off",
        auto_adjuster_phone
    )
    .inputmode("tel")
    .optional(),
];

pub(super) const WORKERS: &[FieldSpec] = &[
    text!(
        "payer.workers_comp.employer",
        FieldWcEmployer,
        "text",
        "off",
        wc_employer
    )
    .also(&["payer.workers_comp"]),
    text!(
        "payer.workers_comp.carrier",
        FieldWcCarrier,
        "text",
        "off",
        wc_carrier
    )
    .optional(),
    text!(
        "payer.workers_comp.claim_number",
        FieldClaimNumber,
        "text",
        "off",
        wc_claim_number
    ),
    text!(
        "payer.workers_comp.date_of_injury",
        FieldWcDate,
        "date",
        "off",
        wc_date
    ),
    text!(
        "payer.workers_comp.adjuster_name",
        FieldAdjusterName,
        "text",
        "off",
        wc_adjuster_name
    )
    .optional(),
    text!(
        "payer.workers_comp.adjuster_phone",
        FieldAdjusterPhone,
        "tel",
        "off",
        wc_adjuster_phone
    )
    .inputmode("tel")
    .optional(),
];

pub(super) fn pays_insurance(d: &IntakeDraft) -> bool {
    d.payer_kind == "health_insurance"
}

pub(super) fn pays_auto(d: &IntakeDraft) -> bool {
    d.payer_kind == "auto_accident"
}

pub(super) fn pays_workers(d: &IntakeDraft) -> bool {
    d.payer_kind == "workers_comp"
}
