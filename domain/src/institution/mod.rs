//! The two-level structure the portal serves: the provincial union (省联社), which runs the
//! shared platform, and its legal-entity rural commercial banks (农商银行), each of which owns
//! its customers, accounts and local content.
//!
//! The list of banks ships with the code (`domain/data/banks.csv`) and is seeded idempotently at
//! start, so a fresh database and an old one converge on the same rows.

mod store;

use serde::{Deserialize, Serialize};

pub use store::{cities, get, list_banks, seed};

/// Code of the provincial union, the root of the structure.
pub const PROVINCE_CODE: &str = "P000";

/// Whether an institution is the union or one of its banks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InstitutionKind {
    /// 省联社
    Province,
    /// 农商银行 (法人机构)
    Bank,
}

impl InstitutionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InstitutionKind::Province => "province",
            InstitutionKind::Bank => "bank",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "province" => Some(InstitutionKind::Province),
            "bank" => Some(InstitutionKind::Bank),
            _ => None,
        }
    }
}

/// The union or one legal-entity bank.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institution {
    /// `P000` for the union, `B001`… for the banks.
    pub code: String,
    pub kind: InstitutionKind,
    /// The union for every bank; none for the union itself.
    pub parent_code: Option<String>,
    /// What customers call it: 章丘农商银行.
    pub short_name: String,
    /// The registered name: 山东章丘农村商业银行股份有限公司.
    pub full_name: String,
    /// Prefecture-level city without 市: 济南.
    pub city: String,
    /// The county, district or county-level city it serves; 市辖区 for a city-wide bank.
    pub county: String,
    /// GB/T 2260 six-digit administrative division code.
    pub region_code: String,
}

/// How many banks one city has, for the directory's filter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CityCount {
    pub city: String,
    pub banks: i64,
}

/// The union, as seeded.
pub fn province() -> Institution {
    Institution {
        code: PROVINCE_CODE.into(),
        kind: InstitutionKind::Province,
        parent_code: None,
        short_name: "山东农信".into(),
        full_name: "山东省农村信用社联合社".into(),
        city: "济南".into(),
        county: "市辖区".into(),
        region_code: "370000".into(),
    }
}

/// The legal-entity banks shipped in `data/banks.csv`, in file order (grouped by city).
pub fn bundled_banks() -> Vec<Institution> {
    const CSV: &str = include_str!("../../data/banks.csv");
    CSV.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split(',').map(str::trim).collect();
            assert_eq!(f.len(), 6, "banks.csv: six fields expected in {line:?}");
            Institution {
                code: f[0].into(),
                kind: InstitutionKind::Bank,
                parent_code: Some(PROVINCE_CODE.into()),
                short_name: f[1].into(),
                full_name: f[2].into(),
                city: f[3].into(),
                county: f[4].into(),
                region_code: f[5].into(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_union_has_110_legal_entity_banks() {
        let banks = bundled_banks();
        assert_eq!(banks.len(), 110);
        let codes: HashSet<_> = banks.iter().map(|b| &b.code).collect();
        let names: HashSet<_> = banks.iter().map(|b| &b.short_name).collect();
        let regions: HashSet<_> = banks.iter().map(|b| &b.region_code).collect();
        assert_eq!(codes.len(), 110, "bank codes are unique");
        assert_eq!(names.len(), 110, "bank names are unique");
        assert_eq!(regions.len(), 110, "each bank serves its own area");
        for b in &banks {
            assert!(b.code.starts_with('B') && b.code.len() == 4, "{}", b.code);
            assert!(b.short_name.ends_with("农商银行"), "{}", b.short_name);
            assert!(b.full_name.contains("农村商业银行"), "{}", b.full_name);
            assert!(
                b.region_code.len() == 6 && b.region_code.starts_with("37"),
                "{} is a Shandong GB/T 2260 code",
                b.region_code
            );
        }
        let cities: HashSet<_> = banks.iter().map(|b| b.city.as_str()).collect();
        assert_eq!(cities.len(), 16, "every prefecture-level city is served");
    }
}
