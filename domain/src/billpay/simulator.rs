//! The local stand-in for every biller: realistic bills derived from the number, its own books
//! in `biller_sim_payments` (so a paid bill shows as paid and a status query tells the truth),
//! and numbers that misbehave on purpose so the failure paths can be tried:
//!
//! * a household, card, decision or student number starting with `0` is not registered;
//! * one starting with `9` (a mobile number ending in `0000`) fails after our debit: the
//!   biller refuses to book it, and the payment is refunded;
//! * one starting with `8` (a mobile number ending in `8888`) gets no answer: the payment stays
//!   pending until the worker asks again and, the biller never having received it, refunds it.
//!
//! The README lists these. Nothing here talks to a real biller.

use std::sync::Arc;

use sha2::{Digest, Sha256};
use sqlx::Row;

use super::{Bill, Biller, BillerAnswer, BillerGateway, BillerStatus, Kind, Number, Rule};
use crate::clock::Clock;
use crate::identity::Date;
use crate::sms::BoxFuture;
use crate::{Db, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Trouble {
    None,
    NotRegistered,
    Fails,
    NoAnswer,
}

fn trouble(kind: Kind, number: &str) -> Trouble {
    if kind.number() == Number::Mobile {
        return if number.ends_with("0000") {
            Trouble::Fails
        } else if number.ends_with("8888") {
            Trouble::NoAnswer
        } else {
            Trouble::None
        };
    }
    if kind.number() == Number::ResidentId {
        // As the bureau simulator: sequence codes 990–999 have no insurance record.
        return match number[14..17].parse::<u32>() {
            Ok(990..=999) => Trouble::NotRegistered,
            _ => Trouble::None,
        };
    }
    match number.as_bytes().first() {
        Some(b'0') => Trouble::NotRegistered,
        Some(b'9') => Trouble::Fails,
        Some(b'8') => Trouble::NoAnswer,
        _ => Trouble::None,
    }
}

/// A number derived from the biller and the number, the same every time.
fn seed(biller: &Biller, number: &str) -> u64 {
    let h = Sha256::digest(format!("{}|{number}", biller.id).as_bytes());
    u64::from_be_bytes(h[..8].try_into().expect("8 bytes"))
}

/// What a household of this kind typically owes, in fen, from the seed.
fn typical_bill(kind: Kind, s: u64) -> i64 {
    let within = |lo: i64, hi: i64| lo + (s % ((hi - lo) as u64 + 1)) as i64;
    match kind {
        Kind::Water => within(2_000, 12_000),
        Kind::Electricity => within(5_000, 30_000),
        Kind::Gas => within(3_000, 20_000),
        Kind::Heating => within(150_000, 300_000),
        Kind::Property => within(30_000, 120_000),
        Kind::PartyDues => within(10, 100) * 100,
        Kind::Broadband => [5_000, 8_000, 12_000][(s % 3) as usize],
        Kind::CableTv => [2_200, 2_800, 3_000][(s % 3) as usize],
        Kind::Landline => within(1_500, 8_000),
        Kind::Tuition => within(8, 30) * 10_000,
        Kind::Waste => [1_000, 1_500, 2_000][(s % 3) as usize],
        Kind::TrafficFine => [10_000, 15_000, 20_000][(s % 3) as usize],
        // 城乡居民医保 individual contribution per person and year (the simulator's figure).
        Kind::ResidentMedical => 40_000,
        Kind::NonTax => within(50, 5_000) * 100,
        // Chosen by the payer (a grade) or a top-up: no bill.
        Kind::ResidentPension
        | Kind::MobileTopUp
        | Kind::TransitCard
        | Kind::FuelCard
        | Kind::EtcTopUp => 0,
    }
}

const SURNAMES: [&str; 8] = ["王", "李", "张", "刘", "陈", "杨", "赵", "孙"];

/// The simulator over the database that keeps its books.
#[derive(Clone)]
pub struct BillerSimulator {
    db: Db,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for BillerSimulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BillerSimulator")
    }
}

