use super::*;
use crate::account::AccountClass;
use crate::clock::{ManualClock, DAY};
use crate::deposit::{Deposits, OpenRequest};
use crate::error::Refusal;
use crate::ops::Role;
use crate::testing::{self, refusal, staff_member as member};
use crate::transfer::tests::World;

fn draft(kind: Kind, title: &str, targeting: Targeting, clock: &ManualClock) -> Draft {
    Draft {
        kind,
        title: title.into(),
        body: "春耕时节，**农资贷款**开始受理。".into(),
        targeting,
        starts_at: clock.now() - DAY,
        ends_at: clock.now() + 30 * DAY,
        push: false,
    }
}

pub(super) fn content(w: &World) -> Content<'_> {
    Content {
        db: &w.t.db,
        clock: &w.clock,
    }
}

#[tokio::test]
async fn an_editor_drafts_and_a_different_approver_of_the_same_institution_publishes() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let c = content(&w);
        let editor = member("e1", "B001", &[Role::Editor]);
        let both = member("e2", "B001", &[Role::Editor, Role::Approver]);
        let approver = member("a1", "B001", &[Role::Approver]);
        let other_bank = member("a2", "B002", &[Role::Approver, Role::Editor]);
        let union = member("a3", "P000", &[Role::Approver, Role::Editor]);
        let product = member("p1", "B001", &[Role::ProductManager]);

        // Bad input: which part, and nothing stored.
        let mut empty = draft(Kind::News, " ", Targeting::default(), &w.clock);
        assert!(matches!(
            c.create(&editor, empty.clone()).await,
            Err(Error::Invalid {
                input: Input::ContentTitle,
                ..
            })
        ));
        empty.title = "x".into();
        empty.ends_at = empty.starts_at;
        assert!(matches!(
            c.create(&editor, empty).await,
            Err(Error::Invalid {
                input: Input::ContentSchedule,
                ..
            })
        ));
        let mut bad_edition = draft(Kind::News, "x", Targeting::default(), &w.clock);
        bad_edition.targeting.editions = vec!["gold".into()];
        assert!(c.create(&editor, bad_edition).await.is_err());
        assert_eq!(
            refusal(
                c.create(
                    &approver,
                    draft(Kind::News, "x", Targeting::default(), &w.clock)
                )
                .await
            ),
            Refusal::NotPermitted,
            "an approver alone drafts nothing"
        );
        assert_eq!(
            refusal(c.list_for_staff(&product).await),
            Refusal::NotPermitted
        );
        assert!(c.list_for_staff(&editor).await.unwrap().is_empty());

        let id = c
            .create(
                &both,
                draft(Kind::Campaign, "春耕贷款", Targeting::default(), &w.clock),
            )
            .await
            .unwrap();
        // Not submitted: nothing to publish.
        assert_eq!(
            refusal(c.publish(&approver, &id).await),
            Refusal::ContentNotEditable
        );
        c.submit(&both, &id).await.unwrap();
        // The one who drafted it does not publish it, even holding both roles.
        assert_eq!(
            refusal(c.publish(&both, &id).await),
            Refusal::OwnDraftReview
        );
        // Another bank's or the union's approver: not found.
        for outsider in [&other_bank, &union] {
            assert!(matches!(
                c.publish(outsider, &id).await,
                Err(Error::NotFound(_))
            ));
            assert!(matches!(
                c.item_for_staff(outsider, &id).await,
                Err(Error::NotFound(_))
            ));
            assert!(matches!(
                c.withdraw(outsider, &id).await,
                Err(Error::NotFound(_))
            ));
            assert!(matches!(
                c.update(
                    outsider,
                    &id,
                    draft(Kind::News, "x", Targeting::default(), &w.clock)
                )
                .await,
                Err(Error::NotFound(_))
            ));
        }
        // Sent back with a note, changed, submitted again, published.
        c.reject(&approver, &id, "请写明利率").await.unwrap();
        let item = c.item_for_staff(&editor, &id).await.unwrap();
        assert_eq!(
            (item.status, item.review_note.as_str()),
            (Status::Rejected, "请写明利率")
        );
        c.update(
            &editor,
            &id,
            draft(
                Kind::Campaign,
                "春耕贷款 年化 3.85% 起",
                Targeting::default(),
                &w.clock,
            ),
        )
        .await
        .unwrap();
        c.submit(&editor, &id).await.unwrap();
        c.publish(&approver, &id).await.unwrap();
        // Published: no longer editable, not published twice.
        assert_eq!(
            refusal(c.publish(&approver, &id).await),
            Refusal::ContentNotEditable
        );
        assert_eq!(
            refusal(
                c.update(
                    &editor,
                    &id,
                    draft(Kind::News, "x", Targeting::default(), &w.clock)
                )
                .await
            ),
            Refusal::ContentNotEditable
        );
        let item = c.item_for_staff(&editor, &id).await.unwrap();
        assert_eq!(item.status, Status::Published);
        assert_eq!(item.reviewed_by.as_deref(), Some("a1"));
        assert!(item.published_at.is_some());
        assert!(c.list_for_staff(&other_bank).await.unwrap().is_empty());
        c.withdraw(&approver, &id).await.unwrap();
        assert_eq!(
            c.item_for_staff(&editor, &id).await.unwrap().status,
            Status::Withdrawn
        );

        let trail = crate::audit::for_subject(&w.t.db, &id, 20).await.unwrap();
        let mut actions: Vec<&str> = trail.iter().map(|r| r.action.as_str()).collect();
        actions.reverse();
        assert_eq!(
            actions,
            [
                "content_drafted",
                "content_submitted",
                "content_rejected",
                "content_updated",
                "content_submitted",
                "content_published",
                "content_withdrawn"
            ]
        );
        assert!(trail
            .iter()
            .all(|r| r.detail.contains("\"institution\":\"B001\"")));
        w.t.finish().await;
    }
}

