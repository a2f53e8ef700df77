//! Text written as markup: the first view, the kiosk's dialogs and the
//! form's static blocks are strings of HTML, and every text in them goes
//! through [`escape`].

use intake_core::{Catalog, Msg};

/// Escapes text for element content and double-quoted attributes.
pub use intake_core::text::escape_html as escape;

/// A sentence with `{clinic}` filled and `{phone}` as a link that dials it.
pub fn tel_sentence(
    catalog: &Catalog,
    msg: Msg,
    clinic: &str,
    phone: &intake_core::phone::PhoneNumber,
) -> String {
    let link = format!(
        r#"<a class="mi-tel" href="tel:{}">{}</a>"#,
        phone.e164(),
        escape(&phone.display())
    );
    intake_core::fill(
        &escape(catalog.text(msg)),
        &[("clinic", &escape(clinic)), ("phone", &link)],
    )
}
