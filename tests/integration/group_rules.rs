//! Security group rules are a set named by their content (protocol, ports, source): a rule
//! added beside another that is re-described reads as exactly those two rules, and ignore rules
//! and `accept` address a rule by what it is, not by where it sorts.

use aws_sdk_ec2::types::{IpPermission, IpRange};
use serde_json::{json, Value};

use crate::harness::{entry, Moto};

const HTTPS: &str = "aws_security_group:*:/IpPermissions/tcp 443 10.0.0.0/8";

struct Env {
    moto: Moto,
    ec2: aws_sdk_ec2::Client,
    group: String,
}

fn rule(port: i32, cidr: &str, description: Option<&str>) -> IpPermission {
    let mut range = IpRange::builder().cidr_ip(cidr);
    if let Some(d) = description {
        range = range.description(d);
    }
    IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(port)
        .to_port(port)
        .ip_ranges(range.build())
        .build()
}

/// A group allowing `443/tcp from 10.0.0.0/8` ("https"), snapshotted.
async fn snapshotted() -> Env {
    let moto = Moto::start();
    let ec2 = moto.ec2().await;
    let vpc = ec2
        .create_vpc()
        .cidr_block("10.7.0.0/16")
        .send()
        .await
        .unwrap();
    let made = ec2
        .create_security_group()
        .group_name("web")
        .description("web tier")
        .vpc_id(vpc.vpc().unwrap().vpc_id().unwrap())
        .send()
        .await
        .unwrap();
    let group = made.group_id().unwrap().to_string();
    ec2.authorize_security_group_ingress()
        .group_id(&group)
        .ip_permissions(rule(443, "10.0.0.0/8", Some("https")))
        .send()
        .await
        .unwrap();
    moto.driftwatch(&["snapshot", "--kind", "aws_security_group"])
        .expect_code(0);
    Env { moto, ec2, group }
}

impl Env {
    async fn redescribe_https(&self) {
        self.ec2
            .update_security_group_rule_descriptions_ingress()
            .group_id(&self.group)
            .ip_permissions(rule(443, "10.0.0.0/8", Some("https (v2)")))
            .send()
            .await
            .unwrap();
    }

    async fn open_ssh(&self) {
        self.ec2
            .authorize_security_group_ingress()
            .group_id(&self.group)
            .ip_permissions(rule(22, "0.0.0.0/0", None))
            .send()
            .await
            .unwrap();
    }

    /// `check` of the security groups only, as JSON, with `extra` flags.
    fn check(&self, code: i32, extra: &[&str]) -> Value {
        let mut args = vec![
            "check",
            "--no-checks",
            "--kind",
            "aws_security_group",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        self.moto.driftwatch(&args).expect_code(code).json()
    }

    fn changes(&self, report: &Value) -> Value {
        entry(report, "aws_security_group", &self.group)["changes"].clone()
    }

    fn golden(&self) -> Value {
        let path = self
            .moto
            .path(&format!("golden/aws_security_group/{}.json", self.group));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }
}

fn ssh_added() -> Value {
    json!({"path": "/IpPermissions/tcp 22 0.0.0.0~10", "op": "added",
           "actual": {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "0.0.0.0/0"}})
}

#[tokio::test]
async fn a_rule_added_while_another_is_re_described_reads_as_exactly_those_two() {
    let env = snapshotted().await;
    env.open_ssh().await;
    env.redescribe_https().await;

    let report = env.check(1, &[]);
    assert_eq!(
        env.changes(&report),
        json!([
            ssh_added(),
            {"path": "/IpPermissions/tcp 443 10.0.0.0~18/Description", "op": "changed",
             "expected": "https", "actual": "https (v2)"}
        ])
    );

    let console = env
        .moto
        .driftwatch(&["check", "--no-checks", "--kind", "aws_security_group"])
        .expect_code(1)
        .stdout;
    assert!(
        console.contains("· ingress rule tcp 22 from 0.0.0.0/0 added\n"),
        "{console}"
    );
    assert!(
        console.contains(
            "· ingress rule tcp 443 from 10.0.0.0/8 re-described: \"https\" → \"https (v2)\"\n"
        ),
        "{console}"
    );
}

#[tokio::test]
async fn an_ignore_rule_names_a_rule_by_its_content_wherever_it_sorts() {
    let env = snapshotted().await;
    env.redescribe_https().await;
    // The rule as a person writes it (`/` in the CIDR as is) and as a JSON Pointer has it.
    env.check(0, &["--ignore", HTTPS]);
    let escaped = "aws_security_group:*:/IpPermissions/tcp 443 10.0.0.0~18/Description";
    env.check(0, &["--ignore", escaped]);

    // A rule that sorts before the ignored one: the ignore still names the 443 rule only.
    env.open_ssh().await;
    let report = env.check(1, &["--ignore", HTTPS]);
    assert_eq!(env.changes(&report), json!([ssh_added()]));
    let report = env.check(
        1,
        &["--ignore", "aws_security_group:*:/IpPermissions/tcp 22 *"],
    );
    assert_eq!(
        env.changes(&report),
        json!([{"path": "/IpPermissions/tcp 443 10.0.0.0~18/Description", "op": "changed",
                "expected": "https", "actual": "https (v2)"}])
    );
}

#[tokio::test]
async fn accept_keeps_the_golden_value_of_an_ignored_rule() {
    let env = snapshotted().await;
    env.redescribe_https().await;
    env.open_ssh().await;

    let target = format!("aws_security_group:{}", env.group);
    env.moto
        .driftwatch(&["accept", &target, "--ignore", HTTPS])
        .expect_code(0);
    let rules = &env.golden()["IpPermissions"];
    assert_eq!(
        rules["tcp 443 10.0.0.0/8"]["Description"], "https",
        "the ignored rule keeps its golden value: {rules:#}"
    );
    assert_eq!(rules["tcp 22 0.0.0.0/0"]["FromPort"], 22, "{rules:#}");

    env.check(0, &["--ignore", HTTPS]);
    let report = env.check(1, &[]);
    assert_eq!(
        env.changes(&report),
        json!([{"path": "/IpPermissions/tcp 443 10.0.0.0~18/Description", "op": "changed",
                "expected": "https", "actual": "https (v2)"}])
    );
}