/// Publishes a draft of `institution` at once (an editor and an approver of it).
pub(super) async fn published(c: &Content<'_>, institution: &str, d: Draft) -> String {
    let editor = member(&format!("{institution}-e"), institution, &[Role::Editor]);
    let approver = member(&format!("{institution}-a"), institution, &[Role::Approver]);
    let id = c.create(&editor, d).await.unwrap();
    c.submit(&editor, &id).await.unwrap();
    c.publish(&approver, &id).await.unwrap();
    id
}

fn viewer(customer: Option<&str>, edition: &str) -> Viewer {
    Viewer {
        customer_id: customer.map(str::to_string),
        edition: edition.into(),
        simple: edition.ends_with("-simple"),
    }
}

#[tokio::test]
async fn each_customer_sees_what_is_live_and_meant_for_them() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let c = content(&w);
        // 王建国 of 章丘 (B002, county 章丘区), born 1990, with a deposit; 李晓梅 of B001 (济南,
        // 市辖区), born 1990; 赵永刚 of B007 (青岛), made 66 by his birth year.
        let wang = w.customer(1, "王建国", "B002").await;
        let li = w.customer(2, "李晓梅", "B001").await;
        let zhao = w.customer(3, "赵永刚", "B007").await;
        sqlx::query("UPDATE customers SET birth_year = birth_year - 40 WHERE id = $1")
            .bind(&zhao)
            .execute(w.t.db.pool())
            .await
            .unwrap();
        let a = w.funded(&wang, AccountClass::One, 1_000_000).await;
        Deposits {
            db: &w.t.db,
            clock: &w.clock,
        }
        .open(&OpenRequest {
            customer_id: wang.clone(),
            source_account_id: a.id.clone(),
            product: "M3".into(),
            principal: 500_000,
            auto_renew: false,
            idempotency_key: "k".into(),
        })
        .await
        .unwrap();
        // Registered long ago, except 李晓梅.
        sqlx::query("UPDATE customers SET created_at = created_at - $1 WHERE id <> $2")
            .bind(60 * DAY)
            .bind(&li)
            .execute(w.t.db.pool())
            .await
            .unwrap();

        let t = |editions: &[&str], places: &[&str], segments: &[Segment]| Targeting {
            editions: editions.iter().map(|s| s.to_string()).collect(),
            places: places.iter().map(|s| s.to_string()).collect(),
            segments: segments.to_vec(),
        };
        let mut items = Vec::new();
        for (institution, kind, title, targeting) in [
            ("P000", Kind::News, "province-news", t(&[], &[], &[])),
            ("P000", Kind::Campaign, "province-banner", t(&[], &[], &[])),
            (
                "B002",
                Kind::Campaign,
                "b002-rural-banner",
                t(&["rural", "rural-simple"], &[], &[]),
            ),
            ("B002", Kind::News, "b002-news", t(&[], &[], &[])),
            ("B001", Kind::News, "b001-news", t(&[], &[], &[])),
            (
                "P000",
                Kind::Announcement,
                "qingdao-only",
                t(&[], &["青岛"], &[]),
            ),
            (
                "P000",
                Kind::News,
                "zhangqiu-county",
                t(&[], &["章丘区"], &[]),
            ),
            ("P000", Kind::News, "elders", t(&[], &[], &[Segment::Age60])),
            (
                "P000",
                Kind::News,
                "depositors",
                t(&[], &[], &[Segment::HasDeposit]),
            ),
            (
                "P000",
                Kind::News,
                "newcomers",
                t(&[], &[], &[Segment::New30]),
            ),
        ] {
            let id = published(&c, institution, draft(kind, title, targeting, &w.clock)).await;
            items.push((title, id));
        }
        // A draft, one not yet started and one ended: never shown.
        let editor = member("x", "P000", &[Role::Editor]);
        c.create(
            &editor,
            draft(Kind::News, "draft", Targeting::default(), &w.clock),
        )
        .await
        .unwrap();
        let mut later = draft(Kind::News, "later", Targeting::default(), &w.clock);
        later.starts_at = w.clock.now() + DAY;
        let later = published(&c, "P000", later).await;
        let mut ended = draft(Kind::News, "ended", Targeting::default(), &w.clock);
        ended.ends_at = w.clock.now() - 1;
        published(&c, "P000", ended).await;

        let all = [Kind::News, Kind::Announcement, Kind::Campaign];
        let titles = |list: Vec<Item>| {
            let mut v: Vec<String> = list.into_iter().map(|i| i.draft.title).collect();
            v.sort();
            v
        };
        let seen = |who: Option<&str>, edition: &str| {
            let v = viewer(who, edition);
            let c = &c;
            async move { titles(c.feed(&v, &all, 50).await.unwrap()) }
        };
        assert_eq!(
            seen(Some(&wang), "rural").await,
            [
                "b002-news",
                "b002-rural-banner",
                "depositors",
                "province-banner",
                "province-news",
                "zhangqiu-county"
            ]
        );
        // The simple edition: no banners.
        assert_eq!(
            seen(Some(&wang), "rural-simple").await,
            [
                "b002-news",
                "depositors",
                "province-news",
                "zhangqiu-county"
            ]
        );
        assert_eq!(
            seen(Some(&wang), "city").await.len(),
            5,
            "no rural banner in the city edition"
        );
        assert_eq!(
            seen(Some(&li), "city").await,
            ["b001-news", "newcomers", "province-banner", "province-news"]
        );
        assert_eq!(
            seen(Some(&zhao), "city-simple").await,
            ["elders", "province-news", "qingdao-only"]
        );
        // A visitor: province-wide items for everyone only.
        assert_eq!(
            seen(None, "city").await,
            ["province-banner", "province-news"]
        );

        // One item: only if it is meant for the viewer, else "not found".
        let id_of = |title: &str| items.iter().find(|(t, _)| *t == title).unwrap().1.clone();
        assert!(c
            .item_for(&viewer(Some(&wang), "rural"), &id_of("b002-news"))
            .await
            .is_ok());
        for (who, id) in [
            (Some(li.as_str()), id_of("b002-news")),
            (Some(wang.as_str()), id_of("qingdao-only")),
            (None, id_of("b001-news")),
            (Some(wang.as_str()), later.clone()),
        ] {
            assert!(
                matches!(
                    c.item_for(&viewer(who, "city"), &id).await,
                    Err(Error::NotFound(_))
                ),
                "{id}"
            );
        }
        assert!(matches!(
            c.item_for(
                &viewer(Some(&wang), "rural-simple"),
                &id_of("b002-rural-banner")
            )
            .await,
            Err(Error::NotFound(_))
        ));
        // Kinds narrow the feed; the limit holds.
        let banners = c
            .feed(&viewer(Some(&wang), "rural"), &[Kind::Campaign], 1)
            .await
            .unwrap();
        assert_eq!(banners.len(), 1);
        assert_eq!(banners[0].draft.kind, Kind::Campaign);
        // Tomorrow the later one is live.
        w.clock.advance(DAY);
        assert!(c.item_for(&viewer(None, "city"), &later).await.is_ok());
        w.t.finish().await;
    }
}

#[tokio::test]
async fn years_of_birth_are_filled_in_from_the_sealed_resident_id() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let wang = w.customer(1, "王建国", "B002").await;
        sqlx::query("UPDATE customers SET birth_year = NULL")
            .execute(w.t.db.pool())
            .await
            .unwrap();
        let keys = crate::pii::KeyRing::development();
        assert_eq!(
            crate::identity::fill_birth_years(&w.t.db, &keys, 10)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            crate::identity::fill_birth_years(&w.t.db, &keys, 10)
                .await
                .unwrap(),
            0
        );
        let year: i64 = sqlx::query_scalar("SELECT birth_year FROM customers WHERE id = $1")
            .bind(&wang)
            .fetch_one(w.t.db.pool())
            .await
            .unwrap();
        assert_eq!(year, 1990);
        w.t.finish().await;
    }
}
