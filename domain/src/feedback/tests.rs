use super::*;
use crate::clock::{Clock, DAY, HOUR};
use crate::error::Input;
use crate::notify;
use crate::ops::Role;
use crate::testing::{self, refusal, staff_member};
use crate::transfer::tests::World;

fn desk(w: &World) -> Feedback<'_> {
    Feedback {
        db: &w.t.db,
        clock: &w.clock,
        keys: &w.keys,
    }
}

fn complaint(text: &str) -> NewFeedback {
    NewFeedback {
        kind: Kind::Complaint,
        category: Category::Transfer,
        text: text.into(),
        page: "/transfer".into(),
        edition: "rural-simple".into(),
    }
}

fn invalid<T: std::fmt::Debug>(r: Result<T>) -> Input {
    match r {
        Err(Error::Invalid { input, .. }) => input,
        other => panic!("expected invalid input, got {other:?}"),
    }
}

async fn service_messages(w: &World, customer: &str) -> Vec<ReplyNotice> {
    notify::inbox(&w.t.db, customer, 50, Some(notify::Kind::Service))
        .await
        .unwrap()
        .iter()
        .map(|n| serde_json::from_str(&n.data).unwrap())
        .collect()
}

#[tokio::test]
async fn a_customer_sends_feedback_sealed_and_sees_only_their_own() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let f = desk(&w);
        let me = w.customer(1, "王建国", "B002").await;
        let other = w.customer(2, "李晓梅", "B001").await;
        let words = "转账页面的字太小，我母亲 370102195001011234 看不清。";
        let id = f.submit(&me, complaint(words)).await.unwrap();

        let mine = f.mine(&me).await.unwrap();
        assert_eq!(mine.len(), 1);
        let t = &mine[0];
        assert_eq!(
            (t.text.as_str(), t.bank_code.as_str(), t.status),
            (words, "B002", Status::Open)
        );
        assert_eq!(
            (t.page.as_str(), t.edition.as_str()),
            ("/transfer", "rural-simple")
        );
        assert_eq!(t.due_at, w.clock.now() + 24 * HOUR, "a complaint: one day");
        // The words are sealed: the table holds neither them nor the ID number in them.
        let raw: String = sqlx::query_scalar("SELECT text_sealed FROM feedback WHERE id = $1")
            .bind(&id)
            .fetch_one(w.t.db.pool())
            .await
            .unwrap();
        assert!(!raw.contains("370102") && !raw.contains("转账"), "{raw}");

        // Another customer neither lists nor opens nor rates it.
        assert!(f.mine(&other).await.unwrap().is_empty());
        assert!(matches!(f.one(&other, &id).await, Err(Error::NotFound(_))));
        assert!(matches!(
            f.rate(&other, &id, Rating::Satisfied).await,
            Err(Error::NotFound(_))
        ));
        // Not answered yet: nothing to rate.
        assert_eq!(
            refusal(f.rate(&me, &id, Rating::Satisfied).await),
            Refusal::FeedbackNotRateable
        );
    }
}

#[tokio::test]
async fn bad_feedback_is_refused_with_its_reason_and_waiting_feedback_is_capped() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let f = desk(&w);
        let me = w.customer(1, "王建国", "B002").await;
        assert_eq!(
            invalid(f.submit(&me, complaint("太慢")).await),
            Input::FeedbackText
        );
        let long = "慢".repeat(501);
        assert_eq!(
            invalid(f.submit(&me, complaint(&long)).await),
            Input::FeedbackText
        );
        for page in [
            "https://evil.example/x",
            "//evil.example",
            "/transfer?card=6228",
        ] {
            let mut new = complaint("转账到账很慢。");
            new.page = page.into();
            assert_eq!(
                invalid(f.submit(&me, new).await),
                Input::FeedbackText,
                "{page}"
            );
        }
        // A forged edition is dropped, not stored.
        let mut new = NewFeedback {
            kind: Kind::Suggestion,
            ..complaint("希望增加语音播报功能。")
        };
        new.edition = "<script>".into();
        let id = f.submit(&me, new).await.unwrap();
        let t = f.one(&me, &id).await.unwrap();
        assert_eq!(t.edition, "");
        assert_eq!(
            t.due_at,
            w.clock.now() + 72 * HOUR,
            "a suggestion: three days"
        );
        for n in 1..MAX_UNANSWERED {
            f.submit(&me, complaint(&format!("第{n}次反馈转账问题。")))
                .await
                .unwrap();
        }
        assert_eq!(
            refusal(f.submit(&me, complaint("再反馈一次转账问题。")).await),
            Refusal::FeedbackTooMany {
                max: MAX_UNANSWERED
            }
        );
    }
}

