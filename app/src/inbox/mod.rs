//! 消息中心, the message centre: movement alerts (动账通知), due-bill reminders (缴费提醒, with a
//! link to the bill), the news, announcements and campaigns pushed to the customer (with a
//! link to the item), and the bank's answers to their feedback (服务消息, with a link to the
//! answer), loan reminders (three days ahead, on the due day, overdue), all or one kind at a time (`?kind=`). Opening it marks what it shows read. Below,
//! what the customer allows to be pushed (`consent.rs`); new messages arrive live on every page
//! (`live.rs`).

mod consent;
pub mod live;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::account::Protected;
use crate::error::AppError;
use crate::i18n::{Lang, Msg, Named, Tpl};
use crate::prefs::use_prefs;

// The pages below arrive in their own WASM chunk (see `crate::chunk`).
crate::lazy_pages!(inbox: INBOX_PAGE => InboxPage);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxItem {
    pub time: String,
    pub body: Body,
    pub heading: Heading,
    pub unread: bool,
    /// Where to act on it (the bill, found already), if anywhere.
    pub href: Option<String>,
}

/// What an item says, as values: the page words it in the language in use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Body {
    /// Money in or out of an account (amounts already written as yuan).
    Movement {
        incoming: bool,
        card_tail: String,
        amount: String,
        balance: String,
        counterparty: String,
        memo: String,
    },
    /// An item pushed by the union or the bank: its title.
    Pushed { title: String },
    /// The bank answered the customer's feedback about a category (`crate::feedback`'s value).
    FeedbackAnswered { category: String },
    /// A bill due on a saved number, and what automatic payment did about it.
    Bill {
        label: String,
        kind: Named,
        biller: String,
        period: String,
        due: String,
        outcome: BillOutcome,
    },
    /// A loan instalment due soon, due today and not collected, or overdue.
    Loan {
        product: Named,
        number: u32,
        date: String,
        amount: String,
        stage: LoanStage,
    },
}

/// Where a loan reminder's instalment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoanStage {
    Ahead,
    Due,
    Overdue,
    Approved,
    Declined,
    /// To a guarantor: a borrower asks them to guarantee.
    GuaranteeAsked,
    GuaranteeAccepted,
    GuaranteeRefused,
    /// To a guarantor: the loan they guarantee is overdue.
    GuaranteedOverdue,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BillOutcome {
    /// Automatic payment is off: the customer pays.
    Due,
    Paid,
    /// Not paid automatically: it would pass the monthly cap (yuan).
    OverCap {
        cap: String,
    },
    /// Not paid automatically: the payment was refused.
    Failed,
}

