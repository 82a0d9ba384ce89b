//! Demo customers for development mode and the demo (`./scripts/run.sh`): documented logins in
//! the README, never created in production. Their SMS codes land in the development outbox.

use crate::identity::{Date, Identity, Mobile, RealName, Registration, ResidentId};
use crate::Result;

/// (mobile, name, resident ID first 17 digits, bank, password)
const DEMO: [(&str, &str, &str, &str, &str); 5] = [
    // A 70-year-old farmer in 章丘: the rural simple edition's customer.
    (
        "13800000001",
        "王建国",
        "37018119560312031",
        "B002",
        "demo2026pass",
    ),
    // A 35-year-old in Jinan city.
    (
        "13800000002",
        "李晓梅",
        "37010219910706002",
        "B001",
        "demo2026pass",
    ),
    // A 41-year-old from 章丘 working on building sites in Jinan: wages in, cash out, no payees
    // saved yet (the end-to-end tests' customer for payments typed in by hand).
    (
        "13800000003",
        "赵永刚",
        "37018119850418051",
        "B002",
        "demo2026pass",
    ),
    // A 58-year-old vegetable grower in 章丘 who sells to the wholesale market every month and
    // keeps a one-year deposit: the loans' customer (the end-to-end tests' borrower).
    (
        "13800000004",
        "孙秀英",
        "37018119680915042",
        "B002",
        "demo2026pass",
    ),
    // Her nephew, 45, who runs a hardware shop in Jinan and banks with another of the
    // province's banks: the guarantor of her 保证e贷 (the end-to-end tests' guarantor).
    (
        "13800000005",
        "周海涛",
        "37010219810322071",
        "B001",
        "demo2026pass",
    ),
];

/// Creates the demo customers that are missing; returns how many were created.
pub async fn seed_customers(identity: &Identity<'_>) -> Result<usize> {
    let today = Date::from_days(identity.clock.china_day());
    let mut created = 0;
    for (mobile, name, first17, bank, password) in DEMO {
        let mobile = Mobile::parse(mobile)?;
        if identity.find_by_mobile(&mobile).await?.is_some() {
            continue;
        }
        let id = format!("{first17}{}", crate::identity::check_char(first17));
        identity
            .insert_customer(&Registration {
                mobile,
                name: RealName::parse(name)?,
                resident_id: ResidentId::parse(&id, today)?,
                bank_code: bank.into(),
                password: password.into(),
                accepted_terms: true,
                otp_code: String::new(),
            })
            .await?;
        created += 1;
    }
    Ok(created)
}

