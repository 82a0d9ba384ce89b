use super::*;
use crate::clock::{Clock, ManualClock, DAY};
use crate::content::tests::{content, published};
use crate::content::{Draft, Segment, Targeting};
use crate::ops::Role;
use crate::testing;
use crate::transfer::tests::World;

fn pushed(kind: Kind, title: &str, editions: &[&str], clock: &ManualClock) -> Draft {
    Draft {
        kind,
        title: title.into(),
        body: "春耕时节，农资贷款开始受理。".into(),
        targeting: Targeting {
            editions: editions.iter().map(|s| s.to_string()).collect(),
            ..Targeting::default()
        },
        starts_at: clock.now() - DAY,
        ends_at: clock.now() + 30 * DAY,
        push: true,
    }
}

/// How many messages of `item` each customer holds, in `customers`' order.
async fn received(w: &World, item: &str, customers: &[&String]) -> Vec<i64> {
    let mut out = Vec::new();
    for c in customers {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM notifications WHERE customer_id = $1 AND source = $2",
        )
        .bind(c.as_str())
        .bind(item)
        .fetch_one(w.t.db.pool())
        .await
        .unwrap();
        out.push(get_i64(&row, "n").unwrap());
    }
    out
}

/// Runs two workers side by side until neither finds anything to do.
async fn race_to_the_end(c: &Content<'_>, batch: i64) -> u64 {
    let (one, two) = (
        Pusher {
            content: Content {
                db: c.db,
                clock: c.clock,
            },
            node: "node-1",
        },
        Pusher {
            content: Content {
                db: c.db,
                clock: c.clock,
            },
            node: "node-2",
        },
    );
    let mut total = 0;
    for _ in 0..200 {
        let (a, b) = tokio::join!(one.pass(batch, 2), two.pass(batch, 2));
        let (a, b) = (a.unwrap(), b.unwrap());
        total += a.messages + b.messages;
        if a.customers + b.customers == 0 && Pusher::open_count(c.db).await.unwrap() == 0 {
            return total;
        }
    }
    panic!("deliveries never finished");
}

#[tokio::test]
async fn a_push_reaches_each_targeted_customer_exactly_once_with_two_workers_racing() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let c = content(&w);
        // B002's customers: rural (allowed marketing), rural (did not), rural-simple (allowed),
        // city (allowed), one whose edition is not known (allowed); and B001's rural customer
        // (allowed), who is another bank's.
        let rural_yes = w.customer(1, "王建国", "B002").await;
        let rural_no = w.customer(2, "王建民", "B002").await;
        let simple_yes = w.customer(3, "王秀英", "B002").await;
        let city_yes = w.customer(4, "王小明", "B002").await;
        let unknown_yes = w.customer(5, "王大山", "B002").await;
        let other_bank = w.customer(6, "李晓梅", "B001").await;
        for (who, edition) in [
            (&rural_yes, "rural"),
            (&rural_no, "rural"),
            (&simple_yes, "rural-simple"),
            (&city_yes, "city"),
            (&other_bank, "rural"),
        ] {
            record_edition(&w.t.db, who, edition).await.unwrap();
        }
        for who in [
            &rural_yes,
            &simple_yes,
            &city_yes,
            &unknown_yes,
            &other_bank,
        ] {
            crate::consent::set(&w.t.db, &w.clock, who, Purpose::Marketing, true)
                .await
                .unwrap();
        }
        // 王建民 also turned news off.
        crate::consent::set(&w.t.db, &w.clock, &rural_no, Purpose::News, false)
            .await
            .unwrap();
        let everyone = [
            &rural_yes,
            &rural_no,
            &simple_yes,
            &city_yes,
            &unknown_yes,
            &other_bank,
        ];

        let campaign = published(
            &c,
            "B002",
            pushed(
                Kind::Campaign,
                "春耕贷款",
                &["rural", "rural-simple"],
                &w.clock,
            ),
        )
        .await;
        let news = published(&c, "P000", pushed(Kind::News, "农商快讯", &[], &w.clock)).await;
        let mut quiet = pushed(Kind::News, "不推送", &[], &w.clock);
        quiet.push = false;
        let quiet = published(&c, "P000", quiet).await;

        // Batches of two, so each delivery takes several and the workers meet on each.
        let written = race_to_the_end(&c, 2).await;
        // The campaign: B002's rural edition with consent only (not the simple edition, not
        // without consent, not the city edition, not an unknown edition, not another bank).
        assert_eq!(received(&w, &campaign, &everyone).await, [1, 0, 0, 0, 0, 0]);
        // Province news: everyone but the one who turned news off, whatever the edition.
        assert_eq!(received(&w, &news, &everyone).await, [1, 0, 1, 1, 1, 1]);
        assert_eq!(received(&w, &quiet, &everyone).await, [0; 6]);
        assert_eq!(written, 6, "each message counted once");

        // It shows in the message centre, under its kind, as unread.
        let inbox =
            crate::notify::inbox(&w.t.db, &rural_yes, 10, Some(crate::notify::Kind::Campaign))
                .await
                .unwrap();
        assert_eq!(inbox.len(), 1);
        let shown: PushedItem = serde_json::from_str(&inbox[0].data).unwrap();
        assert_eq!(
            (shown.item_id.as_str(), shown.title.as_str()),
            (campaign.as_str(), "春耕贷款")
        );
        assert_eq!(crate::notify::unread(&w.t.db, &rural_yes).await.unwrap(), 2);
        // Reading the campaigns leaves the news unread.
        crate::notify::mark_read(&w.t.db, &w.clock, &rural_yes, &inbox)
            .await
            .unwrap();
        assert_eq!(crate::notify::unread(&w.t.db, &rural_yes).await.unwrap(), 1);

        // Running again writes nothing more.
        assert_eq!(race_to_the_end(&c, 2).await, 0);

        // Withdrawn: its messages go.
        let approver = testing::staff_member("B002-a", "B002", &[Role::Approver]);
        c.withdraw(&approver, &campaign).await.unwrap();
        assert_eq!(received(&w, &campaign, &everyone).await, [0; 6]);
        let left = crate::notify::inbox(&w.t.db, &rural_yes, 10, None)
            .await
            .unwrap();
        assert_eq!(left.len(), 1, "the news stays");
        assert_eq!(left[0].kind, crate::notify::Kind::News);
    }
}

