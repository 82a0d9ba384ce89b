//! The console's loans desk on both engines: rates within the band, bands the union moves, and
//! the portfolio per bank.

use super::desk::Portfolio;
use super::lifecycle_tests::{loans, pledge_application, saver, sign};
use super::*;
use crate::clock::{beijing_day_start, china_day_start, Clock, DAY, HOUR};
use crate::error::Refusal;
use crate::ops::{Role, StaffMember};
use crate::testing::{self, refusal};
use crate::transfer::tests::World;
use crate::Error;

fn member(institution: &str, roles: &[Role]) -> StaffMember {
    StaffMember {
        id: format!("staff-{institution}-{roles:?}"),
        login: format!("{}.x", institution.to_lowercase()),
        institution: institution.into(),
        name_masked: "张*".into(),
        roles: roles.to_vec(),
        must_change_password: false,
    }
}

async fn rate_of(w: &World, bank: &str, code: &str) -> i64 {
    products::offer(&w.t.db, bank, code, w.clock.now())
        .await
        .unwrap()
        .rate_bp
}

#[tokio::test]
async fn banks_price_loans_within_the_band_the_union_keeps() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        w.clock
            .set(beijing_day_start("2027-01-15").unwrap() + 9 * HOUR);
        let l = loans(&w);
        let pm = member("B001", &[Role::ProductManager]);
        let union = member("P000", &[Role::ProductManager]);
        let editor = member("B001", &[Role::Editor]);
        let today = w.clock.china_day();

        let sheet = l.rate_sheet(&pm).await.unwrap();
        assert_eq!(sheet.len(), 4);
        assert_eq!(rate_of(&w, "B001", "BZED").await, 580);

        assert_eq!(
            refusal(l.schedule_rate(&pm, "BZED", 1_200, today).await),
            Refusal::RateOutsideBand {
                floor_bp: 400,
                ceiling_bp: 1_000
            }
        );
        assert_eq!(
            refusal(l.schedule_rate(&pm, "BZED", 520, today - 1).await),
            Refusal::RateDateInPast
        );
        for nobody in [&editor, &union] {
            assert_eq!(
                refusal(l.schedule_rate(nobody, "BZED", 520, today + 1).await),
                Refusal::NotPermitted
            );
        }
        l.schedule_rate(&pm, "BZED", 520, today + 1).await.unwrap();
        assert_eq!(
            refusal(l.schedule_rate(&pm, "BZED", 530, today + 1).await),
            Refusal::RateScheduleTaken
        );
        let line =
            |s: Vec<desk::LoanRateLine>| s.into_iter().find(|x| x.offer.code == "BZED").unwrap();
        assert_eq!(line(l.rate_sheet(&pm).await.unwrap()).upcoming.len(), 1);
        assert_eq!(rate_of(&w, "B001", "BZED").await, 580, "from tomorrow");
        w.clock.advance(DAY);
        assert_eq!(rate_of(&w, "B001", "BZED").await, 520);
        assert_eq!(rate_of(&w, "B002", "BZED").await, 580, "one bank's rate");
        // A rate to come may be withdrawn; one in effect is history.
        l.schedule_rate(&pm, "BZED", 500, today + 5).await.unwrap();
        l.withdraw_rate(&pm, "BZED", china_day_start(today + 5))
            .await
            .unwrap();
        assert!(matches!(
            l.withdraw_rate(&pm, "BZED", china_day_start(today + 1))
                .await,
            Err(Error::NotFound(_))
        ));
        let bzed = line(l.rate_sheet(&pm).await.unwrap());
        assert_eq!((bzed.upcoming.len(), bzed.history.len()), (0, 1));

        // The union moves the band, not below a bank's rate; a bank cannot.
        assert_eq!(
            refusal(l.set_band(&union, "BZED", 550, 900, 600).await),
            Refusal::BandExcludesRates { banks: 1 }
        );
        assert_eq!(
            refusal(l.set_band(&pm, "BZED", 400, 900, 600).await),
            Refusal::NotPermitted
        );
        assert!(l.set_band(&union, "BZED", 700, 600, 650).await.is_err());
        l.set_band(&union, "BZED", 400, 900, 600).await.unwrap();
        assert_eq!(rate_of(&w, "B002", "BZED").await, 600);
        assert_eq!(rate_of(&w, "B001", "BZED").await, 520);
        let audited: i64 = crate::db::get_i64(
            &sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE subject = 'BZED'")
                .fetch_one(w.t.db.pool())
                .await
                .unwrap(),
            "n",
        )
        .unwrap();
        assert_eq!(audited, 4, "scheduled twice, withdrawn, band set");
        w.t.finish().await;
    }
}

#[tokio::test]
async fn the_portfolio_shows_per_bank_what_is_owed_paid_out_and_overdue() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        w.clock
            .set(beijing_day_start("2027-03-10").unwrap() + 9 * HOUR);
        let l = loans(&w);
        let officer = member("B002", &[Role::CreditOfficer]);
        let elsewhere = member("B001", &[Role::Admin]);
        let union = member("P000", &[Role::Admin]);
        assert_eq!(
            refusal(l.portfolio(&member("B002", &[Role::Editor])).await),
            Refusal::NotPermitted
        );

        let (c, a, d) = saver(&w).await;
        let loan = l
            .apply(&pledge_application(&c, &a.id, &d, 4_000_000, "k1"))
            .await
            .unwrap();
        sign(&w, 1, &c, &loan.id).await.unwrap();
        let mine = l.portfolio(&officer).await.unwrap();
        assert_eq!(
            mine,
            vec![Portfolio {
                bank_code: "B002".into(),
                active: 1,
                outstanding: 4_000_000,
                disbursed_this_month: 4_000_000,
                overdue: 0,
                overdue_loans: 0,
            }]
        );
        // Another bank sees its own, empty; the union every bank with loans.
        assert_eq!(
            l.portfolio(&elsewhere).await.unwrap(),
            vec![Portfolio {
                bank_code: "B001".into(),
                ..Portfolio::default()
            }]
        );
        assert_eq!(l.portfolio(&union).await.unwrap(), mine);

        // She spends everything: the first instalment goes unpaid past its day.
        let spend = w.balance(&c, &a.id).await;
        crate::ledger::withdraw(&w.t.db, &w.clock, &a.id, spend, "ATM", "取现")
            .await
            .unwrap();
        w.clock
            .set(beijing_day_start("2027-04-11").unwrap() + 2 * HOUR);
        l.service(100).await.unwrap();
        let next_month = &l.portfolio(&officer).await.unwrap()[0];
        assert_eq!(next_month.disbursed_this_month, 0);
        assert_eq!(
            (next_month.overdue, next_month.overdue_loans),
            (4_000_000, 1)
        );
        assert_eq!(next_month.overdue_ratio_bp(), 10_000);
        w.t.finish().await;
    }
}
