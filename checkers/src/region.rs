//! AWS region names.

/// Whether `region` is shaped like an AWS region name: lower-case words and a
/// number, joined by dashes (`us-east-1`, `ap-southeast-3`, `us-gov-west-1`).
pub fn is_region_name(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].parse::<u8>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names() {
        for good in ["us-east-1", "eu-west-2", "ap-southeast-3", "us-gov-west-1"] {
            assert!(is_region_name(good), "{good}");
        }
        for bad in [
            "us-east",
            "useast1",
            "US-EAST-1",
            "us-easst-x",
            "",
            "us--1",
            "..",
        ] {
            assert!(!is_region_name(bad), "{bad}");
        }
    }
}
