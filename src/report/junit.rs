//! JUnit XML (`--format junit`): one test suite a file, one failing test
//! case a finding, one passing test case for a file without findings.

use super::Report;
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

/// Renders `report` as JUnit XML.
pub fn render(report: &Report) -> String {
    let mut junit = quick_junit::Report::new("clausier");
    for file in &report.files {
        let path = file.path.display().to_string();
        let mut suite = TestSuite::new(path.clone());
        if file.diagnostics.is_empty() {
            let mut case = TestCase::new("clausier", TestCaseStatus::success());
            case.set_classname(path.clone());
            suite.add_test_case(case);
        }
        for d in &file.diagnostics {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_message(d.message.clone());
            status.set_type(d.severity.as_str());
            status.set_description(format!(
                "{}:{}:{}: {} [{}]\n{}",
                path, d.start.line, d.start.column, d.message, d.rule, d.snippet
            ));
            let mut case =
                TestCase::new(format!("{} at {}:{}", d.rule, d.start.line, d.start.column), status);
            case.set_classname(path.clone());
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    junit.to_string().unwrap_or_default()
}
