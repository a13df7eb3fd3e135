use std::time::Duration;

use super::{seconds, Cause, FetchError};

fn error(operation: Option<&str>, cause: Cause, hint: Option<&str>) -> String {
    FetchError {
        operation: operation.map(String::from),
        cause,
        hint: hint.map(String::from),
    }
    .to_string()
}

/// The texts fetch failures had as `String`s, which reports and tests quote.
#[test]
fn a_fetch_error_reads_as_one_line_in_the_same_words_as_before() {
    assert_eq!(
        error(
            Some("sqs:ListQueues"),
            Cause::Failed("AccessDenied: not allowed".into()),
            Some("grant it")
        ),
        "sqs:ListQueues failed: AccessDenied: not allowed (grant it)"
    );
    assert_eq!(
        error(
            Some("ecs:ListClusters"),
            Cause::TimedOut(" after 2 s".into()),
            Some("per-attempt timeout, each of its attempts; raise it with --timeout")
        ),
        "ecs:ListClusters timed out after 2 s (per-attempt timeout, each of its attempts; raise \
         it with --timeout)"
    );
    assert_eq!(
        FetchError::of("ecs:DescribeServices", "the response had no body").to_string(),
        "ecs:DescribeServices: the response had no body"
    );
    assert_eq!(
        FetchError::said("no AWS region configured").to_string(),
        "no AWS region configured"
    );
    let deadline = |waiting: Vec<String>| {
        let cause = Cause::Deadline {
            length: Duration::from_secs(3),
            waiting,
        };
        error(None, cause, Some("raise it with --deadline"))
    };
    assert_eq!(
        deadline(vec!["sqs:ListQueues (1)".into()]),
        "timed out: not fetched within the run's deadline of 3 s (raise it with --deadline); \
         still waiting for sqs:ListQueues (1)"
    );
    assert_eq!(
        deadline(Vec::new()),
        "timed out: not fetched within the run's deadline of 3 s (raise it with --deadline)"
    );
}

#[test]
fn seconds_read_naturally() {
    assert_eq!(seconds(Duration::from_secs(2)), "2 s");
    assert_eq!(seconds(Duration::from_millis(1500)), "1.5 s");
}
