use super::tests::World;
use super::*;
use crate::audit::for_subject;
use crate::clock::{china_day_start, DAY};
use crate::deposit::catalogue::offers;
use crate::testing::{self, refusal};
use crate::Error;

#[test]
fn rates_are_typed_in_per_cent_with_at_most_two_decimals() {
    assert_eq!(parse_rate("1.55").unwrap(), 155);
    assert_eq!(parse_rate(" 2 ").unwrap(), 200);
    assert_eq!(parse_rate("1.5%").unwrap(), 150);
    assert_eq!(parse_rate("0.05").unwrap(), 5);
    assert_eq!(parse_rate("20").unwrap(), MAX_RATE_BP);
    assert_eq!(parse_rate("1.").unwrap(), 100);
    for bad in [
        "", "1.555", "-1", "abc", "1,5", "20.01", "100", ".5", "1.2.3",
    ] {
        assert!(
            matches!(
                parse_rate(bad),
                Err(Error::Invalid {
                    input: crate::Input::Rate,
                    ..
                })
            ),
            "{bad:?}"
        );
    }
}

async fn rate_in(w: &World, bank: &str, code: &str) -> i64 {
    offers(&w.t.db, bank, w.clock.now())
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.code == code)
        .map(|o| o.rate_bp)
        .unwrap_or(-1)
}

#[tokio::test]
async fn banks_schedule_rates_within_the_province_band_and_keep_their_history() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let pm = w.member("B001", "b001.pm", &[Role::ProductManager]).await;
        let other = w.member("B002", "b002.pm", &[Role::ProductManager]).await;
        let editor = w.member("B001", "b001.editor", &[Role::Editor]).await;
        let today = w.clock.china_day();

        // The seeded catalogue at its default rates until a bank sets its own.
        assert_eq!(rate_in(&w, "B001", "Y1").await, 145);
        let sheet = w.ops().rate_sheet(&pm).await.unwrap();
        assert_eq!(sheet.len(), 8);
        assert!(sheet
            .iter()
            .all(|l| l.upcoming.is_empty() && l.history.is_empty()));

        // Only a product manager; within the band; today or later; one rate per day.
        assert_eq!(
            refusal(w.ops().schedule_rate(&editor, "Y1", 160, today).await),
            Refusal::NotPermitted
        );
        assert_eq!(
            refusal(w.ops().schedule_rate(&pm, "Y1", 186, today).await),
            Refusal::RateOutsideBand {
                floor_bp: 105,
                ceiling_bp: 185
            }
        );
        assert_eq!(
            refusal(w.ops().schedule_rate(&pm, "Y1", 104, today).await),
            Refusal::RateOutsideBand {
                floor_bp: 105,
                ceiling_bp: 185
            }
        );
        assert_eq!(
            refusal(w.ops().schedule_rate(&pm, "Y1", 160, today - 1).await),
            Refusal::RateDateInPast
        );
        assert!(matches!(
            w.ops().schedule_rate(&pm, "NOPE", 160, today).await,
            Err(Error::NotFound(_))
        ));
        w.ops().schedule_rate(&pm, "Y1", 160, today).await.unwrap();
        assert_eq!(
            refusal(w.ops().schedule_rate(&pm, "Y1", 170, today).await),
            Refusal::RateScheduleTaken
        );
        assert_eq!(rate_in(&w, "B001", "Y1").await, 160);
        assert_eq!(
            rate_in(&w, "B002", "Y1").await,
            145,
            "another bank is untouched"
        );

        // Tomorrow's rate waits for tomorrow; one still to come may be withdrawn.
        w.ops()
            .schedule_rate(&pm, "Y1", 170, today + 1)
            .await
            .unwrap();
        w.ops()
            .schedule_rate(&pm, "Y1", 175, today + 5)
            .await
            .unwrap();
        let line = w
            .ops()
            .rate_sheet(&pm)
            .await
            .unwrap()
            .into_iter()
            .find(|l| l.offer.code == "Y1")
            .unwrap();
        assert_eq!(line.offer.rate_bp, 160);
        let upcoming: Vec<i64> = line.upcoming.iter().map(|r| r.rate_bp).collect();
        assert_eq!(upcoming, [170, 175], "soonest first");
        assert_eq!(line.history.len(), 1);
        // Another bank cannot withdraw it (it is not theirs to see).
        let five = china_day_start(today + 5);
        w.ops().withdraw_rate(&other, "Y1", five).await.unwrap_err();
        w.ops().withdraw_rate(&pm, "Y1", five).await.unwrap();
        assert_eq!(rate_in(&w, "B001", "Y1").await, 160);
        w.clock.advance(DAY);
        assert_eq!(rate_in(&w, "B001", "Y1").await, 170);
        // The rate in effect (and every earlier one) is history and stays.
        assert!(matches!(
            w.ops()
                .withdraw_rate(&pm, "Y1", china_day_start(today + 1))
                .await,
            Err(Error::NotFound(_))
        ));
        let line = w
            .ops()
            .rate_sheet(&pm)
            .await
            .unwrap()
            .into_iter()
            .find(|l| l.offer.code == "Y1")
            .unwrap();
        let history: Vec<i64> = line.history.iter().map(|r| r.rate_bp).collect();
        assert_eq!(history, [170, 160], "newest first");
        assert!(line.upcoming.is_empty());

        // Every change is in the audit log with the bank.
        let actions = w.audited("Y1", "B001").await;
        assert_eq!(actions.iter().filter(|a| *a == "rate_scheduled").count(), 3);
        assert!(actions.iter().any(|a| a == "rate_withdrawn"));
        w.t.finish().await;
    }
}

