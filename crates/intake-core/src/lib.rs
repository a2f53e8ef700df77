//! The web-free heart of massage-intake.
//!
//! The widget and the reference receiver both use exactly this code, so the
//! browser and the server can never disagree about what a valid submission is.
//! Nothing here touches the DOM or the network.

pub mod base64;
pub mod body;
pub mod config;
pub mod contact;
pub mod date;
pub mod draft;
pub mod expect;
pub mod fhir;
#[cfg(feature = "schema")]
pub mod fhir_questionnaire;
pub mod flags;
pub mod i18n;
pub mod icd10;
pub mod learn;
pub mod npi;
pub mod phone;
#[cfg(feature = "schema")]
pub mod schema;
#[cfg(feature = "seal")]
pub mod sealed;
pub mod submission;
pub mod text;
pub mod validate;
pub mod value;
pub mod vocab;

pub use config::{
    ConfigProblem, ConfigValue, Endpoint, Format, Mode, ResolvedConfig, StartView, WidgetConfig,
};
pub use date::Date;
pub use draft::{
    DiagnosisDraft, IntakeDraft, MedicationDraft, PainDraft, PhotoDraft, Step, SubmitContext,
};
pub use flags::{compute_flags, Flag, FlagCode, Severity};
pub use i18n::{fill, parts, Catalog, Locale, Msg, Part};
pub use submission::{uuid_v4_from_bytes, Submission, SCHEMA};
pub use text::Text;
pub use validate::{ErrorCode, FieldError, Report, Rules};
