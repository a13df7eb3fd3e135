//! Timestamps AWS returns as epoch seconds (the JSON protocols' form) in the canonical form, an
//! RFC 3339 string in UTC to the second: what a person reads in a golden file and a report, and
//! what stays equal when AWS adds a fraction of a second. Pure.

use serde_json::Value;

/// Epoch seconds (a number, or its text) as `YYYY-MM-DDTHH:MM:SSZ`; any other value (our own
/// output, an RFC 3339 string) as it is.
pub(crate) fn rfc3339(v: Value) -> Value {
    let secs = match &v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match secs.filter(|s| s.is_finite()) {
        Some(s) => Value::String(format_utc(s.floor() as i64)),
        None => v,
    }
}

fn format_utc(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let (hh, mm, ss) = (rem / 3600, rem % 3600 / 60, rem % 60);
    format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::rfc3339;
    use serde_json::json;

    #[test]
    fn epoch_seconds_become_rfc3339_and_strings_stay() {
        assert_eq!(rfc3339(json!(0)), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(json!(951782400.9)), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(json!(1765604668.488)), "2025-12-13T05:44:28Z");
        assert_eq!(
            rfc3339(json!("2025-12-13T05:44:28Z")),
            "2025-12-13T05:44:28Z"
        );
    }
}
