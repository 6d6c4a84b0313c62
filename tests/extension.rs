//! The VS Code extension's own checks: type-checking and its unit tests
//! (node's test runner), run from `cargo test` so that one command runs
//! everything. `.ci/run` installs its npm packages (`npm ci --prefix vscode-extension`).

use std::path::Path;
use std::process::Command;

#[test]
#[ignore = "needs the extension's npm packages: npm ci --prefix vscode-extension (.ci/run installs them)"]
fn extension_type_checks_and_passes_its_unit_tests() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vscode-extension");
    assert!(dir.join("node_modules").is_dir(), "run `npm ci --prefix vscode-extension` first");
    for args in [&["exec", "--", "tsc", "-p", "."][..], &["test"][..]] {
        let out = Command::new("npm").args(args).current_dir(&dir).output().unwrap();
        assert!(
            out.status.success(),
            "npm {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
