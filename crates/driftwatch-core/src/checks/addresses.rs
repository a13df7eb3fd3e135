//! Network names in text: the RDS endpoints a task's environment names (alone or inside a
//! connection URL), and IPv4 address ranges, for `db-reference`. Pure parsing.

use std::net::Ipv4Addr;

/// What an RDS endpoint host stands for. RDS names endpoints
/// `ID.UNIQUE.REGION.rds.amazonaws.com[.cn]`, where `UNIQUE` is the account's region-wide
/// suffix for an instance, `cluster-…`/`cluster-ro-…` for a cluster's writer and reader,
/// `cluster-custom-…` for a custom cluster endpoint and `proxy-…` for an RDS Proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RdsHost {
    /// The host as written.
    pub host: String,
    pub region: String,
    pub names: Endpoint,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// A DB instance, by identifier.
    Instance(String),
    /// A cluster's writer or reader endpoint, by cluster identifier.
    Cluster(String),
    /// A custom cluster endpoint or an RDS Proxy: named by something driftwatch does not read.
    Other(&'static str),
}

/// Every RDS endpoint host in `text`: a bare host, `host:port`, or a URL's host
/// (`postgres://user@host:5432/db`, `jdbc:mysql://host/db`). Identifiers are case-insensitive
/// (RDS stores them lowercase).
pub fn rds_hosts(text: &str) -> Vec<RdsHost> {
    let is_host_char = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-';
    text.split(|c: char| !is_host_char(c))
        .filter_map(rds_host)
        .collect()
}

fn rds_host(token: &str) -> Option<RdsHost> {
    let lower = token.trim_matches('.').to_ascii_lowercase();
    let stem = lower
        .strip_suffix(".rds.amazonaws.com")
        .or_else(|| lower.strip_suffix(".rds.amazonaws.com.cn"))?;
    let labels: Vec<&str> = stem.split('.').collect();
    let [id, unique, region] = labels.as_slice() else {
        return None;
    };
    if id.is_empty() || unique.is_empty() || region.is_empty() {
        return None;
    }
    let names = if unique.starts_with("cluster-custom-") {
        Endpoint::Other("a custom cluster endpoint")
    } else if unique.starts_with("cluster-") {
        Endpoint::Cluster(id.to_string())
    } else if unique.starts_with("proxy-") {
        Endpoint::Other("an RDS Proxy")
    } else {
        Endpoint::Instance(id.to_string())
    };
    Some(RdsHost {
        host: token.to_string(),
        region: region.to_string(),
        names,
    })
}

/// An IPv4 range (`10.0.0.0/16`): its network address and prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Range {
    base: u32,
    prefix: u8,
}

impl Ipv4Range {
    pub fn parse(cidr: &str) -> Option<Ipv4Range> {
        let (addr, prefix) = cidr.split_once('/')?;
        let addr: Ipv4Addr = addr.parse().ok()?;
        let prefix: u8 = prefix.parse().ok().filter(|p| *p <= 32)?;
        Some(Ipv4Range {
            base: u32::from(addr) & mask(prefix),
            prefix,
        })
    }

    /// Whether every address of `inner` is in `self`.
    pub fn covers(&self, inner: &Ipv4Range) -> bool {
        inner.prefix >= self.prefix && inner.base & mask(self.prefix) == self.base
    }
}

fn mask(prefix: u8) -> u32 {
    match prefix {
        0 => 0,
        p => u32::MAX << (32 - u32::from(p)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_alone_in_urls_and_of_each_kind() {
        let hosts = rds_hosts(
            "postgres://app:pw@Retainwise-Prod.c9akciq32.us-east-1.rds.amazonaws.com:5432/app",
        );
        assert_eq!(hosts.len(), 1);
        assert_eq!(hosts[0].names, Endpoint::Instance("retainwise-prod".into()));
        assert_eq!(hosts[0].region, "us-east-1");
        let cluster = rds_hosts("db.cluster-ro-c9akciq32.eu-west-1.rds.amazonaws.com");
        assert_eq!(cluster[0].names, Endpoint::Cluster("db".into()));
        let cn = rds_hosts("jdbc:mysql://db.abc.cn-north-1.rds.amazonaws.com.cn:3306/x");
        assert_eq!(cn[0].names, Endpoint::Instance("db".into()));
        let custom = rds_hosts("db.cluster-custom-abc.us-east-1.rds.amazonaws.com");
        assert!(matches!(custom[0].names, Endpoint::Other(_)));
        let proxy = rds_hosts("p.proxy-abc.us-east-1.rds.amazonaws.com");
        assert!(matches!(proxy[0].names, Endpoint::Other(_)));
        for not in [
            "localhost:5432",
            "db.example.com",
            "rds.amazonaws.com",
            "a.b.c.d.rds.amazonaws.com",
            "https://rds.us-east-1.amazonaws.com",
        ] {
            assert_eq!(rds_hosts(not), vec![], "{not}");
        }
    }

    #[test]
    fn ranges_cover_what_is_inside_them() {
        let vpc = Ipv4Range::parse("10.0.0.0/16").unwrap();
        let subnet = Ipv4Range::parse("10.0.3.0/24").unwrap();
        assert!(vpc.covers(&subnet));
        assert!(!subnet.covers(&vpc));
        assert!(!vpc.covers(&Ipv4Range::parse("10.1.0.0/24").unwrap()));
        assert!(Ipv4Range::parse("0.0.0.0/0").unwrap().covers(&vpc));
        assert!(Ipv4Range::parse("10.0.0.0/33").is_none());
        assert!(Ipv4Range::parse("10.0.0/8").is_none());
    }
}
