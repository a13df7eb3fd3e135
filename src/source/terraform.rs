//! Source: Terraform state files — local paths, globs, `-` for stdin, and `s3://bucket/key`
//! (the S3 backend's layout, with `env:/<workspace>/<key>` for workspaces). Reads, parses and
//! maps them (see `terraform/`), merges several states, and normalizes each document.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

use crate::aws::{self, ApiCalls, AwsOptions};
use crate::error::{Error, Result};
use crate::model::{Inventory, Kind, Origin, Resource};
use crate::normalize::{normalize_raw, Redaction};
use crate::terraform::{map, state, stream};

/// The resources a set of states describes, and the Terraform types not mapped.
pub struct States {
    pub inventory: Inventory,
    pub not_checked: BTreeMap<String, usize>,
}

/// Where one state comes from.
#[derive(Debug, Clone, PartialEq)]
enum Location {
    Stdin,
    S3 { bucket: String, key: String },
    File(PathBuf),
}

impl Location {
    fn name(&self) -> String {
        match self {
            Location::Stdin => "<stdin>".into(),
            Location::S3 { bucket, key } => format!("s3://{bucket}/{key}"),
            Location::File(p) => p.display().to_string(),
        }
    }
}

/// True when `spec` names a Terraform state rather than a golden folder.
pub fn is_state_spec(spec: &str) -> bool {
    spec == "-" || spec.contains("://") || !std::path::Path::new(spec).is_dir()
}

/// Expands one `--state` value. A workspace other than `default` reads the S3 backend's
/// `env:/<workspace>/<key>`.
fn locate(spec: &str, workspace: Option<&str>) -> Result<Vec<Location>> {
    if spec == "-" {
        return Ok(vec![Location::Stdin]);
    }
    if let Some(rest) = spec.strip_prefix("s3://") {
        let (bucket, key) = rest
            .split_once('/')
            .filter(|(b, k)| !b.is_empty() && !k.is_empty())
            .ok_or_else(|| location(spec, "expected s3://BUCKET/KEY".into()))?;
        let key = match workspace {
            Some(ws) if ws != "default" => format!("env:/{ws}/{key}"),
            _ => key.to_string(),
        };
        return Ok(vec![Location::S3 {
            bucket: bucket.into(),
            key,
        }]);
    }
    if let Some((scheme, _)) = spec.split_once("://") {
        return Err(location(
            spec,
            format!(
                "the `{scheme}://` backend is not supported; driftwatch reads local files, `-` \
                 (stdin) and s3://BUCKET/KEY (for other backends, pipe `terraform state pull` \
                 into `--state -`)"
            ),
        ));
    }
    if spec.contains(['*', '?', '[']) {
        let paths =
            glob::glob(spec).map_err(|e| location(spec, format!("not a valid glob: {e}")))?;
        let mut files: Vec<PathBuf> = paths
            .filter_map(|p| p.ok())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(location(spec, "no state file matches".into()));
        }
        return Ok(files.into_iter().map(Location::File).collect());
    }
    Ok(vec![Location::File(PathBuf::from(spec))])
}

/// A `--state` value that names no state driftwatch can read.
fn location(spec: &str, problem: String) -> Error {
    Error::StateLocation {
        spec: spec.to_string(),
        problem,
    }
}

/// The S3 object a `--state` value names, if it is an `s3://` one.
pub fn s3_object(spec: &str, workspace: Option<&str>) -> Option<(String, String)> {
    match locate(spec, workspace).ok()?.into_iter().next()? {
        Location::S3 { bucket, key } => Some((bucket, key)),
        _ => None,
    }
}

fn read_bytes(loc: &Location, aws: &AwsOptions, calls: &ApiCalls) -> Result<Vec<u8>> {
    match loc {
        Location::Stdin => {
            // Said once the handlers are in place: from here a signal ends the wait.
            crate::interrupt::install();
            tracing::info!("reading a Terraform state from stdin");
            let read = crate::interrupt::blocking(|| {
                let mut buf = Vec::new();
                std::io::stdin().read_to_end(&mut buf).map(|_| buf)
            })
            .map_err(Error::Interrupted)?;
            read.map_err(|source| Error::Read {
                path: "<stdin>".into(),
                source,
            })
        }
        Location::File(p) => std::fs::read(p).map_err(|source| Error::Read {
            path: p.clone(),
            source,
        }),
        Location::S3 { bucket, key } => {
            let got = aws::block_on(async {
                let objects = aws::s3::Objects::connect(aws, calls).await?;
                objects.get(bucket, key).await
            })?
            .map_err(Error::Aws)?;
            Ok(got)
        }
    }
}