impl Body {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Body::Pushed { title } => title.clone(),
            Body::FeedbackAnswered { category } => {
                let about = crate::feedback::label_of(&crate::feedback::CATEGORIES, category)
                    .unwrap_or(Msg::FeedbackCategoryOther);
                Tpl::AlertFeedbackAnswered.fill(lang, &[("category", lang.t(about))])
            }
            Body::Movement {
                incoming,
                card_tail,
                amount,
                balance,
                counterparty,
                memo,
            } => {
                let tpl = if *incoming {
                    Tpl::AlertMoneyIn
                } else {
                    Tpl::AlertMoneyOut
                };
                tpl.fill(
                    lang,
                    &[
                        ("tail", card_tail),
                        ("amount", amount),
                        ("balance", balance),
                        ("counterparty", counterparty),
                        ("memo", memo),
                    ],
                )
            }
            Body::Loan {
                product,
                number,
                date,
                amount,
                stage,
            } => {
                let tpl = match stage {
                    LoanStage::Ahead => Tpl::AlertLoanAhead,
                    LoanStage::Due => Tpl::AlertLoanDue,
                    LoanStage::Overdue => Tpl::AlertLoanOverdue,
                    LoanStage::Approved => Tpl::AlertLoanApproved,
                    LoanStage::Declined => Tpl::AlertLoanDeclined,
                    LoanStage::GuaranteeAsked => Tpl::AlertGuaranteeAsked,
                    LoanStage::GuaranteeAccepted => Tpl::AlertGuaranteeAccepted,
                    LoanStage::GuaranteeRefused => Tpl::AlertGuaranteeRefused,
                    LoanStage::GuaranteedOverdue => Tpl::AlertGuaranteedOverdue,
                };
                tpl.fill(
                    lang,
                    &[
                        ("product", product.get(lang)),
                        ("number", &number.to_string()),
                        ("date", date),
                        ("amount", amount),
                    ],
                )
            }
            Body::Bill {
                label,
                kind,
                biller,
                period,
                due,
                outcome,
            } => {
                let (tpl, cap) = match outcome {
                    BillOutcome::Due => (Tpl::AlertBillDue, ""),
                    BillOutcome::Paid => (Tpl::AlertBillAutoPaid, ""),
                    BillOutcome::OverCap { cap } => (Tpl::AlertBillOverCap, cap.as_str()),
                    BillOutcome::Failed => (Tpl::AlertBillAutoFailed, ""),
                };
                tpl.fill(
                    lang,
                    &[
                        ("label", label),
                        ("kind", kind.get(lang)),
                        ("biller", biller),
                        ("period", period),
                        ("due", due),
                        ("cap", cap),
                    ],
                )
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Heading {
    MoneyIn,
    MoneyOut,
    BillDue,
    AutoPaid,
    News,
    Announcement,
    Campaign,
    FeedbackAnswered,
    LoanReminder,
    LoanOverdue,
    LoanDecision,
    GuaranteeAsked,
    GuaranteedOverdue,
}

impl Heading {
    fn msg(self) -> Msg {
        match self {
            Heading::MoneyIn => Msg::AlertIn,
            Heading::MoneyOut => Msg::AlertOut,
            Heading::BillDue => Msg::AlertBillDue,
            Heading::AutoPaid => Msg::AlertAutoPaid,
            Heading::News => Msg::NewsKindNews,
            Heading::Announcement => Msg::NewsKindAnnouncement,
            Heading::Campaign => Msg::NewsKindCampaign,
            Heading::FeedbackAnswered => Msg::AlertFeedbackHeading,
            Heading::LoanReminder => Msg::AlertLoanHeading,
            Heading::LoanOverdue => Msg::AlertLoanOverdueHeading,
            Heading::LoanDecision => Msg::AlertLoanDecisionHeading,
            Heading::GuaranteeAsked => Msg::AlertGuaranteeHeading,
            Heading::GuaranteedOverdue => Msg::AlertGuaranteedOverdueHeading,
        }
    }

    /// The link's words, where the item has one.
    fn action(self) -> Msg {
        match self {
            Heading::AutoPaid => Msg::AlertSeePayment,
            Heading::News | Heading::Announcement | Heading::Campaign => Msg::InboxOpenItem,
            Heading::FeedbackAnswered => Msg::AlertSeeAnswer,
            Heading::LoanDecision | Heading::GuaranteedOverdue => Msg::AlertSeeLoan,
            Heading::GuaranteeAsked => Msg::AlertSeeGuarantee,
            Heading::LoanReminder | Heading::LoanOverdue => Msg::AlertRepayNow,
            _ => Msg::AlertPayNow,
        }
    }
}

/// The kinds the message centre shows one at a time: (`?kind=` value, tab label).
pub const KINDS: [(&str, Msg); 5] = [
    ("movement", Msg::InboxKindMovement),
    ("bill_due", Msg::InboxKindReminder),
    ("news", Msg::InboxKindNews),
    ("campaign", Msg::InboxKindCampaign),
    ("service", Msg::InboxKindService),
];

/// The page's data: the messages of the kind asked for and what the customer allows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub items: Vec<InboxItem>,
    /// Unread after this page marked what it shows (for the header's bell).
    pub unread: i64,
    pub consents: consent::Consents,
}

/// `kind`: one of [`KINDS`]' values, or none for all.
#[server(endpoint = "load_inbox")]
pub async fn load_inbox(kind: Option<String>) -> Result<Inbox, AppError> {
    use crate::auth::server::{current_session, fail};
    use domain::billpay::reminders::{AutoPayOutcome, BillDueAlert};
    use domain::content::push::PushedItem;
    use domain::ledger::MovementAlert;
    use domain::money::format_yuan;
    let (ctx, s) = current_session().await?;
    // An unknown kind shows everything, as the tabs' "all" does.
    let only = kind.as_deref().and_then(domain::notify::Kind::parse);
    let items = domain::notify::inbox(&ctx.db, &s.customer_id, 50, only)
        .await
        .map_err(fail)?;
    domain::notify::mark_read(&ctx.db, ctx.clock.as_ref(), &s.customer_id, &items)
        .await
        .map_err(fail)?;
    // Reminders link to their saved number's bill (read once for the whole list).
    let households = ctx.households().list(&s.customer_id).await.map_err(fail)?;
    let mut out = Vec::with_capacity(items.len());
    for n in items {
        let time = domain::clock::beijing_datetime(n.created_at);
        let unread = !n.read;
        if matches!(
            n.kind,
            domain::notify::Kind::News | domain::notify::Kind::Campaign
        ) {
            let Ok(p) = serde_json::from_str::<PushedItem>(&n.data) else {
                continue;
            };
            out.push(InboxItem {
                time,
                body: Body::Pushed { title: p.title },
                heading: match p.kind {
                    domain::content::Kind::News => Heading::News,
                    domain::content::Kind::Announcement => Heading::Announcement,
                    domain::content::Kind::Campaign => Heading::Campaign,
                },
                unread,
                href: Some(format!("/news/{}", p.item_id)),
            });
            continue;
        }
        if n.kind == domain::notify::Kind::Service {
            let Ok(r) = serde_json::from_str::<domain::feedback::ReplyNotice>(&n.data) else {
                continue;
            };
            out.push(InboxItem {
                time,
                body: Body::FeedbackAnswered {
                    category: r.category.as_str().into(),
                },
                heading: Heading::FeedbackAnswered,
                unread,
                href: Some(format!("/feedback/{}", r.feedback_id)),
            });
            continue;
        }
        if n.kind == domain::notify::Kind::Loan {
            let Ok(a) = serde_json::from_str::<domain::loans::servicing::LoanAlert>(&n.data) else {
                continue;
            };
            use domain::loans::servicing::Stage;
            let stage = match a.stage {
                Stage::Ahead => LoanStage::Ahead,
                Stage::Due => LoanStage::Due,
                Stage::Overdue if a.to_guarantor => LoanStage::GuaranteedOverdue,
                Stage::Overdue => LoanStage::Overdue,
                Stage::Approved => LoanStage::Approved,
                Stage::Declined => LoanStage::Declined,
                Stage::GuaranteeAsked => LoanStage::GuaranteeAsked,
                Stage::GuaranteeAccepted => LoanStage::GuaranteeAccepted,
                Stage::GuaranteeRefused => LoanStage::GuaranteeRefused,
            };
            // A guarantor's messages open the loan as its guarantor sees it.
            let href = if a.to_guarantor {
                format!("/loans/guarantees/{}", a.loan_id)
            } else {
                format!("/loans/{}", a.loan_id)
            };
            out.push(InboxItem {
                time,
                body: Body::Loan {
                    product: crate::loans::kind_name(a.kind),
                    number: a.number,
                    date: domain::clock::beijing_date(domain::clock::china_day_start(a.due_day)),
                    amount: format_yuan(a.amount),
                    stage,
                },
                heading: match stage {
                    LoanStage::Overdue => Heading::LoanOverdue,
                    LoanStage::Approved
                    | LoanStage::Declined
                    | LoanStage::GuaranteeAccepted
                    | LoanStage::GuaranteeRefused => Heading::LoanDecision,
                    LoanStage::GuaranteeAsked => Heading::GuaranteeAsked,
                    LoanStage::GuaranteedOverdue => Heading::GuaranteedOverdue,
                    LoanStage::Ahead | LoanStage::Due => Heading::LoanReminder,
                },
                unread,
                href: Some(href),
            });
            continue;
        }
        if n.kind == domain::notify::Kind::BillDue {
            let Ok(a) = serde_json::from_str::<BillDueAlert>(&n.data) else {
                continue;
            };
            let (outcome, heading, href) = match &a.autopay {
                AutoPayOutcome::Paid { payment_id } => (
                    BillOutcome::Paid,
                    Heading::AutoPaid,
                    Some(format!("/bills/payments/{payment_id}")),
                ),
                other => (
                    match other {
                        AutoPayOutcome::OverCap { cap } => BillOutcome::OverCap {
                            cap: format_yuan(*cap),
                        },
                        AutoPayOutcome::Failed => BillOutcome::Failed,
                        _ => BillOutcome::Due,
                    },
                    Heading::BillDue,
                    // Removed from the saved numbers since: the reminder stays, no link.
                    households
                        .iter()
                        .find(|h| h.id == a.household_id)
                        .map(crate::bills::household_href),
                ),
            };
            out.push(InboxItem {
                time,
                body: Body::Bill {
                    kind: Named::new(a.kind.name_zh(), a.kind.name_en()),
                    label: a.label,
                    biller: a.biller,
                    period: a.period,
                    due: format_yuan(a.due),
                    outcome,
                },
                heading,
                unread,
                href,
            });
            continue;
        }
        let Ok(a) = serde_json::from_str::<MovementAlert>(&n.data) else {
            continue;
        };
        let incoming = a.amount > 0;
        out.push(InboxItem {
            time,
            body: Body::Movement {
                incoming,
                card_tail: a.card_tail,
                amount: format_yuan(a.amount.abs()),
                balance: format_yuan(a.balance_after),
                counterparty: a.counterparty,
                memo: a.memo,
            },
            heading: if incoming {
                Heading::MoneyIn
            } else {
                Heading::MoneyOut
            },
            unread,
            href: None,
        });
    }
    Ok(Inbox {
        items: out,
        unread: domain::notify::unread(&ctx.db, &s.customer_id)
            .await
            .map_err(fail)?,
        consents: consent::of(&ctx, &s.customer_id).await?,
    })
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let prefs = use_prefs();
    let query = leptos_router::hooks::use_query_map();
    let kind = move || {
        query
            .with(|q| q.get("kind"))
            .filter(|k| KINDS.iter().any(|(v, _)| v == k))
    };
    let live = live::use_live();
    let items = Resource::new(
        move || (kind(), live.map(|l| l.arrived.get())),
        |(kind, _)| load_inbox(kind),
    );
    // What this page marked read leaves the bell's count.
    Effect::new(move |_| {
        if let (Some(l), Some(Ok(inbox))) = (live, items.get()) {
            l.unread.set(Some(inbox.unread));
        }
    });
    let tab = move |value: Option<&'static str>, label: Msg| {
        let href = value.map_or("/inbox".to_string(), |v| format!("/inbox?kind={v}"));
        let current = move || (kind().as_deref() == value).then_some("page");
        view! { <a class="inbox-tab" href=href aria-current=current>{move || prefs.t(label)}</a> }
    };
    view! {
        <section class="page" aria-labelledby="inbox-title">
            <h1 id="inbox-title" class="page-title">{move || prefs.t(Msg::InboxTitle)}</h1>
            <nav class="inbox-tabs" aria-label=move || prefs.t(Msg::InboxKinds) data-testid="inbox-kinds">
                {tab(None, Msg::InboxKindAll)}
                {KINDS.into_iter().map(|(value, label)| tab(Some(value), label)).collect_view()}
            </nav>
            <Protected data=items next="/inbox" ready=move |inbox: Inbox| {
                let list = if inbox.items.is_empty() { view! { <p class="card">{prefs.t(Msg::InboxEmpty)}</p> }.into_any() } else {
                        let rows = inbox.items.into_iter().map(|i| view! {
                            <li class="movement">
                                <div class="movement-main">
                                    <span class="movement-party">{prefs.t(i.heading.msg())}
                                        {i.unread.then(|| view! { " " <span class="badge">{prefs.t(Msg::Unread)}</span> })}</span>
                                    <span class="movement-sub">{i.time}</span>
                                </div>
                                <p>{let body = i.body.clone(); move || body.text(prefs.lang.get())}</p>
                                {i.href.map(|href| view! {
                                    <a class="btn-primary mt-2" href=href data-testid="inbox-pay">
                                        {prefs.t(i.heading.action())}
                                    </a>
                                })}
                            </li>
                        }).collect_view();
                        view! { <ul class="movements" role="list" data-testid="inbox">{rows}</ul> }.into_any()
                    };
                view! { {list} <consent::ConsentForm consents=inbox.consents/> }.into_any()
            }/>
        </section>
    }
}
