//! The engine version driftwatch compares: the major version only. Auto minor version upgrade
//! (on by default) moves `EngineVersion` within a major version in a maintenance window, and
//! Terraform keeps what it was given (`16`, or `16.3` from before the upgrade) in
//! `engine_version` and what AWS reports in `engine_version_actual`: the minor version is
//! AWS's to move, the major one the user's. Pure.

/// The major version of `version` of `engine`, as AWS names major versions:
/// - PostgreSQL (and Aurora PostgreSQL) 10 and later: the first number (`16.3` → `16`); before
///   10, the first two (`9.6.22` → `9.6`);
/// - MySQL, MariaDB, Aurora MySQL (`8.0.mysql_aurora.3.05.2` → `8.0`), SQL Server
///   (`15.00.4335.1.v1` → `15.00`): the first two numbers;
/// - Oracle and Db2: the first number (`19.0.0.0.ru-2024-01.rur-2024-01.r1` → `19`).
///
/// A major version is its own major version, so the function is idempotent; an engine it does
/// not know keeps its version whole (compared exactly rather than guessed at).
pub(crate) fn major_version(engine: &str, version: &str) -> String {
    let parts: Vec<&str> = version.split('.').collect();
    let first_two = || parts.iter().take(2).copied().collect::<Vec<_>>().join(".");
    let engine = engine.to_ascii_lowercase();
    if engine.contains("postgres") {
        match parts.first().and_then(|p| p.parse::<u32>().ok()) {
            Some(n) if n >= 10 => n.to_string(),
            Some(_) => first_two(),
            None => version.to_string(),
        }
    } else if engine.contains("mysql")
        || engine.contains("mariadb")
        || engine.starts_with("sqlserver")
        || engine == "aurora"
    {
        first_two()
    } else if engine.starts_with("oracle") || engine.starts_with("db2") {
        parts.first().map_or(version.to_string(), |p| p.to_string())
    } else {
        version.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::major_version;

    #[test]
    fn the_major_version_of_each_engine() {
        let cases = [
            ("postgres", "16.3", "16"),
            ("postgres", "16", "16"),
            ("postgres", "9.6.22", "9.6"),
            ("aurora-postgresql", "15.4", "15"),
            ("mysql", "8.0.35", "8.0"),
            ("mysql", "8.0", "8.0"),
            ("mariadb", "10.11.6", "10.11"),
            ("aurora-mysql", "8.0.mysql_aurora.3.05.2", "8.0"),
            ("aurora-mysql", "5.7.mysql_aurora.2.11.2", "5.7"),
            ("aurora", "5.6.10a", "5.6"),
            ("sqlserver-se", "15.00.4335.1.v1", "15.00"),
            ("oracle-ee", "19.0.0.0.ru-2024-01.rur-2024-01.r1", "19"),
            ("neptune", "1.3.1.0", "1.3.1.0"),
        ];
        for (engine, version, major) in cases {
            assert_eq!(major_version(engine, version), major, "{engine} {version}");
            assert_eq!(major_version(engine, major), major, "{engine} {major}");
        }
    }
}
