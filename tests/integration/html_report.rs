//! The HTML report as a user meets it (issue 30): written by the real binary against moto, then
//! opened from its file in headless Chromium (`tests/browser/*.mjs`), which asserts on the
//! rendered page against the JSON report of the same run. The demo's screenshots for the README
//! are taken here: `DRIFTWATCH_UPDATE_README=1` writes them to `docs/images/`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::browser;
use crate::harness::Moto;
use crate::history::{create, delete, set_visibility};
use crate::readme_demo::{demo_check, demo_with_drift};

const Q: &str = "aws_sqs_queue";

/// Where the screenshots go: the README's images when it is being updated, else `scratch`.
fn screenshot_dir(repo: &Path, scratch: &Path) -> PathBuf {
    if std::env::var_os("DRIFTWATCH_UPDATE_README").is_some() {
        let dir = repo.join("docs/images");
        std::fs::create_dir_all(&dir).unwrap();
        dir
    } else {
        scratch.to_path_buf()
    }
}

#[test]
fn the_demo_report_shows_its_findings_filters_them_and_stays_on_its_file() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let moto = demo_with_drift(repo);
    let html = moto.path("demo.html");
    let json = moto.path("demo.json");
    let reports = [
        format!("html={}", html.display()),
        format!("json={}", json.display()),
    ];
    let run = demo_check(
        repo,
        &moto,
        &repo.join("demo/.driftignore"),
        &["--report", &reports[0], "--report", &reports[1]],
    )
    .expect_code(1);
    assert!(
        run.stdout.starts_with("driftwatch: drift found"),
        "{}",
        run.stdout
    );
    let shots = screenshot_dir(repo, moto.dir.path());
    browser::check("demo.mjs", [&html, &json, &shots]);
    browser::check("page.mjs", [&html, &json]);
}

/// Night `n`: `check --history drift.db`, its JSON report written beside `reports`.
fn night(moto: &Moto, n: u32, reports: &[&str]) -> Value {
    let now = format!("2026-11-{:02}T02:00:00Z", 20 + n);
    let json = format!("json=night-{n}.json");
    let mut args = vec!["check", "--kind", Q, "--history", "drift.db"];
    args.extend(["--report", &json]);
    for r in reports {
        args.extend(["--report", r]);
    }
    let run = moto.driftwatch_with_env(&args, &[("DRIFTWATCH_NOW", now.as_str())]);
    assert!(run.code <= 1, "night {n}: {}", run.stderr);
    let text = std::fs::read(moto.path(&format!("night-{n}.json"))).unwrap();
    serde_json::from_slice(&text).unwrap()
}

#[tokio::test]
async fn three_runs_of_one_history_are_three_points_of_the_trend_chart() {
    let moto = Moto::start();
    let sqs = moto.sqs().await;
    for q in ["jobs", "mail", "old", "spare"] {
        create(&sqs, q).await;
    }
    moto.driftwatch(&["snapshot", "--kind", Q]).expect_code(0);
    set_visibility(&sqs, "jobs", "60").await;
    delete(&sqs, "old").await;
    let first = night(&moto, 1, &[]);
    set_visibility(&sqs, "mail", "45").await;
    create(&sqs, "tmp-new").await;
    let second = night(&moto, 2, &[]);
    create(&sqs, "old").await;
    set_visibility(&sqs, "spare", "10").await;
    let third = night(&moto, 3, &["html=night-3.html"]);
    // The three nights differ, so a chart that mixed them up would show it.
    let counts = |r: &Value| {
        let s = &r["summary"];
        (s["new"].clone(), s["known"].clone(), s["resolved"].clone())
    };
    assert_ne!(counts(&first), counts(&second));
    assert_ne!(counts(&second), counts(&third));
    assert!(third["summary"]["resolved"].as_u64() > Some(0), "{third:#}");
    let files = [
        "night-3.html",
        "night-1.json",
        "night-2.json",
        "night-3.json",
    ];
    browser::check("trend.mjs", files.map(|f| moto.path(f)));
}

