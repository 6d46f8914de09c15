//! The UI's main journeys in a real browser: headless Chromium driven by Node's
//! `playwright-core` (tests/browser/journeys.mjs) against a real `rapport serve`.
//!
//! Needs `node`, Debian's `chromium` and `npm ci` in tests/browser; without them the test
//! prints a loud SKIPPED line, and under `RAPPORT_REQUIRE_ALL=1` (CI) it fails instead.
//! Screenshots of the main pages land in target/ui-shots.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{Cli, start};

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Why the browser suite cannot run here, if it cannot.
fn missing() -> Option<String> {
    if !chromium().exists() {
        return Some(format!("no Chromium at {}", chromium().display()));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("no node on PATH".to_owned());
    }
    if !scripts().join("node_modules/playwright-core").exists() {
        return Some(format!("run `npm ci` in {}", scripts().display()));
    }
    None
}

#[test]
fn the_main_journeys_work_in_headless_chromium() {
    if let Some(why) = missing() {
        assert!(
            std::env::var_os("RAPPORT_REQUIRE_ALL").is_none(),
            "browser tests cannot run under RAPPORT_REQUIRE_ALL: {why}"
        );
        eprintln!("SKIPPED browser journeys: {why}");
        return;
    }
    let cli = Cli::new();
    cli.workspace("Acme", "admin@acme.example.com");
    let (server, _) = start(&cli, &[]);
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map_or_else(|| PathBuf::from("target"), Path::to_path_buf)
        .join("ui-shots");
    let out = Command::new("node")
        .arg(scripts().join("journeys.mjs"))
        .current_dir(scripts())
        .env("RAPPORT_URL", format!("http://{}", server.addr))
        .env("RAPPORT_EMAIL", "admin@acme.example.com")
        .env("RAPPORT_PASSWORD", "a calm river at dawn")
        .env("RAPPORT_SHOTS", &shots)
        .env("CHROMIUM", chromium())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}\nscreenshots in {}", shots.display());
    assert!(
        out.status.success(),
        "a browser journey failed:\n{stdout}\n{stderr}\nserver log:\n{}",
        server.log()
    );
}
