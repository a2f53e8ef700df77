//! The About step: who the patient is, where they live, whom to call in an
//! emergency and their primary-care provider.

use intake_core::Msg;

use super::FieldSpec;

pub(super) const ABOUT: &[FieldSpec] = &[
    text!(
        "patient.given_name",
        FieldGivenName,
        "text",
        "given-name",
        given_name
    ),
    text!(
        "patient.family_name",
        FieldFamilyName,
        "text",
        "family-name",
        family_name
    ),
    text!(
        "patient.date_of_birth",
        FieldDateOfBirth,
        "date",
        "bday",
        date_of_birth
    ),
    text!("patient.phone", FieldPhone, "tel", "tel", phone)
        .hint(Msg::FieldPhoneHint)
        .inputmode("tel"),
    text!("patient.email", FieldEmail, "email", "email", email)
        .hint(Msg::FieldEmailHint)
        .optional(),
];

pub(super) const ADDRESS: &[FieldSpec] = &[
    text!(
        "patient.address.line1",
        FieldAddressLine1,
        "text",
        "address-line1",
        address_line1
    ),
    text!(
        "patient.address.line2",
        FieldAddressLine2,
        "text",
        "address-line2",
        address_line2
    )
    .optional(),
    text!(
        "patient.address.city",
        FieldCity,
        "text",
        "address-level2",
        city
    ),
    text!(
        "patient.address.region",
        FieldRegion,
        "text",
        "address-level1",
        region
    )
    .hint(Msg::FieldRegionHint),
    text!(
        "patient.address.postal_code",
        FieldPostalCode,
        "text",
        "postal-code",
        postal_code
    ),
];

pub(super) const EMERGENCY: &[FieldSpec] = &[
    text!(
        "patient.emergency_contact.name",
        FieldEmergencyName,
        "text",
        "off",
        emergency_name
    ),
    text!(
        "patient.emergency_contact.relationship",
        FieldEmergencyRelationship,
        "text",
        "off",
        emergency_relationship
    ),
    text!(
        "patient.emergency_contact.phone",
        FieldEmergencyPhone,
        "tel",
        "off",
        emergency_phone
    )
    .inputmode("tel"),
];

pub(super) const PRIMARY_CARE: &[FieldSpec] = &[
    text!(
        "patient.primary_care.name",
        FieldPcpName,
        "text",
        "off",
        pcp_name
    ),
    text!(
        "patient.primary_care.practice",
        FieldPcpPractice,
        "text",
        "off",
        pcp_practice
    )
    .optional(),
    text!(
        "patient.primary_care.phone",
        FieldPcpPhone,
        "tel",
        "off",
        pcp_phone
    )
    .inputmode("tel")
    .optional(),
    text!(
        "patient.primary_care.fax",
        FieldPcpFax,
        "tel",
        "off",
        pcp_fax
    )
    .inputmode("tel")
    .optional(),
];
