//! The form's rules: `intake-core` linked into the form module and called
//! directly, the same rules the receiver applies.

use intake_core::{Date, FieldError, IntakeDraft, Rules, SubmitContext};

/// What the rules said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    pub errors: Vec<FieldError>,
    /// Problems that do not block (an old prescription).
    pub warnings: Vec<FieldError>,
    /// The submission's `massage-intake/2` JSON, when there are no errors.
    pub body: Option<String>,
}

/// Checks the answers as of `today` (the patient's local date) and, when
/// they are valid, writes the submission.
pub fn check(draft: &IntakeDraft, context: &SubmitContext, today: Date) -> Checked {
    let (submission, report) = draft.validate(context, &Rules::on(today));
    let body = report
        .is_valid()
        .then(|| crate::json_writer::to_string(&submission))
        .flatten();
    Checked {
        errors: report.errors,
        warnings: report.warnings,
        body,
    }
}