#[tokio::test]
async fn the_customers_bank_answers_into_the_message_centre_and_no_other_bank_sees_it() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let f = desk(&w);
        let me = w.customer(1, "王建国", "B002").await;
        let id = f
            .submit(&me, complaint("转账到账很慢，等了两个小时。"))
            .await
            .unwrap();
        let agent = staff_member("s-b002", "B002", &[Role::ServiceAgent]);
        let colleague = staff_member("s-b002-2", "B002", &[Role::ServiceAgent]);
        let stranger = staff_member("s-b001", "B001", &[Role::ServiceAgent, Role::Admin]);
        let editor = staff_member("e-b002", "B002", &[Role::Editor]);

        // Another bank's agent: an empty queue, and the item does not exist for them.
        assert!(f.queue(&stranger, Queue::Waiting).await.unwrap().is_empty());
        assert!(matches!(
            f.ticket_for_staff(&stranger, &id).await,
            Err(Error::NotFound(_))
        ));
        assert!(matches!(
            f.take(&stranger, &id).await,
            Err(Error::NotFound(_))
        ));
        assert!(matches!(
            f.reply(&stranger, &id, "已处理。").await,
            Err(Error::NotFound(_))
        ));
        // Staff without the role: not permitted.
        assert_eq!(
            refusal(f.queue(&editor, Queue::Waiting).await),
            Refusal::NotPermitted
        );

        let queue = f.queue(&agent, Queue::Waiting).await.unwrap();
        assert_eq!(queue.iter().map(|t| &t.id).collect::<Vec<_>>(), [&id]);
        f.take(&agent, &id).await.unwrap();
        // A colleague may take it over while it waits.
        f.take(&colleague, &id).await.unwrap();
        let taken = f.ticket_for_staff(&agent, &id).await.unwrap();
        assert_eq!(
            (taken.status, taken.taken_by.as_deref()),
            (Status::Taken, Some("s-b002-2"))
        );
        assert_eq!(
            invalid(f.reply(&agent, &id, "好").await),
            Input::FeedbackText
        );

        w.clock.advance(2 * HOUR);
        let answer = "您好，跨行转账高峰期会有延迟，我们已优化处理。";
        f.reply(&colleague, &id, answer).await.unwrap();
        assert_eq!(
            refusal(f.reply(&agent, &id, "再答一次。").await),
            Refusal::FeedbackAnswered
        );
        assert_eq!(
            refusal(f.take(&agent, &id).await),
            Refusal::FeedbackAnswered
        );
        assert!(f.queue(&agent, Queue::Waiting).await.unwrap().is_empty());
        assert_eq!(f.queue(&agent, Queue::Answered).await.unwrap().len(), 1);

        // The customer reads the answer and gets one notice of it, unread.
        let t = f.one(&me, &id).await.unwrap();
        assert_eq!(
            (t.status, t.reply.as_deref()),
            (Status::Replied, Some(answer))
        );
        assert!(!t.overdue(w.clock.now()));
        assert_eq!(
            service_messages(&w, &me).await,
            [ReplyNotice {
                feedback_id: id.clone(),
                category: Category::Transfer
            }]
        );
        assert_eq!(notify::unread(&w.t.db, &me).await.unwrap(), 1);
        let raw: String = sqlx::query_scalar("SELECT reply_sealed FROM feedback WHERE id = $1")
            .bind(&id)
            .fetch_one(w.t.db.pool())
            .await
            .unwrap();
        assert!(!raw.contains("转账"));

        f.rate(&me, &id, Rating::Satisfied).await.unwrap();
        assert_eq!(
            refusal(f.rate(&me, &id, Rating::Unsatisfied).await),
            Refusal::FeedbackNotRateable
        );
        let t = f.one(&me, &id).await.unwrap();
        assert_eq!(
            (t.status, t.rating),
            (Status::Closed, Some(Rating::Satisfied))
        );

        let trail: Vec<String> =
            sqlx::query_scalar("SELECT action FROM audit_log WHERE subject = $1 ORDER BY seq")
                .bind(&id)
                .fetch_all(w.t.db.pool())
                .await
                .unwrap();
        assert_eq!(
            trail,
            [
                "feedback_sent",
                "feedback_taken",
                "feedback_taken",
                "feedback_replied",
                "feedback_rated"
            ]
        );
    }
}

