//! The widget's files: sent precompressed (brotli, else gzip, else as they
//! are) and cached for a year when their names carry their content hash,
//! checked on each use otherwise.

use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use intake_receiver::{app, is_content_hashed, Settings};
use std::io::Read;
use tower::ServiceExt;

const WASM: &str = "intake-form-0123456789abcdef_bg.wasm";

struct Site {
    router: axum::Router,
    wasm: Vec<u8>,
    _dir: tempfile::TempDir,
}

/// A built widget with one hashed wasm file (with its .br and .gz), the page
/// and embed.js (plain only).
async fn site() -> Site {
    let dir = tempfile::tempdir().expect("temp dir");
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).expect("dist");
    let wasm: Vec<u8> = (0..20_000u32).map(|i| (i % 7) as u8).collect();
    std::fs::write(dist.join(WASM), &wasm).expect("wasm");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gz, &wasm).expect("gzip");
    std::fs::write(dist.join(format!("{WASM}.gz")), gz.finish().expect("gzip")).expect("gz");
    let mut br = Vec::new();
    brotli::BrotliCompress(&mut &wasm[..], &mut br, &Default::default()).expect("brotli");
    std::fs::write(dist.join(format!("{WASM}.br")), br).expect("br");
    std::fs::write(dist.join("index.html"), "<!doctype html><title>t</title>").expect("html");
    std::fs::write(dist.join("embed.js"), "void 0;").expect("embed");
    let mut settings = Settings::new(dir.path().join("intake.sqlite3"));
    settings.dist = Some(dist);
    Site {
        router: app(&settings).await.expect("app"),
        wasm,
        _dir: dir,
    }
}

async fn get(
    site: &Site,
    path: &str,
    accept: &str,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut request = Request::get(path);
    if !accept.is_empty() {
        request = request.header(header::ACCEPT_ENCODING, accept);
    }
    let response = site
        .router
        .clone()
        .oneshot(request.body(axum::body::Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    (status, headers, body)
}

fn header_of(headers: &axum::http::HeaderMap, name: header::HeaderName) -> &str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test]
async fn brotli_then_gzip_then_plain_each_decoding_to_the_same_file() {
    let site = site().await;
    let path = format!("/{WASM}");
    let (status, headers, body) = get(&site, &path, "gzip, deflate, br").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header_of(&headers, header::CONTENT_ENCODING), "br");
    assert_eq!(
        header_of(&headers, header::CONTENT_TYPE),
        "application/wasm"
    );
    assert!(header_of(&headers, header::VARY)
        .to_ascii_lowercase()
        .contains("accept-encoding"));
    let mut decoded = Vec::new();
    brotli::Decompressor::new(&body[..], 4096)
        .read_to_end(&mut decoded)
        .expect("brotli");
    assert_eq!(decoded, site.wasm);
    assert!(
        body.len() < site.wasm.len() / 10,
        "{} bytes sent",
        body.len()
    );

    let (_, headers, body) = get(&site, &path, "gzip").await;
    assert_eq!(header_of(&headers, header::CONTENT_ENCODING), "gzip");
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_end(&mut decoded)
        .expect("gzip");
    assert_eq!(decoded, site.wasm);

    let (_, headers, body) = get(&site, &path, "").await;
    assert_eq!(header_of(&headers, header::CONTENT_ENCODING), "");
    assert_eq!(body, site.wasm);
}

#[tokio::test]
async fn hashed_files_are_kept_for_a_year_the_rest_is_checked_each_time() {
    let site = site().await;
    let (_, headers, _) = get(&site, &format!("/{WASM}"), "br").await;
    assert_eq!(
        header_of(&headers, header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    for path in ["/", "/index.html", "/embed.js"] {
        let (status, headers, _) = get(&site, path, "br").await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(
            header_of(&headers, header::CACHE_CONTROL),
            "no-cache",
            "{path}"
        );
    }
    let (status, headers, _) = get(&site, "/missing-0123456789abcdef.js", "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        header_of(&headers, header::CACHE_CONTROL),
        "no-cache",
        "a miss is not kept"
    );
    let (_, headers, _) = get(&site, "/api/v1/submissions", "").await;
    assert_eq!(header_of(&headers, header::CACHE_CONTROL), "no-store");
}

#[test]
fn content_hashes_are_recognised_in_trunk_names_only() {
    for hashed in [
        "/intake-form-0123456789abcdef_bg.wasm",
        "/massage-intake-d84a989e424e639a.js",
        "/main-4f05b622106439c1.css",
    ] {
        assert!(is_content_hashed(hashed), "{hashed}");
    }
    for plain in [
        "/boot.js",
        "/embed.js",
        "/index.html",
        "/intake.config.json",
        "/a-0123.js",
        "/x-0123456789abcdeg.js",
    ] {
        assert!(!is_content_hashed(plain), "{plain}");
    }
}
