//! SARIF 2.1.0 (`--format sarif`), for GitHub code scanning and other
//! viewers: every rule that reported, with its help and legal basis; results
//! with their region and snippet, a fingerprint that survives moved lines,
//! and the replacement as a fix where there is one.

use super::Report;
use crate::diagnostic::Diagnostic;
use crate::rules::Severity;
use serde_sarif::sarif::{
    ArtifactChange, ArtifactContent, ArtifactLocation, Fix, Location, Message, MultiformatMessageString,
    PhysicalLocation, Region, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Tool,
    ToolComponent, SCHEMA_URL,
};
use std::collections::BTreeMap;

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

/// A rule's descriptor: its title, its explanation (first paragraph as the
/// full description, the whole as help) and its legal basis with quotes.
fn descriptor(d: &Diagnostic) -> ReportingDescriptor {
    let explanation = d.explanation.trim();
    let first =
        explanation.split("\n\n").next().unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ");
    let mut text = vec![if explanation.is_empty() { d.title.to_string() } else { explanation.to_string() }];
    let mut markdown = text.clone();
    if !d.legal_basis.is_empty() {
        text.extend(d.legal_basis.iter().map(|l| l.plain()));
        markdown
            .push(d.legal_basis.iter().map(|l| format!("- {}", l.markdown())).collect::<Vec<_>>().join("\n"));
    }
    let help =
        MultiformatMessageString::builder().text(text.join("\n\n")).markdown(markdown.join("\n\n")).build();
    let mut rule = ReportingDescriptor::builder()
        .id(d.rule.to_string())
        .short_description(MultiformatMessageString::builder().text(d.title.to_string()).build())
        .help(help)
        .build();
    if !first.is_empty() {
        rule.full_description = Some(MultiformatMessageString::builder().text(first).build());
    }
    rule.help_uri = d.legal_basis.iter().find_map(|l| l.url.clone());
    rule
}

fn region(d: &Diagnostic) -> Region {
    let mut region = Region::builder()
        .start_line(d.start.line as i64)
        .start_column(d.start.column as i64)
        .end_line(d.end.line as i64)
        .end_column(d.end.column as i64)
        .build();
    if !d.snippet.is_empty() {
        region.snippet = Some(ArtifactContent::builder().text(d.snippet.clone()).build());
    }
    region
}

/// The artifact's URI: a relative reference for a relative path, a `file:`
/// URI for an absolute one (SARIF accepts no bare absolute path), with the
/// characters a URI cannot hold (spaces, accents) percent-encoded.
fn artifact_uri(path: &std::path::Path) -> String {
    if path.is_absolute() {
        if let Ok(url) = url::Url::from_file_path(path) {
            return url.to_string();
        }
    }
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn result(d: &Diagnostic, rule_index: usize) -> SarifResult {
    let uri = artifact_uri(&d.path);
    let location = Location::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(ArtifactLocation::builder().uri(uri.clone()).build())
                .region(region(d))
                .build(),
        )
        .build();
    let fingerprint = format!("{}:{}:{}", d.rule, d.section.as_deref().unwrap_or(""), d.matched);
    let mut result = SarifResult::builder()
        .rule_id(d.rule.to_string())
        .rule_index(rule_index as i64)
        .level(level(d.severity))
        .message(Message::builder().text(d.message.clone()).build())
        .locations(vec![location])
        .partial_fingerprints(BTreeMap::from([("clausier/v1".to_string(), fingerprint)]))
        .build();
    if let Some(fix) = &d.fix {
        let mut deleted = region(d);
        deleted.snippet = None;
        let change = ArtifactChange::builder()
            .artifact_location(ArtifactLocation::builder().uri(uri).build())
            .replacements(vec![serde_sarif::sarif::Replacement::builder()
                .deleted_region(deleted)
                .inserted_content(ArtifactContent::builder().text(fix.replacement.clone()).build())
                .build()])
            .build();
        result.fixes = Some(vec![Fix::builder()
            .description(Message::builder().text(format!("« {} »", fix.replacement)).build())
            .artifact_changes(vec![change])
            .build()]);
    }
    result
}

/// Renders `report` as a SARIF 2.1.0 log.
pub fn render(report: &Report) -> String {
    let mut rules: Vec<ReportingDescriptor> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut results = Vec::new();
    for d in report.diagnostics() {
        let i = *index.entry(d.rule.to_string()).or_insert_with(|| {
            rules.push(descriptor(d));
            rules.len() - 1
        });
        results.push(result(d, i));
    }
    let driver = ToolComponent::builder()
        .name("clausier")
        .version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/clausier/clausier")
        .rules(rules)
        .build();
    let mut run = Run::builder().tool(Tool::builder().driver(driver).build()).results(results).build();
    // Columns count characters, as in every clausier output.
    run.column_kind = Some(serde_json::json!("unicodeCodePoints"));
    let log = Sarif::builder().schema(SCHEMA_URL).version(serde_json::json!("2.1.0")).runs(vec![run]).build();
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::artifact_uri;
    use std::path::Path;

    #[test]
    fn uris_are_valid_references() {
        assert_eq!(artifact_uri(Path::new("dce/rc.md")), "dce/rc.md");
        assert_eq!(artifact_uri(Path::new("dce/CCAP TMA été.md")), "dce/CCAP%20TMA%20%C3%A9t%C3%A9.md");
        assert_eq!(artifact_uri(Path::new("/srv/dce/CCAP TMA.md")), "file:///srv/dce/CCAP%20TMA.md");
    }
}
