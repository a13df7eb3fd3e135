//! Hostile data in the HTML report (issue 30): anyone who may tag a queue or register a task
//! definition writes text the report shows. Seeded through the SDK into moto: markup, a
//! `javascript:` URL, a `</style>` and bidi controls in Docker labels, environment names and
//! values and queue tags; snapshotted, then changed, so they are in diffs, in changes in words,
//! in unmanaged resources and in a check finding. Chromium proves none of it runs or changes the
//! page (`tests/browser/hostile.mjs`); a redacted secret is in the file only as its digest.

use crate::browser;
use crate::harness::Moto;
use crate::hostile_text::register;

const SCRIPT: &str = "<script>window.__pwned=1</script>";
const IMG: &str = "\"><img src=x onerror=\"window.__pwned=1\">";
const STYLE: &str = "</style><style>body{display:none}</style>";
const JS_URL: &str = "javascript:window.__pwned=1";
const TEXTAREA: &str = "</textarea>";
const RLO: &str = "left\u{202e}thgir";
const LRI: &str = "iso\u{2066}late";
const SECRET: &str = "hunter2-s3cr3t-9c4e1f";

async fn queue(sqs: &aws_sdk_sqs::Client, name: &str, tags: &[(&str, &str)]) {
    let mut req = sqs.create_queue().queue_name(name);
    for (k, v) in tags {
        req = req.tags(*k, *v);
    }
    req.send().await.expect("CreateQueue");
}

async fn retag(sqs: &aws_sdk_sqs::Client, name: &str, tags: &[(&str, &str)]) {
    let url = sqs.get_queue_url().queue_name(name).send().await.unwrap();
    let mut req = sqs.tag_queue().queue_url(url.queue_url().unwrap());
    for (k, v) in tags {
        req = req.tags(*k, *v);
    }
    req.send().await.expect("TagQueue");
}

/// A queue that does not exist, named by a hostile environment name: a broken reference.
const GONE: &str = "https://sqs.us-east-1.amazonaws.com/123456789012/gone";

#[tokio::test]
async fn hostile_text_is_shown_as_text_and_never_runs_in_the_browser() {
    let moto = Moto::start();
    let ecs = moto.ecs().await;
    let sqs = moto.sqs().await;
    let labels = [(SCRIPT, STYLE), (IMG, JS_URL), (TEXTAREA, RLO)];
    register(
        &ecs,
        "web",
        &labels,
        &[(STYLE, SCRIPT), (LRI, IMG), ("DB_PASSWORD", SECRET)],
    )
    .await;
    queue(&sqs, "jobs", &[("team", SCRIPT), ("note", RLO)]).await;
    moto.driftwatch(&["snapshot"]).expect_code(0);

    // Each value changed, some keys added: diffs and changes in words on both sides.
    let rotated = format!("{SECRET}-rotated");
    register(
        &ecs,
        "web",
        &[
            (SCRIPT, IMG),
            (IMG, TEXTAREA),
            (TEXTAREA, LRI),
            (JS_URL, STYLE),
        ],
        &[
            (STYLE, JS_URL),
            (LRI, SCRIPT),
            ("DB_PASSWORD", &rotated),
            (SCRIPT, GONE),
        ],
    )
    .await;
    retag(&sqs, "jobs", &[("team", IMG), (STYLE, LRI)]).await;
    // Unmanaged: a family and a queue no golden file describes.
    register(&ecs, "intruder", &[(IMG, SCRIPT)], &[(RLO, STYLE)]).await;
    queue(&sqs, "intruder-queue", &[(SCRIPT, IMG), ("dir", RLO)]).await;

    let html = moto.path("hostile.html");
    let json = moto.path("hostile.json");
    let run = moto
        .driftwatch(&[
            "check",
            "--format",
            "json",
            "--report",
            &format!("html={}", html.display()),
        ])
        .expect_code(1);
    std::fs::write(&json, &run.stdout).unwrap();
    let report = run.json();
    let s = &report["summary"];
    assert_eq!(
        (&s["modified"], &s["unmanaged"]),
        (&2.into(), &2.into()),
        "{report:#}"
    );
    let broken = report["checks"].as_array().unwrap();
    assert!(
        broken
            .iter()
            .any(|c| c["check"] == "env-reference"
                && c["message"].as_str().unwrap().contains(SCRIPT)),
        "{report:#}"
    );
    let bytes = std::fs::read_to_string(&html).unwrap();
    assert!(!bytes.contains(SECRET), "the secret is in the HTML report");
    assert!(bytes.contains("sha256:"), "the secret's digest is shown");
    browser::check(
        "hostile.mjs",
        [html.to_string_lossy().into_owned()]
            .into_iter()
            .chain([SCRIPT, IMG, STYLE, JS_URL, TEXTAREA, RLO, LRI].map(String::from)),
    );
}