#[tokio::test]
async fn local_products_are_the_banks_own_and_the_union_moves_the_bands() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let pm = w.member("B001", "b001.pm", &[Role::ProductManager]).await;
        let other = w.member("B002", "b002.pm", &[Role::ProductManager]).await;
        let union = w.member("P000", "p000.pm", &[Role::ProductManager]).await;
        let today = w.clock.china_day();

        let local = |rate_bp: i64, months: u32, min: i64| NewLocalProduct {
            name_zh: "惠农一年定期".into(),
            name_en: "Farmers' 1-year deposit".into(),
            months,
            certificate: false,
            min,
            rate_bp,
        };
        assert_eq!(
            refusal(w.ops().add_local_product(&pm, &local(186, 12, 5_000)).await),
            Refusal::RateOutsideBand {
                floor_bp: 105,
                ceiling_bp: 185
            }
        );
        assert_eq!(
            refusal(w.ops().add_local_product(&pm, &local(180, 12, 4_999)).await),
            Refusal::BelowMinimum { min: 5_000 }
        );
        assert!(matches!(
            w.ops().add_local_product(&pm, &local(180, 7, 5_000)).await,
            Err(Error::Invalid {
                input: crate::Input::Choice,
                ..
            })
        ));
        let mut unnamed = local(180, 12, 5_000);
        unnamed.name_zh = " ".into();
        assert!(matches!(
            w.ops().add_local_product(&pm, &unnamed).await,
            Err(Error::Invalid {
                input: crate::Input::ProductName,
                ..
            })
        ));
        assert_eq!(
            refusal(
                w.ops()
                    .add_local_product(&union, &local(180, 12, 5_000))
                    .await
            ),
            Refusal::NotPermitted,
            "the union publishes the catalogue, not local products"
        );
        let code = w
            .ops()
            .add_local_product(&pm, &local(180, 12, 10_000))
            .await
            .unwrap();
        assert!(code.starts_with("B001-"), "{code}");
        assert_eq!(rate_in(&w, "B001", &code).await, 180);
        assert_eq!(
            rate_in(&w, "B002", &code).await,
            -1,
            "only the bank's own customers see it"
        );
        // Another bank can neither price it nor see it on its sheet.
        assert!(matches!(
            w.ops().schedule_rate(&other, &code, 150, today).await,
            Err(Error::NotFound(_))
        ));
        let sheet = w.ops().rate_sheet(&other).await.unwrap();
        assert!(sheet.iter().all(|l| l.offer.code != code));
        let sheet = w.ops().rate_sheet(&pm).await.unwrap();
        assert!(sheet.iter().any(|l| l.offer.code == code && l.offer.local));

        // Bands are the union's: a bank may not move them, the union not a bank's rate.
        assert_eq!(
            refusal(w.ops().set_band(&pm, "Y1", 100, 200, 150).await),
            Refusal::NotPermitted
        );
        assert_eq!(
            refusal(w.ops().schedule_rate(&union, "Y1", 150, today).await),
            Refusal::NotPermitted
        );
        assert!(matches!(
            w.ops().set_band(&union, "Y1", 160, 150, 155).await,
            Err(Error::Invalid {
                input: crate::Input::Rate,
                ..
            })
        ));
        assert!(matches!(
            w.ops().set_band(&union, &code, 100, 200, 150).await,
            Err(Error::NotFound(_))
        ));
        // A band that would leave B001's rates outside it waits until B001 changes them:
        // its local product's starting rate (180), then a rate it scheduled to come (184).
        assert_eq!(
            refusal(w.ops().set_band(&union, "Y1", 105, 175, 145).await),
            Refusal::BandExcludesRates { banks: 1 }
        );
        w.ops().schedule_rate(&pm, &code, 150, today).await.unwrap();
        w.ops()
            .schedule_rate(&pm, "Y1", 184, today + 3)
            .await
            .unwrap();
        assert_eq!(
            refusal(w.ops().set_band(&union, "Y1", 105, 175, 145).await),
            Refusal::BandExcludesRates { banks: 1 }
        );
        w.ops()
            .withdraw_rate(&pm, "Y1", china_day_start(today + 3))
            .await
            .unwrap();
        w.ops().set_band(&union, "Y1", 105, 175, 140).await.unwrap();
        // The default moves every bank without a rate of its own; the local product's band too.
        assert_eq!(rate_in(&w, "B002", "Y1").await, 140);
        assert_eq!(
            refusal(w.ops().schedule_rate(&pm, &code, 176, today + 1).await),
            Refusal::RateOutsideBand {
                floor_bp: 105,
                ceiling_bp: 175
            }
        );
        let trail = for_subject(&w.t.db, "Y1", 20).await.unwrap();
        assert!(trail
            .iter()
            .any(|r| r.action == "rate_band_set" && r.detail.contains("\"institution\":\"P000\"")));
        w.t.finish().await;
    }
}
