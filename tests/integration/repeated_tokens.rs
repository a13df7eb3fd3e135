//! A server that answers a list's next page with the token it was sent (a stuck page). The
//! SDK's generated paginators stop there and end the list as if it were whole, which would make
//! every resource after that page read as missing; driftwatch reads their pages through
//! `aws/pages.rs`, which calls that an error for the kind. Injected by the fault proxy.

use aws_sdk_cloudwatchlogs::Client as Logs;

use crate::harness::{FaultProxy, Moto};

const LOGS: &str = "aws_cloudwatch_log_group";

#[tokio::test]
async fn a_repeated_page_token_is_an_error_not_a_shorter_list() {
    let moto = Moto::start();
    let logs = Logs::new(&moto.sdk_config().await);
    // Three pages of 50 (driftwatch's page size): the second answers the first's token.
    for i in 0..101 {
        logs.create_log_group()
            .log_group_name(format!("/ecs/app-{i:03}"))
            .send()
            .await
            .unwrap();
    }
    moto.driftwatch(&["snapshot", "--kind", LOGS])
        .expect_code(0);
    let clean = moto
        .driftwatch(&["check", "--kind", LOGS, "--format", "json"])
        .expect_code(0)
        .json();
    assert_eq!(clean["summary"]["in_sync"], 101);

    let proxy = FaultProxy::start(&moto, &["--repeat-token", "DescribeLogGroups"]);
    let report = proxy
        .driftwatch(&moto, &["check", "--kind", LOGS, "--format", "json"])
        .expect_code(2)
        .json();
    let errors = report["errors"].to_string();
    assert!(
        errors.contains(
            "logs:DescribeLogGroups: the server answered the token of the page it \
                         was asked for as the next page's"
        ),
        "{errors}"
    );
    // Nothing read as missing: the kind is an error, not 50 deleted log groups.
    assert_eq!(report["summary"]["missing"], 0, "{report:#}");
    assert!(proxy.stats()["repeated_token"].as_u64().unwrap() >= 1);

    // A snapshot through it writes nothing for the kind: no golden file is deleted.
    let run = proxy
        .driftwatch(&moto, &["snapshot", "--kind", LOGS])
        .expect_code(2);
    assert!(
        run.stderr.contains("logs:DescribeLogGroups"),
        "{}",
        run.stderr
    );
    let files = walk(&moto.path("golden/aws_cloudwatch_log_group"));
    assert_eq!(files, 101, "golden files kept");
}

/// The files under `dir`, recursively.
fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| if p.is_dir() { walk(&p) } else { 1 })
        .sum()
}
