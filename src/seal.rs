//! Sealing a submission to the clinic's public key, with the `intake-seal`
//! module (loaded through the bridge only when a key is configured).

use crate::bridge::Unavailable;

/// The envelope's JSON for `body`, sealed to `public_key`.
pub async fn seal(
    body: &str,
    id: &str,
    content_type: &str,
    public_key: &str,
) -> Result<String, Unavailable> {
    let mut seed = [0u8; 32];
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut seed).ok())
        .ok_or(Unavailable)?;
    crate::bridge::seal(body, id, content_type, public_key, &seed).await
}
