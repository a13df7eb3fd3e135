//! Faults of the live side that must never give a wrong answer: an account that cannot be told
//! (nothing is compared, nothing enters the history), a host name that does not resolve (one
//! attempt, the host named), and EC2's `RequestExpired` (said as rejected credentials).

use serde_json::Value;

use crate::faults::seeded;
use crate::harness::FaultProxy;

fn errors(report: &Value) -> &Vec<Value> {
    report["errors"].as_array().unwrap()
}

#[tokio::test]
async fn ec2_request_expired_says_the_credentials_were_rejected() {
    let moto = seeded().await;
    let proxy = FaultProxy::start(&moto, &["--fail", "DescribeSecurityGroups=RequestExpired"]);
    let args = ["check", "--no-checks", "--format", "json", "--kind"];
    let report = proxy
        .driftwatch(&moto, &[&args[..], &["aws_security_group"]].concat())
        .expect_code(2)
        .json();
    let message = errors(&report)[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("ec2:DescribeSecurityGroups failed: RequestExpired: ")
            && message.contains("AWS rejected the credentials as expired or invalid: refresh them"),
        "{message}"
    );
}