#[tokio::test]
async fn two_agents_answering_at_once_give_one_answer_and_one_notice() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let f = desk(&w);
        let me = w.customer(1, "王建国", "B002").await;
        let id = f
            .submit(&me, complaint("存款利率看不明白。"))
            .await
            .unwrap();
        let a = staff_member("s-a", "B002", &[Role::ServiceAgent]);
        let b = staff_member("s-b", "B002", &[Role::ServiceAgent]);
        let (ra, rb) = tokio::join!(
            f.reply(&a, &id, "甲的答复内容。"),
            f.reply(&b, &id, "乙的答复内容。")
        );
        let outcomes = [ra.is_ok(), rb.is_ok()];
        assert_eq!(
            outcomes.iter().filter(|ok| **ok).count(),
            1,
            "{ra:?} {rb:?}"
        );
        let loser = if ra.is_ok() { rb } else { ra };
        assert_eq!(refusal(loser), Refusal::FeedbackAnswered);
        assert_eq!(service_messages(&w, &me).await.len(), 1);
    }
}

#[tokio::test]
async fn the_union_sees_every_bank_keep_its_service_level_and_a_bank_its_own() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let f = desk(&w);
        let since = w.clock.now();
        let b002_customer = w.customer(1, "王建国", "B002").await;
        let b001_customer = w.customer(2, "李晓梅", "B001").await;
        let b002 = staff_member("s-b002", "B002", &[Role::ServiceAgent]);
        let b001 = staff_member("s-b001", "B001", &[Role::ServiceAgent]);
        let union = staff_member("s-p000", "P000", &[Role::ServiceAgent]);
        let union_admin = staff_member("a-p000", "P000", &[Role::Admin]);
        let union_editor = staff_member("e-p000", "P000", &[Role::Editor]);

        // B002: one complaint answered in an hour and rated, one left past its day.
        let fast = f
            .submit(&b002_customer, complaint("转账失败了两次。"))
            .await
            .unwrap();
        let slow = f
            .submit(&b002_customer, complaint("网点排队太久了。"))
            .await
            .unwrap();
        // B001: a suggestion answered on its third day (in time), rated unsatisfied.
        let suggestion = NewFeedback {
            kind: Kind::Suggestion,
            ..complaint("希望首页增加大字模式入口。")
        };
        let late = f.submit(&b001_customer, suggestion).await.unwrap();
        w.clock.advance(HOUR);
        f.reply(&b002, &fast, "已为您查明原因并处理。")
            .await
            .unwrap();
        f.rate(&b002_customer, &fast, Rating::Satisfied)
            .await
            .unwrap();
        w.clock.advance(2 * DAY);
        f.reply(&b001, &late, "感谢建议，已纳入改版计划。")
            .await
            .unwrap();
        f.rate(&b001_customer, &late, Rating::Unsatisfied)
            .await
            .unwrap();

        let all = f.stats(&union, since).await.unwrap();
        assert_eq!(all, f.stats(&union_admin, since).await.unwrap());
        let by_bank = |code: &str| all.iter().find(|s| s.bank_code == code).unwrap().clone();
        let s = by_bank("B002");
        assert_eq!(
            (s.received, s.complaints, s.waiting, s.overdue, s.answered),
            (2, 2, 1, 1, 1)
        );
        assert_eq!(s.average_answer_minutes(), Some(60));
        assert_eq!(
            (s.in_time_percent(), s.satisfied_percent()),
            (Some(100), Some(100))
        );
        let s = by_bank("B001");
        assert_eq!(
            (s.received, s.complaints, s.waiting, s.overdue, s.answered),
            (1, 0, 0, 0, 1)
        );
        assert_eq!(s.average_answer_minutes(), Some(49 * 60));
        assert_eq!(
            (s.in_time_percent(), s.satisfied_percent()),
            (Some(100), Some(0))
        );
        assert_eq!(all.len(), 2, "banks without feedback are left out");

        // A bank sees its own row only; staff without the roles see nothing.
        let own = f.stats(&b001, since).await.unwrap();
        assert_eq!(
            own.iter().map(|s| s.bank_code.as_str()).collect::<Vec<_>>(),
            ["B001"]
        );
        assert_eq!(
            refusal(f.stats(&union_editor, since).await),
            Refusal::NotPermitted
        );
        // A later period holds none of it.
        assert!(f.stats(&union, w.clock.now()).await.unwrap().is_empty());
        // The slow one still waits; answered past its day, it counts as late.
        f.reply(&b002, &slow, "抱歉让您久等。").await.unwrap();
        let s = f.stats(&b002, since).await.unwrap().remove(0);
        assert_eq!(
            (s.answered, s.answered_in_time, s.in_time_percent()),
            (2, 1, Some(50))
        );
    }
}