#[tokio::test]
async fn a_delivery_waits_for_its_start_and_passes_to_another_worker_after_the_lease() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let c = content(&w);
        let mut customers = Vec::new();
        for n in 0..5 {
            customers.push(w.customer(10 + n, "张三", "B003").await);
        }
        let mut later = pushed(Kind::Announcement, "系统升级公告", &[], &w.clock);
        later.starts_at = w.clock.now() + DAY;
        later.targeting.segments = vec![Segment::New30];
        let item = published(&c, "B003", later).await;
        let one = Pusher {
            content: content(&w),
            node: "node-1",
        };
        let two = Pusher {
            content: content(&w),
            node: "node-2",
        };
        let messages = |p: Progress| p.messages;
        assert_eq!(
            one.pass(2, 10).await.unwrap(),
            Progress::default(),
            "not before its start"
        );
        w.clock.advance(DAY);
        // One batch, then the first worker stops (a node that went away).
        assert_eq!(messages(one.pass(2, 1).await.unwrap()), 2);
        assert_eq!(
            two.pass(2, 10).await.unwrap(),
            Progress::default(),
            "held by the first"
        );
        w.clock.advance(LEASE_MS + 1);
        assert_eq!(messages(two.pass(2, 10).await.unwrap()), 3);
        let everyone: Vec<&String> = customers.iter().collect();
        assert_eq!(received(&w, &item, &everyone).await, [1; 5]);
        assert_eq!(Pusher::open_count(&w.t.db).await.unwrap(), 0);
    }
}

#[tokio::test]
async fn editions_are_remembered_only_when_they_change_and_only_known_ones() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let me = w.customer(1, "王建国", "B002").await;
        assert!(record_edition(&w.t.db, &me, "gold").await.is_err());
        record_edition(&w.t.db, &me, "rural-simple").await.unwrap();
        record_edition(&w.t.db, &me, "rural-simple").await.unwrap();
        let row = sqlx::query("SELECT edition FROM customers WHERE id = $1")
            .bind(&me)
            .fetch_one(w.t.db.pool())
            .await
            .unwrap();
        assert_eq!(
            row.try_get::<Option<String>, _>("edition")
                .unwrap()
                .as_deref(),
            Some("rural-simple")
        );
    }
}
