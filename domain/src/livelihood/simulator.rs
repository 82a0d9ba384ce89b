//! The bureaus' simulator: the default, so sign-up, codes and the medical account work offline.
//! It keeps no state: a card's reference, number, scheme and history all follow from the
//! resident ID (hashed), so every node answers the same.
//!
//! Documented behaviour, by the resident ID's three-digit sequence code (digits 15–17):
//! * 990–999: the bureau has no insurance record (`NotInsured`);
//! * 980–989: the physical social-security card is reported lost: no e-social-security card
//!   (`CardReportedLost`); the medical e-voucher still activates;
//! * an even last sequence digit: resident medical insurance (城乡居民医保, no personal
//!   account); odd: employees' (职工医保, with a personal account).
//!
//! Codes are signed with a fixed key derived from a published string: fine for a simulator,
//! and exactly why it must never stand in for a bureau.

use p256::ecdsa::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use super::application::Stage;
use super::{
    code, CardKind, Enrolment, MedicalAccount, MedicalMovement, Scheme, SignedCode,
    SocialSecurityBureau,
};
use crate::clock::{Millis, DAY, HOUR};
use crate::error::Refusal;
use crate::identity::{Date, RealName, ResidentId};
use crate::sms::BoxFuture;
use crate::{Error, Result};

/// Histories start on 2026-01-01 (in China): the balance is the opening plus every movement
/// since.
const HISTORY_FROM: (i64, i64, i64) = (2026, 1, 1);
/// The latest movements shown.
pub const LATEST: usize = 10;

#[derive(Debug)]
pub struct BureauSimulator {
    key: SigningKey,
}

impl Default for BureauSimulator {
    fn default() -> Self {
        Self::new()
    }
}

impl BureauSimulator {
    pub fn new() -> BureauSimulator {
        let scalar = Sha256::digest(b"bank-portal bureau simulator signing key, not a secret");
        BureauSimulator {
            key: SigningKey::from_slice(&scalar).expect("a P-256 scalar"),
        }
    }
}

fn hash(parts: &[&str]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p.as_bytes());
    }
    h.finalize().into()
}

fn number(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b))
}

/// The city of the household register (户籍) by the ID's area code; the province's own.
fn city_of(id: &ResidentId) -> Option<&'static str> {
    Some(match &id.as_str()[..4] {
        // 3712 was 莱芜, merged into 济南 in 2019.
        "3701" | "3712" => "济南",
        "3702" => "青岛",
        "3703" => "淄博",
        "3704" => "枣庄",
        "3705" => "东营",
        "3706" => "烟台",
        "3707" => "潍坊",
        "3708" => "济宁",
        "3709" => "泰安",
        "3710" => "威海",
        "3711" => "日照",
        "3713" => "临沂",
        "3714" => "德州",
        "3715" => "聊城",
        "3716" => "滨州",
        "3717" => "菏泽",
        _ => return None,
    })
}

