//! The web-free heart of massage-intake.
//!
//! The widget and the reference receiver both use exactly this code, so the
//! browser and the server can never disagree about what a valid submission is.
//! Nothing here touches the DOM or the network.

pub mod config;
pub mod i18n;
pub mod phone;
pub mod submission;
pub mod validate;

pub use config::{
    ConfigProblem, ConfigValue, Endpoint, Mode, ResolvedConfig, StartView, WidgetConfig,
};
pub use i18n::{parts, Catalog, Locale, Msg, Part};
pub use submission::{
    uuid_v4_from_bytes, ConsentRecord, Consents, IntakeDraft, Patient, Submission, SubmitContext,
    SCHEMA,
};
pub use validate::{ErrorCode, FieldError};