/// Reads every state named by `specs`, keeping the resources of `kinds`.
pub fn read(
    specs: &[String],
    workspace: Option<&str>,
    kinds: &[Kind],
    aws: &AwsOptions,
    redaction: &Redaction,
) -> Result<States> {
    let calls = ApiCalls::default();
    let mut inventory = Inventory::new(specs.join(" "), kinds);
    let mut not_checked: BTreeMap<String, usize> = BTreeMap::new();
    let mut described: BTreeMap<(Kind, String), map::Described> = BTreeMap::new();
    // Normalizes as the stream maps, for a state that is the whole reference (nothing from
    // another state merges into its documents before they are normalized).
    let normalizer = |kind: Kind, doc| {
        if kinds.contains(&kind) {
            normalize_raw(kind, doc, redaction)
        } else {
            doc
        }
    };
    let mut normalized = false;
    for spec in specs {
        let locations = locate(spec, workspace)?;
        let alone = specs.len() == 1 && locations.len() == 1;
        for loc in locations {
            let name = loc.name();
            let bytes = read_bytes(&loc, aws, &calls)?;
            let normalize = alone.then_some(&normalizer as map::Normalizer);
            let mapped = parse_and_map(&name, bytes, normalize, &normalizer)?;
            normalized = mapped.normalized;
            for (t, n) in mapped.not_checked {
                *not_checked.entry(t).or_default() += n;
            }
            let kept = mapped
                .resources
                .into_iter()
                .filter(|d| kinds.contains(&d.kind));
            add_described(&mut described, &name, kept)?;
        }
    }
    // A state describes its own resources, not the account: a resource it does not hold may
    // exist (the cross-resource checks do not judge a reference to one).
    inventory.open = kinds.to_vec();
    inventory.places = described
        .iter()
        .filter_map(|(key, d)| Some((key.clone(), d.place.clone()?)))
        .collect();
    inventory.resources = resources(described, normalized, redaction);
    let counts = calls.counts();
    if !counts.is_empty() {
        let total: usize = counts.values().sum();
        tracing::info!("{total} AWS API calls: {counts:?}");
    }
    Ok(States {
        inventory,
        not_checked,
    })
}

/// Takes in one state's resources (named `name`), merging partial claims on one owner,
/// whichever states hold them; two states describing one resource whole is an error.
fn add_described(
    described: &mut BTreeMap<(Kind, String), map::Described>,
    name: &str,
    resources: impl Iterator<Item = map::Described>,
) -> Result<()> {
    if described.is_empty() {
        // The first state: its resources are already in order and each once, so the map is
        // built in one pass instead of one search per resource.
        *described = resources
            .map(|mut d| {
                d.address = format!("{name}: {}", d.address);
                ((d.kind, d.id.clone()), d)
            })
            .collect();
        return Ok(());
    }
    for mut d in resources {
        d.address = format!("{name}: {}", d.address);
        match described.entry((d.kind, d.id.clone())) {
            Entry::Vacant(v) => {
                v.insert(d);
            }
            Entry::Occupied(mut o) => o.get_mut().merge(d).map_err(Error::InTwoStates)?,
        }
    }
    Ok(())
}

/// The inventory's resources: each described one normalized (unless it already was, as it was
/// mapped), on every core.
fn resources(
    described: BTreeMap<(Kind, String), map::Described>,
    normalized: bool,
    redaction: &Redaction,
) -> BTreeMap<(Kind, String), Resource> {
    let described: Vec<_> = described.into_iter().collect();
    let resources = crate::parallel::map(described, |((kind, id), d)| {
        let mut document = if normalized {
            d.document
        } else {
            normalize_raw(kind, d.document, redaction)
        };
        // Values Terraform marks sensitive are held, compared and shown as digests only.
        crate::scope::hide(&mut document, &d.scope.sensitive, &[]);
        let resource = Resource {
            document,
            origin: Origin(d.address),
            scope: d.scope,
        };
        ((kind, id), resource)
    });
    // In (kind, id) order already: one pass builds the map.
    resources.into_iter().collect()
}

/// The resources of one state's text. A raw state as Terraform writes it is read as a
/// stream, each instance mapped (and, given `normalize`, normalized) as it is read; any other
/// document, or a state with something wrong in it, is parsed whole and then mapped (and its
/// errors said), never normalized here.
fn parse_and_map(
    name: &str,
    bytes: Vec<u8>,
    normalize: Option<map::Normalizer>,
    canon: map::Normalizer,
) -> Result<map::Mapped> {
    if let Some(mapped) = stream::map_v4_with(&bytes, normalize, Some(canon)) {
        return Ok(mapped);
    }
    // The text, its parsed form and the mapped documents are never all held at once.
    let doc: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| Error::json(name, &e))?;
    drop(bytes);
    let invalid = |message: String| Error::Invalid {
        path: PathBuf::from(name),
        message,
    };
    if state::is_plan(&doc) {
        announce_plan(name);
    }
    let instances = state::parse(doc).map_err(invalid)?;
    map::map_with(instances, Some(canon)).map_err(invalid)
}

/// Says on stderr, once per file in a run (targets may read one state each), that a plan is
/// compared through its `prior_state`: someone who passed a plan may have expected its planned
/// values.
fn announce_plan(name: &str) {
    static ANNOUNCED: std::sync::Mutex<std::collections::BTreeSet<String>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    let first = ANNOUNCED
        .lock()
        .map(|mut seen| seen.insert(name.to_string()))
        .unwrap_or(true);
    if first {
        tracing::warn!("{name} is a plan; comparing its prior_state");
    }
}

#[cfg(test)]
mod tests {
    use super::{locate, Location};

    #[test]
    fn s3_workspaces_use_the_backend_layout() {
        assert_eq!(
            locate("s3://tf/prod/app.tfstate", Some("staging")).unwrap(),
            [Location::S3 {
                bucket: "tf".into(),
                key: "env:/staging/prod/app.tfstate".into()
            }]
        );
        assert_eq!(
            locate("s3://tf/app.tfstate", Some("default")).unwrap(),
            [Location::S3 {
                bucket: "tf".into(),
                key: "app.tfstate".into()
            }]
        );
    }

    #[test]
    fn unknown_backends_and_empty_globs_are_errors() {
        let e = locate("gs://bucket/state", None).unwrap_err().to_string();
        assert!(e.contains("gs://") && e.contains("not supported"), "{e}");
        assert!(locate("s3://only-bucket", None).is_err());
        assert!(locate("/nonexistent/**/*.tfstate", None)
            .unwrap_err()
            .to_string()
            .contains("no state file"));
    }
}
