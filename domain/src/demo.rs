//! Demo customers for development mode and the demo (`./scripts/run.sh`): documented logins in
//! the README, never created in production. Their SMS codes land in the development outbox.

use crate::identity::{Date, Identity, Mobile, RealName, Registration, ResidentId};
use crate::Result;

/// (mobile, name, resident ID first 17 digits, bank, password)
const DEMO: [(&str, &str, &str, &str, &str); 2] = [
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
            assert_eq!(seed_customers(&identity).await.unwrap(), 2);
            assert_eq!(seed_customers(&identity).await.unwrap(), 0);
            let m = Mobile::parse("13800000001").unwrap();
            let id = identity.check_password(&m, "demo2026pass").await.unwrap();
            assert_eq!(
                identity.profile(&id).await.unwrap().bank_name,
                "章丘农商银行"
            );
            t.finish().await;
        }
    }
}