impl BillerSimulator {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        BillerSimulator { db, clock }
    }

    /// The billing period: last month, as the bills of early this month show.
    fn period(&self) -> String {
        let today = Date::from_days(self.clock.china_day());
        let (y, m) = if today.month == 1 {
            (today.year - 1, 12)
        } else {
            (today.year, today.month - 1)
        };
        format!("{y}年{m}月")
    }

    /// Resident insurance is paid by the year, collected from September of the year before:
    /// in November 2026 the payer pays for 2027. The year and when its collection opened.
    fn insurance_year(&self) -> (i32, i64) {
        let today = Date::from_days(self.clock.china_day());
        let year = if today.month >= 9 {
            today.year + 1
        } else {
            today.year
        };
        let opened =
            crate::clock::china_day_start(crate::clock::days_from_civil(i64::from(year) - 1, 9, 1));
        (year, opened)
    }

    async fn paid_so_far(&self, biller: &Biller, number: &str, since: i64) -> Result<i64> {
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS paid FROM biller_sim_payments \
             WHERE biller_id = $1 AND household = $2 AND paid_at >= $3",
        )
        .bind(&biller.id)
        .bind(number)
        .bind(since)
        .fetch_one(self.db.pool())
        .await?;
        crate::db::get_i64(&row, "paid")
    }

    async fn receipt_of(&self, reference: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT receipt FROM biller_sim_payments WHERE reference = $1")
            .bind(reference)
            .fetch_optional(self.db.pool())
            .await?;
        Ok(row.map(|r| r.try_get("receipt")).transpose()?)
    }

    async fn do_lookup(&self, biller: &Biller, number: &str) -> Result<Option<Bill>> {
        if trouble(biller.kind, number) == Trouble::NotRegistered {
            return Ok(None);
        }
        let s = seed(biller, number);
        let surname = SURNAMES[(s % SURNAMES.len() as u64) as usize];
        let holder = if s.is_multiple_of(3) {
            format!("{surname}**")
        } else {
            format!("{surname}*")
        };
        let city = biller.city.as_deref().unwrap_or("济南");
        let detail = match biller.kind.number() {
            Number::Household => format!("{city}市**区**小区{}号楼", s % 30 + 1),
            Number::Mobile => format!("{}****{}", &number[..3], &number[7..]),
            Number::Card => format!("卡号尾号 {}", &number[number.len() - 4..]),
            Number::Decision => format!("{city}市 违法停车 决定书尾号 {}", &number[11..]),
            Number::Student => format!("{city}市第{}中学", s % 20 + 1),
            Number::ResidentId => format!(
                "身份证 {}**********{} · {city}市",
                &number[..4],
                &number[14..]
            ),
            Number::Notice => {
                let items = [
                    ("不动产登记费", "{c}市自然资源和规划局"),
                    ("考试报名费", "{c}市人事考试中心"),
                    ("出入境证件工本费", "{c}市公安局出入境管理支队"),
                    ("城市道路占用费", "{c}市城市管理局"),
                ];
                let (item, agency) = items[(s % items.len() as u64) as usize];
                format!("{item} · 执收单位：{}", agency.replace("{c}", city))
            }
        };
        let (due, period) = match biller.kind.rule() {
            Rule::Denominations(_) => (0, String::new()),
            Rule::Grades(grades) => {
                let (year, opened) = self.insurance_year();
                let paid = self.paid_so_far(biller, number, opened).await?;
                let due = if paid > 0 { 0 } else { grades[0] };
                (due, format!("{year}年度"))
            }
            _ if biller.kind == Kind::ResidentMedical => {
                let (year, opened) = self.insurance_year();
                let paid = self.paid_so_far(biller, number, opened).await?;
                let owed = typical_bill(biller.kind, s);
                ((owed - paid).max(0), format!("{year}年度"))
            }
            _ => {
                let owed = typical_bill(biller.kind, s);
                let paid = self.paid_so_far(biller, number, 0).await?;
                ((owed - paid).max(0), self.period())
            }
        };
        Ok(Some(Bill {
            biller_id: biller.id.clone(),
            household: number.to_string(),
            holder_masked: holder,
            detail,
            due,
            period,
        }))
    }

    async fn do_pay(
        &self,
        biller: &Biller,
        number: &str,
        amount: i64,
        reference: &str,
    ) -> Result<BillerAnswer> {
        match trouble(biller.kind, number) {
            Trouble::NotRegistered => {
                return Ok(BillerAnswer::Refused {
                    reason: "缴费单位没有这个户号".into(),
                })
            }
            Trouble::Fails => {
                return Ok(BillerAnswer::Refused {
                    reason: "缴费单位系统故障，未能入账".into(),
                })
            }
            Trouble::NoAnswer => return Ok(BillerAnswer::Unknown),
            Trouble::None => {}
        }
        let today = Date::from_days(self.clock.china_day());
        let digest = Sha256::digest(reference.as_bytes());
        let serial = u32::from_be_bytes(digest[..4].try_into().expect("4 bytes")) % 100_000_000;
        let receipt = format!(
            "SIM{:04}{:02}{:02}{serial:08}",
            today.year, today.month, today.day
        );
        // The reference is the key: the same payment sent twice is booked once.
        sqlx::query(
            "INSERT INTO biller_sim_payments (reference, biller_id, household, amount, receipt, paid_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (reference) DO NOTHING",
        )
        .bind(reference)
        .bind(&biller.id)
        .bind(number)
        .bind(amount)
        .bind(&receipt)
        .bind(self.clock.now())
        .execute(self.db.pool())
        .await?;
        let receipt = self.receipt_of(reference).await?.unwrap_or(receipt);
        Ok(BillerAnswer::Paid { receipt })
    }
}

impl BillerGateway for BillerSimulator {
    fn lookup<'a>(
        &'a self,
        biller: &'a Biller,
        household: &'a str,
    ) -> BoxFuture<'a, Result<Option<Bill>>> {
        Box::pin(self.do_lookup(biller, household))
    }

    fn pay<'a>(
        &'a self,
        biller: &'a Biller,
        household: &'a str,
        amount: i64,
        reference: &'a str,
    ) -> BoxFuture<'a, Result<BillerAnswer>> {
        Box::pin(self.do_pay(biller, household, amount, reference))
    }

    fn status<'a>(
        &'a self,
        _biller: &'a Biller,
        reference: &'a str,
    ) -> BoxFuture<'a, Result<BillerStatus>> {
        Box::pin(async move {
            Ok(match self.receipt_of(reference).await? {
                Some(receipt) => BillerStatus::Paid { receipt },
                None => BillerStatus::NotReceived,
            })
        })
    }

    fn is_simulator(&self) -> bool {
        true
    }
}