/// Where the card reference keeps what the simulator needs later: scheme and city index.
fn card_ref(kind: CardKind, id: &ResidentId, scheme: Scheme, city: Option<&str>) -> String {
    let h = hash(&["card", kind.slug(), id.as_str()]);
    let city_index = city
        .and_then(|c| crate::billpay::CITIES.iter().position(|x| *x == c))
        .map_or(99, |i| i as u8);
    let scheme = match scheme {
        Scheme::Employee => 'E',
        Scheme::Resident => 'R',
    };
    let hex: String = h[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("{scheme}{city_index:02}{hex}")
}

fn parse_ref(card_ref: &str) -> Result<(Scheme, Option<&'static str>)> {
    let bad = || Error::NotFound(format!("card {card_ref}"));
    let scheme = match card_ref.chars().next() {
        Some('E') => Scheme::Employee,
        Some('R') => Scheme::Resident,
        _ => return Err(bad()),
    };
    let index: usize = card_ref
        .get(1..3)
        .ok_or_else(bad)?
        .parse()
        .map_err(|_| bad())?;
    Ok((scheme, crate::billpay::CITIES.get(index).copied()))
}

impl BureauSimulator {
    fn enrol_now(kind: CardKind, id: &ResidentId) -> Result<Enrolment> {
        let sequence: u32 = id.as_str()[14..17].parse().unwrap_or(0);
        if sequence >= 990 {
            return Err(Refusal::NotInsured.into());
        }
        if kind == CardKind::SocialSecurity && (980..990).contains(&sequence) {
            return Err(Refusal::CardReportedLost.into());
        }
        let scheme = if sequence.is_multiple_of(2) {
            Scheme::Resident
        } else {
            Scheme::Employee
        };
        let city = city_of(id);
        let h = hash(&["number", kind.slug(), id.as_str()]);
        let (card_no_masked, issuer) = match kind {
            // 社会保障卡卡号: nine characters, a letter and eight digits.
            CardKind::SocialSecurity => {
                let letter = (b'A' + h[0] % 26) as char;
                let digits = format!("{:08}", number(&h[1..8]) % 100_000_000);
                (
                    format!("{letter}{}******{}", &digits[..1], &digits[7..]),
                    match city {
                        Some(c) => format!("{c}市人力资源和社会保障局"),
                        None => "参保地人力资源和社会保障部门".to_string(),
                    },
                )
            }
            // 医保编码: the area code and fourteen more digits.
            CardKind::Medical => {
                let digits = format!("{:014}", number(&h[1..8]) % 100_000_000_000_000);
                (
                    format!("{}************{}", &id.as_str()[..4], &digits[10..]),
                    match city {
                        Some(c) => format!("{c}市医疗保障局"),
                        None => "参保地医疗保障部门".to_string(),
                    },
                )
            }
        };
        Ok(Enrolment {
            card_ref: card_ref(kind, id, scheme, city),
            card_no_masked,
            issuer,
        })
    }

    /// The account's history from [`HISTORY_FROM`] to `now`, oldest first, with the balance.
    fn history(card_ref: &str, now: Millis) -> Result<MedicalAccount> {
        let (scheme, city) = parse_ref(card_ref)?;
        let c = city.unwrap_or("参保地");
        let seed = hash(&["medical", card_ref]);
        let (y, m, d) = HISTORY_FROM;
        let first = crate::clock::days_from_civil(y, m, d);
        let today = crate::clock::china_day_of(now);
        // Employees: an opening balance and a monthly credit from the employer's contribution.
        let mut balance: i64 = 80_000 + (number(&seed[..4]) % 200_000) as i64;
        let credit: i64 = 6_000 + (number(&seed[4..6]) % 12_000) as i64;
        let places = [
            format!("门诊 · {c}市人民医院"),
            format!("药店购药 · {c}市百姓大药房"),
            "门诊 · 社区卫生服务中心".to_string(),
            "药店购药 · 镇卫生院药房".to_string(),
            format!("住院 · {c}市中心医院"),
        ];
        let mut movements = Vec::new();
        for day in first..=today {
            // 09:00 in China.
            let at = day * DAY + HOUR;
            if at > now {
                break;
            }
            let date = Date::from_days(day);
            if scheme == Scheme::Employee && date.day == 1 {
                balance += credit;
                movements.push(MedicalMovement {
                    at,
                    what: "个人账户划入".to_string(),
                    personal: credit,
                    fund: 0,
                });
            }
            let h = hash(&["visit", card_ref, &day.to_string()]);
            // About one visit in twelve days.
            if h[0] >= 21 {
                continue;
            }
            let place = (h[1] as usize % places.len()).min(if h[2] < 16 { 4 } else { 3 });
            let bill: i64 = if place == 4 {
                200_000 + (number(&h[3..6]) % 800_000) as i64
            } else {
                1_500 + (number(&h[3..6]) % 30_000) as i64
            };
            // The fund pays a share of clinic and hospital bills (none of pharmacy ones);
            // the rest comes from the personal account while it lasts (residents pay cash).
            let fund = match place {
                4 => bill * 70 / 100,
                0 | 2 => bill * 50 / 100,
                _ => 0,
            };
            let personal = match scheme {
                Scheme::Employee => -(bill - fund).min(balance),
                Scheme::Resident => 0,
            };
            if fund == 0 && personal == 0 {
                continue;
            }
            balance += personal;
            movements.push(MedicalMovement {
                at,
                what: places[place].clone(),
                personal,
                fund,
            });
        }
        assert!(balance >= 0, "a personal account never goes negative");
        movements.reverse();
        movements.truncate(LATEST);
        Ok(MedicalAccount {
            scheme,
            area: c.to_string(),
            balance: (scheme == Scheme::Employee).then_some(balance),
            movements,
        })
    }
}

impl SocialSecurityBureau for BureauSimulator {
    fn enrol<'a>(
        &'a self,
        kind: CardKind,
        resident_id: &'a ResidentId,
        _name: &'a RealName,
    ) -> BoxFuture<'a, Result<Enrolment>> {
        Box::pin(async move { Self::enrol_now(kind, resident_id) })
    }

    fn issue_code<'a>(
        &'a self,
        kind: CardKind,
        card_ref: &'a str,
        now: Millis,
    ) -> BoxFuture<'a, Result<SignedCode>> {
        Box::pin(async move {
            parse_ref(card_ref)?;
            code::sign(&self.key, kind, card_ref, now)
        })
    }

    fn release<'a>(&'a self, _kind: CardKind, card_ref: &'a str) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move { parse_ref(card_ref).map(|_| ()) })
    }

    fn medical_account<'a>(
        &'a self,
        card_ref: &'a str,
        now: Millis,
    ) -> BoxFuture<'a, Result<MedicalAccount>> {
        Box::pin(async move { Self::history(card_ref, now) })
    }

    fn apply_card<'a>(
        &'a self,
        holder: &'a ResidentId,
        _name: &'a RealName,
        _city: &'a str,
        _pickup_bank: &'a str,
        now: Millis,
    ) -> BoxFuture<'a, Result<String>> {
        Box::pin(async move {
            let sequence: u32 = holder.as_str()[14..17].parse().unwrap_or(0);
            if sequence >= 990 {
                return Err(Refusal::NotInsured.into());
            }
            // The application number carries when it was made: progress follows from it.
            let h = hash(&["apply", holder.as_str(), &now.to_string()]);
            Ok(format!(
                "SQ{}{:06}",
                now / 1000,
                number(&h[..4]) % 1_000_000
            ))
        })
    }

    fn application_progress<'a>(
        &'a self,
        reference: &'a str,
        now: Millis,
    ) -> BoxFuture<'a, Result<Vec<(Stage, Millis)>>> {
        Box::pin(async move {
            let submitted = reference
                .strip_prefix("SQ")
                .filter(|r| r.len() > 6)
                .and_then(|r| r[..r.len() - 6].parse::<i64>().ok())
                .ok_or_else(|| Error::NotFound(format!("application {reference}")))?
                * 1000;
            // Checked within two hours, made the next day, at the bank three days after.
            let at = [
                (Stage::Submitted, submitted),
                (Stage::Approved, submitted + 2 * HOUR),
                (Stage::Producing, submitted + DAY),
                (Stage::ReadyForPickup, submitted + 3 * DAY),
            ];
            Ok(at.into_iter().filter(|(_, t)| *t <= now).collect())
        })
    }

    fn verifying_key(&self) -> VerifyingKey {
        VerifyingKey::from(&self.key)
    }

    fn is_simulator(&self) -> bool {
        true
    }
}