/// Six months of plausible history for the demo customers: accounts, a pension or a salary
/// each month, cash withdrawals, transfers between them and to other banks (settled through
/// the clearing simulator), and saved payees. Runs through the real services with a clock that
/// walks from half a year ago to now. Idempotent: does nothing once the customers have accounts.
pub async fn seed_banking(
    db: &crate::Db,
    now: crate::clock::Millis,
    keys: &crate::pii::KeyRing,
    committer: &crate::transfer::Committer,
) -> Result<bool> {
    use crate::account::{AccountClass, Accounts};
    use crate::clearing::{process_due, ClearingSimulator, Pass};
    use crate::clock::{ManualClock, DAY, HOUR, MINUTE};
    use crate::ledger::{deposit, withdraw};
    use crate::transfer::{PayeeRef, TransferRequest, Transfers};

    let clock = ManualClock::at(now);
    let identity = Identity {
        db,
        clock: &clock,
        keys,
    };
    let (Some(wang), Some(li), Some(zhao), Some(sun), Some(zhou)) = (
        identity.find_by_mobile(&Mobile::parse(DEMO[0].0)?).await?,
        identity.find_by_mobile(&Mobile::parse(DEMO[1].0)?).await?,
        identity.find_by_mobile(&Mobile::parse(DEMO[2].0)?).await?,
        identity.find_by_mobile(&Mobile::parse(DEMO[3].0)?).await?,
        identity.find_by_mobile(&Mobile::parse(DEMO[4].0)?).await?,
    ) else {
        return Ok(false);
    };
    let accounts = Accounts { db, clock: &clock };
    if !accounts.list(&wang).await?.is_empty() {
        return Ok(false);
    }
    // Half a year ago, 09:00 Beijing time.
    let start = (now - 182 * DAY).div_euclid(DAY) * DAY + HOUR;
    // 孙秀英 has banked here for two years.
    clock.set(start - 540 * DAY);
    let sun_a = accounts.open(&sun, AccountClass::One, "活期储蓄").await?;
    deposit(
        db,
        &clock,
        &sun_a.id,
        8_000_000,
        "章丘农商银行柜面",
        "现金存入",
    )
    .await?;
    clock.set(start);
    let zhou_a = accounts.open(&zhou, AccountClass::One, "经营账户").await?;
    deposit(
        db,
        &clock,
        &zhou_a.id,
        6_500_000,
        "济南农商银行柜面",
        "现金存入",
    )
    .await?;
    let wang_a = accounts.open(&wang, AccountClass::One, "活期储蓄").await?;
    let li_a = accounts.open(&li, AccountClass::One, "工资卡").await?;
    let li_b = accounts.open(&li, AccountClass::Two, "零钱户").await?;
    let zhao_a = accounts.open(&zhao, AccountClass::One, "工资卡").await?;
    deposit(
        db,
        &clock,
        &wang_a.id,
        2_300_000,
        "章丘农商银行柜面",
        "现金存入",
    )
    .await?;
    deposit(
        db,
        &clock,
        &li_a.id,
        1_200_000,
        "济南农商银行柜面",
        "现金存入",
    )
    .await?;
    deposit(
        db,
        &clock,
        &zhao_a.id,
        2_000_000,
        "章丘农商银行柜面",
        "现金存入",
    )
    .await?;

    let network = ClearingSimulator::with_demo_directory();
    let (zhang_card, zhang) = network.directory()[0].clone();
    let (liu_card, liu) = network.directory()[1].clone();
    let transfers = Transfers {
        db,
        clock: &clock,
        keys,
        committer,
        // Six months of history as it happened (some of it confirmed by codes at the time).
        code_free: crate::transfer::CodeFreePolicy::UNLIMITED,
    };
    let mut n = 0;
    let mut send =
        |customer: &str, from: &str, payee: PayeeRef, name: Option<&str>, fen: i64, memo: &str| {
            n += 1;
            TransferRequest {
                customer_id: customer.into(),
                from_account_id: from.into(),
                payee,
                payee_name: name.map(Into::into),
                amount: fen,
                memo: memo.into(),
                idempotency_key: format!("demo-{n}"),
            }
        };
    for month in 0..6 {
        let base = start + month * 30 * DAY;
        let at = |day: i64| base + day * DAY + 2 * HOUR;
        clock.set(at(4));
        deposit(
            db,
            &clock,
            &wang_a.id,
            185_000,
            "章丘区社保中心",
            "城乡居民养老金",
        )
        .await?;
        clock.set(at(9));
        deposit(
            db,
            &clock,
            &li_a.id,
            860_000,
            "济南明湖科技有限公司",
            "代发工资",
        )
        .await?;
        clock.set(at(10));
        let rent = send(
            &li,
            &li_a.id,
            PayeeRef::Card(liu_card.clone()),
            Some(&liu),
            180_000,
            "房租",
        );
        transfers.post(&rent, None).await?;
        clock.set(at(11));
        withdraw(db, &clock, &wang_a.id, 80_000, "章丘农商银行ATM", "ATM取款").await?;
        if month % 2 == 1 {
            clock.set(at(13));
            deposit(
                db,
                &clock,
                &wang_a.id,
                640_000,
                "章丘粮食购销公司",
                "小麦收购款",
            )
            .await?;
        }
        clock.set(at(6));
        deposit(db, &clock, &sun_a.id, 900_000, "章丘蔬菜批发市场", "蔬菜款").await?;
        clock.set(at(16));
        withdraw(db, &clock, &sun_a.id, 200_000, "章丘农商银行ATM", "ATM取款").await?;
        clock.set(at(14));
        let change = send(
            &li,
            &li_a.id,
            PayeeRef::OwnAccount(li_b.id.clone()),
            None,
            50_000,
            "零钱",
        );
        transfers.post(&change, None).await?;
        clock.set(at(17));
        let support = send(
            &li,
            &li_a.id,
            PayeeRef::Card(wang_a.card_no.clone()),
            None,
            60_000,
            "生活费",
        );
        transfers.post(&support, None).await?;
        clock.set(at(15));
        deposit(
            db,
            &clock,
            &zhao_a.id,
            720_000,
            "济南城建劳务有限公司",
            "代发工资",
        )
        .await?;
        clock.set(at(18));
        withdraw(
            db,
            &clock,
            &zhao_a.id,
            150_000,
            "济南农商银行ATM",
            "ATM取款",
        )
        .await?;
        clock.set(at(21));
        withdraw(db, &clock, &li_a.id, 100_000, "济南农商银行ATM", "ATM取款").await?;
        if month == 2 {
            clock.set(at(19));
            let repay = send(
                &wang,
                &wang_a.id,
                PayeeRef::Card(li_a.card_no.clone()),
                None,
                20_000,
                "还钱",
            );
            transfers.post(&repay, None).await?;
        }
        clock.set(at(24));
        let fertilizer = send(
            &wang,
            &wang_a.id,
            PayeeRef::Card(zhang_card.clone()),
            Some(&zhang),
            120_000,
            "化肥款",
        );
        transfers.post(&fertilizer, None).await?;
        clock.advance(10 * MINUTE);
        process_due(db, &clock, keys, &network, &Pass::after(0)).await?;
    }
    // Time deposits: his yearly one from the grain money, her six-month one (matured by now).
    let deposits = crate::deposit::Deposits { db, clock: &clock };
    clock.set(start + 40 * DAY);
    deposits
        .open(&crate::deposit::OpenRequest {
            customer_id: wang.clone(),
            source_account_id: wang_a.id.clone(),
            product: "Y1".into(),
            principal: 2_000_000,
            auto_renew: true,
            idempotency_key: "demo-deposit-1".into(),
        })
        .await?;
    clock.set(start + 2 * DAY);
    deposits
        .open(&crate::deposit::OpenRequest {
            customer_id: sun.clone(),
            source_account_id: sun_a.id.clone(),
            product: "Y1".into(),
            principal: 5_000_000,
            auto_renew: true,
            idempotency_key: "demo-deposit-3".into(),
        })
        .await?;
    clock.set(start + DAY);
    deposits
        .open(&crate::deposit::OpenRequest {
            customer_id: li.clone(),
            source_account_id: li_a.id.clone(),
            product: "M6".into(),
            principal: 500_000,
            auto_renew: false,
            idempotency_key: "demo-deposit-2".into(),
        })
        .await?;
    clock.set(now);
    deposits.process_matured(10).await?;
    // The payee book: what each of them pays most, under the names they would use.
    let payees = transfers.payees();
    for (customer, card_tail, alias) in [
        (&wang, &li_a.card_no[li_a.card_no.len() - 4..], "小李"),
        (&wang, &zhang_card[zhang_card.len() - 4..], "农资店张老板"),
        (&li, &liu_card[liu_card.len() - 4..], "房东"),
        (&li, &wang_a.card_no[wang_a.card_no.len() - 4..], "王叔"),
    ] {
        if let Some(p) = payees
            .list(customer)
            .await?
            .into_iter()
            .find(|p| p.card_tail == card_tail)
        {
            payees.save(customer, &p.id, alias).await?;
        }
    }
    // Alerts older than a week count as read; the last week's stay new.
    clock.set(now - 7 * DAY);
    for customer in [&wang, &li, &zhao, &sun] {
        crate::notify::mark_all_read(db, &clock, customer).await?;
    }
    Ok(true)
}