/// `diff` and `verify` write the page too, on stdout or to a file, with the exit code of their
/// console report: the same findings as their JSON report, and the verify page has no drift
/// sections (it compares nothing).
#[test]
fn diff_and_verify_write_the_page_with_their_own_findings() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |args: &[&str]| {
        crate::harness::Run::of(crate::harness::driftwatch_command(repo).args(args))
    };
    let state = "demo/terraform.tfstate";
    let page = run(&["diff", "golden", state, "--format", "html"])
        .expect_code(1)
        .stdout;
    let json = run(&["diff", "golden", state, "--format", "json"])
        .expect_code(1)
        .json();
    assert!(page.starts_with("<!DOCTYPE html>"), "{page:.200}");
    let missing = json["summary"]["missing"].as_u64().unwrap() as usize;
    assert!(missing > 0);
    // With the space before it, an attribute of an article (the style sheet has `[data-status`).
    assert_eq!(
        page.matches(" data-status=\"missing\"").count(),
        missing,
        "one article per missing resource"
    );
    assert!(page.contains("data-verdict=\"drift\""));

    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("verify.html");
    let report = format!("html={}", file.display());
    let json = run(&["verify", state, "--format", "json", "--report", &report])
        .expect_code(0)
        .json();
    let page = std::fs::read_to_string(&file).unwrap();
    assert!(page.contains("data-verdict=\"in-sync\""));
    assert!(page.contains("No reference is broken."));
    assert!(
        !page.contains("id=\"coverage\""),
        "verify compares nothing: no coverage"
    );
    let not_judged = json["not_judged"].as_array().map_or(0, Vec::len);
    assert!(not_judged > 0);
    let section = &page[page
        .find("id=\"not-judged\"")
        .expect("a not-judged section")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert_eq!(
        section.matches("<li>").count(),
        not_judged,
        "each reference not judged is listed"
    );
}

/// The chart counts by resource, as the summary line and the page's counts do, where the
/// database holds a row per resource and reference: the demo's resources are each described
/// by golden/ and the state, so counting rows would double them.
#[test]
fn the_chart_counts_resources_not_rows_of_each_reference() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let moto = demo_with_drift(repo);
    let db = moto.path("drift.db");
    let ignore = repo.join("demo/.driftignore");
    for night in 1..=2 {
        let html = format!(
            "html={}",
            moto.path(&format!("night-{night}.html")).display()
        );
        let now = format!("2026-11-2{night}T02:00:00Z");
        let mut cmd = crate::harness::driftwatch_command(repo);
        cmd.env("AWS_ENDPOINT_URL", &moto.endpoint)
            .env("DRIFTWATCH_NOW", &now)
            .args(["check", "--golden", "golden", "--state"])
            .args(["s3://retainwise-terraform-state/prod/terraform.tfstate"])
            .args([
                "--lock-table",
                "retainwise-terraform-locks",
                "--ignore-file",
            ])
            .arg(&ignore)
            .args(["--history", db.to_str().unwrap(), "--report", &html]);
        crate::harness::Run::of(&mut cmd).expect_code(1);
    }
    let page = std::fs::read_to_string(moto.path("night-2.html")).unwrap();
    let count = |name: &str| -> usize {
        let row = &page[page.find(&format!("data-count=\"{name}\"")).unwrap()..];
        let td = &row[row.find("<td>").unwrap() + 4..];
        td[..td.find('<').unwrap()].parse().unwrap()
    };
    let (new, known) = (count("new"), count("known"));
    assert_eq!(new, 0);
    assert_eq!(known, count("modified") + count("unmanaged"));
    let points: Vec<&str> = page.split("<g class=\"run\"").skip(1).collect();
    assert_eq!(points.len(), 2);
    assert!(
        points[0].contains(&format!(
            "data-new=\"{known}\" data-known=\"0\" data-resolved=\"0\""
        )),
        "{:.200}",
        points[0]
    );
    assert!(
        points[1].contains(&format!(
            "data-new=\"0\" data-known=\"{known}\" data-resolved=\"0\""
        )),
        "{:.200}",
        points[1]
    );
    // `driftwatch history` counts rows, one per resource and reference: more.
    let runs = moto
        .driftwatch(&[
            "history",
            "--history",
            db.to_str().unwrap(),
            "--format",
            "json",
        ])
        .expect_code(0)
        .json();
    let rows = runs[0]["findings"].as_u64().unwrap() as usize;
    assert!(rows > known, "{runs:#}");
}