/// The demo staff's password and authenticator secret (base32, for an authenticator app),
/// documented in the README. Never used outside development mode.
pub const DEMO_STAFF_PASSWORD: &str = "ops-demo-2026";
pub const DEMO_STAFF_TOTP: &str = "DEMOOPSSECRET234DEMOOPSSECRET234";

/// (institution, login, name, roles): an administrator, an editor and an approver for the
/// union and for two banks (济南农商银行 B001 and 章丘农商银行 B002, the demo customers' banks),
/// service agents: one of the union (statistics across banks) and one of B001, and B002's credit
/// officer (the demo borrower's bank).
const DEMO_STAFF: [(&str, &str, &str, &[crate::ops::Role]); 12] = {
    use crate::ops::Role::*;
    [
        ("P000", "p000.admin", "孙立新", &[Admin]),
        ("P000", "p000.service", "何志强", &[ServiceAgent]),
        ("P000", "p000.editor", "周文静", &[Editor]),
        (
            "P000",
            "p000.approver",
            "吴建华",
            &[Approver, ProductManager],
        ),
        ("B001", "b001.admin", "郑海燕", &[Admin]),
        ("B001", "b001.service", "钱秀英", &[ServiceAgent]),
        ("B001", "b001.editor", "冯晓东", &[Editor]),
        (
            "B001",
            "b001.approver",
            "陈丽娟",
            &[Approver, ProductManager],
        ),
        ("B002", "b002.admin", "褚国强", &[Admin]),
        ("B002", "b002.editor", "卫红梅", &[Editor, ServiceAgent]),
        (
            "B002",
            "b002.approver",
            "蒋志刚",
            &[Approver, ProductManager],
        ),
        ("B002", "b002.credit", "沈建军", &[CreditOfficer]),
    ]
};

/// Creates the demo staff that are missing (their password needs no change); returns how
/// many were created.
pub async fn seed_staff(ops: &crate::ops::Ops<'_>) -> Result<usize> {
    let secret = crate::ops::totp::from_base32(DEMO_STAFF_TOTP)
        .ok_or_else(|| crate::Error::Internal("demo TOTP secret".into()))?;
    let mut created = 0;
    for (institution, login, name, roles) in DEMO_STAFF {
        let new = crate::ops::NewStaff {
            institution,
            login,
            name,
            roles,
        };
        match ops
            .insert_staff(&new, DEMO_STAFF_PASSWORD, &secret, false, "system")
            .await
        {
            Ok(_) => created += 1,
            Err(crate::Error::Refused(crate::Refusal::StaffLoginTaken)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::pii::KeyRing;
    use crate::testing;

    #[tokio::test]
    async fn demo_customers_can_sign_in_and_seeding_is_idempotent() {
        for t in testing::databases().await {
            crate::institution::seed(&t.db).await.unwrap();
            let clock = ManualClock::at(1_800_000_000_000);
            let keys = KeyRing::development();
            let identity = Identity {
                db: &t.db,
                clock: &clock,
                keys: &keys,
            };
            assert_eq!(seed_customers(&identity).await.unwrap(), 5);
            assert_eq!(seed_customers(&identity).await.unwrap(), 0);
            let m = Mobile::parse("13800000001").unwrap();
            let id = identity.check_password(&m, "demo2026pass").await.unwrap();
            assert_eq!(
                identity.profile(&id).await.unwrap().bank_name,
                "章丘农商银行"
            );

            crate::account::seed_internal(&t.db, &clock).await.unwrap();
            let committer = crate::transfer::Committer::start(t.db.clone());
            let now = crate::clock::Clock::now(&clock);
            assert!(seed_banking(&t.db, now, &keys, &committer).await.unwrap());
            assert!(!seed_banking(&t.db, now, &keys, &committer).await.unwrap());
            let accounts = crate::account::Accounts {
                db: &t.db,
                clock: &clock,
            };
            let wang = accounts.list(&id).await.unwrap();
            assert_eq!(wang.len(), 1);
            let page = crate::ledger::history(&t.db, &id, &wang[0].id, &Default::default(), 0, 100)
                .await
                .unwrap();
            assert!(page.items.len() > 20, "six months of movements");
            assert!(page.items.iter().all(|m| m.created_at <= now));
            assert_eq!(
                crate::ledger::check_books(&t.db).await.unwrap(),
                Vec::<String>::new()
            );
            // Every interbank payment went through clearing.
            let pending =
                sqlx::query("SELECT COUNT(*) AS n FROM transfers WHERE status = 'pending'")
                    .fetch_one(t.db.pool())
                    .await
                    .unwrap();
            assert_eq!(crate::db::get_i64(&pending, "n").unwrap(), 0);
            t.finish().await;
        }
    }
}
