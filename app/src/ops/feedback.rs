//! 客户反馈: the service agents' desk. The queue of the bank's customers' feedback, the nearest
//! deadline first, each with its service-level timer (time left, or overdue by how much); an
//! item with the customer's words and where they were, taken and answered (the answer goes to
//! the customer's message centre). The statistics page shows how each bank keeps up: every
//! bank for the union, the own one for a bank.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use super::home::ConsolePage;
use crate::error::{AppError, ErrorMessage, SaveStatus};
use crate::feedback::{label_of, FeedbackStatus, CATEGORIES, KINDS};
use crate::i18n::{Msg, Tpl};
use crate::prefs::use_prefs;

/// A row of the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub id: String,
    pub kind: String,
    pub category: String,
    pub status: FeedbackStatus,
    pub sent: String,
    /// Unix milliseconds: the timer counts to it.
    pub due_at: i64,
    pub answered_at: Option<i64>,
}

/// The queue and the server's clock when it was read (where the timers start).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    pub rows: Vec<QueueRow>,
    pub now: i64,
}

/// Who is on an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TakenBy {
    Me,
    Colleague,
}

/// One item as the agent works it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketView {
    pub row: QueueRow,
    pub text: String,
    pub page: String,
    /// The edition's slug, or empty.
    pub edition: String,
    pub taken_by: Option<TakenBy>,
    pub answer: Option<String>,
    pub answered: Option<String>,
    pub rating: Option<String>,
    pub now: i64,
}

/// One bank's numbers, or all banks' together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsRow {
    pub bank: String,
    pub received: i64,
    pub complaints: i64,
    pub waiting: i64,
    pub overdue: i64,
    pub in_time_percent: Option<i64>,
    pub average_minutes: Option<i64>,
    pub satisfied_percent: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsView {
    pub days: i64,
    pub rows: Vec<StatsRow>,
    /// All banks together, for the union (more than one bank).
    pub total: Option<StatsRow>,
}

/// The periods the statistics offer, in days.
const PERIODS: [(i64, Msg); 3] = [
    (7, Msg::OpsFeedbackDays7),
    (30, Msg::OpsFeedbackDays30),
    (90, Msg::OpsFeedbackDays90),
];

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use domain::feedback::{BankStats, Ticket};

    pub fn row(t: &Ticket) -> QueueRow {
        QueueRow {
            id: t.id.clone(),
            kind: t.kind.as_str().into(),
            category: t.category.as_str().into(),
            status: t.status.into(),
            sent: domain::clock::beijing_datetime(t.created_at),
            due_at: t.due_at,
            answered_at: t.replied_at,
        }
    }

    pub fn stats_row(bank: String, s: &BankStats) -> StatsRow {
        StatsRow {
            bank,
            received: s.received,
            complaints: s.complaints,
            waiting: s.waiting,
            overdue: s.overdue,
            in_time_percent: s.in_time_percent(),
            average_minutes: s.average_answer_minutes(),
            satisfied_percent: s.satisfied_percent(),
        }
    }
}

/// `answered`: any value shows the answered part of the queue.
#[server(prefix = "/ops/api", endpoint = "load_feedback_queue")]
pub async fn load_feedback_queue(answered: Option<String>) -> Result<QueueView, AppError> {
    use crate::auth::server::fail;
    use domain::feedback::Queue;
    let (ctx, s) = super::server::current_staff().await?;
    let which = if answered.is_some() {
        Queue::Answered
    } else {
        Queue::Waiting
    };
    let tickets = ctx.feedback().queue(&s.member, which).await.map_err(fail)?;
    Ok(QueueView {
        rows: tickets.iter().map(server::row).collect(),
        now: ctx.clock.now(),
    })
}

#[server(prefix = "/ops/api", endpoint = "load_feedback_ticket")]
pub async fn load_feedback_ticket(id: String) -> Result<TicketView, AppError> {
    use crate::auth::server::fail;
    let (ctx, s) = super::server::current_staff().await?;
    let t = ctx
        .feedback()
        .ticket_for_staff(&s.member, &id)
        .await
        .map_err(fail)?;
    Ok(TicketView {
        row: server::row(&t),
        taken_by: t.taken_by.as_ref().map(|by| {
            if *by == s.member.id {
                TakenBy::Me
            } else {
                TakenBy::Colleague
            }
        }),
        answered: t.replied_at.map(domain::clock::beijing_datetime),
        rating: t.rating.map(|r| r.as_str().into()),
        text: t.text,
        page: t.page,
        edition: t.edition,
        answer: t.reply,
        now: ctx.clock.now(),
    })
}

#[server(prefix = "/ops/api", endpoint = "take_feedback")]
pub async fn take_feedback(id: String) -> Result<(), AppError> {
    use crate::auth::server::fail;
    let (ctx, s) = super::server::current_staff().await?;
    ctx.feedback().take(&s.member, &id).await.map_err(fail)
}

#[server(prefix = "/ops/api", endpoint = "reply_feedback")]
pub async fn reply_feedback(id: String, text: String) -> Result<(), AppError> {
    use crate::auth::server::fail;
    let (ctx, s) = super::server::current_staff().await?;
    ctx.feedback()
        .reply(&s.member, &id, &text)
        .await
        .map_err(fail)
}

/// `days`: one of [`PERIODS`] (30 otherwise).
#[server(prefix = "/ops/api", endpoint = "load_feedback_stats")]
pub async fn load_feedback_stats(days: Option<i64>) -> Result<StatsView, AppError> {
    use crate::auth::server::fail;
    use domain::feedback::BankStats;
    let (ctx, s) = super::server::current_staff().await?;
    let days = days
        .filter(|d| PERIODS.iter().any(|(p, _)| p == d))
        .unwrap_or(30);
    let since = ctx.clock.now() - days * domain::clock::DAY;
    let stats = ctx.feedback().stats(&s.member, since).await.map_err(fail)?;
    let total = (stats.len() > 1).then(|| BankStats::sum(&stats));
    Ok(StatsView {
        days,
        rows: stats
            .iter()
            .map(|b| server::stats_row(b.bank_name.clone(), b))
            .collect(),
        total: total.map(|t| server::stats_row(String::new(), &t)),
    })
}

/// The time left to the service level, or how far past it: for waiting feedback from `now`
/// (the server's clock when the page was read), counting on in the browser every half minute;
/// for answered feedback as it stood when answered (`now` is then the answer's time).
#[component]
fn SlaTimer(due_at: i64, now: i64, #[prop(optional)] answered: bool) -> impl IntoView {
    let prefs = use_prefs();
    let now = RwSignal::new(now);
    // Effects run in the browser only: the server's HTML and the hydrated page start alike.
    Effect::new(move |started: Option<bool>| {
        if started.is_none() && !answered {
            if let Ok(handle) = set_interval_with_handle(
                move || now.update(|n| *n += 30_000),
                std::time::Duration::from_secs(30),
            ) {
                on_cleanup(move || handle.clear());
            }
        }
        true
    });
    let text = move || {
        let left = due_at - now.get();
        let minutes = left.abs() / 60_000;
        let (h, m) = ((minutes / 60).to_string(), (minutes % 60).to_string());
        let tpl = if left >= 0 {
            Tpl::SlaLeft
        } else {
            Tpl::SlaOverdue
        };
        tpl.fill(prefs.lang.get(), &[("hours", &h), ("minutes", &m)])
    };
    let overdue = move || (now.get() > due_at).to_string();
    view! { <span class="sla-timer" data-overdue=overdue data-testid="sla-timer">{text}</span> }
}

/// "3 小时 20 分" for a count of minutes.
fn hours_minutes(lang: crate::i18n::Lang, minutes: i64) -> String {
    Tpl::HoursMinutes.fill(
        lang,
        &[
            ("hours", &(minutes / 60).to_string()),
            ("minutes", &(minutes % 60).to_string()),
        ],
    )
}

fn kind_and_category(kind: &str, category: &str) -> (Msg, Msg) {
    (
        label_of(&KINDS, kind).unwrap_or(Msg::FeedbackKindSuggestion),
        label_of(&CATEGORIES, category).unwrap_or(Msg::FeedbackCategoryOther),
    )
}

#[component]
pub fn FeedbackQueuePage() -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    let answered = move || {
        query
            .with(|q| q.get("view"))
            .is_some_and(|v| v == "answered")
    };
    let queue = Resource::new(answered, |answered| {
        load_feedback_queue(answered.then(|| "on".to_string()))
    });
    let tab = move |value: bool, label: Msg| {
        let href = if value {
            "/ops/feedback?view=answered"
        } else {
            "/ops/feedback"
        };
        let current = move || (answered() == value).then_some("page");
        view! { <a class="inbox-tab" href=href aria-current=current>{move || prefs.t(label)}</a> }
    };
    view! {
        <ConsolePage title=Msg::OpsFeedback ready=move |_| view! {
            <nav class="inbox-tabs" aria-label=prefs.t(Msg::OpsFeedback)>
                {tab(false, Msg::OpsFeedbackWaiting)}
                {tab(true, Msg::OpsFeedbackAnswered)}
            </nav>
            <Transition fallback=move || view! { <p aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || queue.get().map(|r| match r {
                    Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
                    Ok(q) if q.rows.is_empty() => view! { <p class="card">{prefs.t(Msg::OpsFeedbackNone)}</p> }.into_any(),
                    Ok(q) => view! {
                        <table class="console-table" data-testid="feedback-queue">
                            <thead><tr>
                                <th scope="col">{prefs.t(Msg::FeedbackSentAt)}</th>
                                <th scope="col">{prefs.t(Msg::FeedbackKindLegend)}</th>
                                <th scope="col">{prefs.t(Msg::FeedbackCategory)}</th>
                                <th scope="col">{prefs.t(Msg::OpsStatus)}</th>
                                <th scope="col">{prefs.t(Msg::OpsFeedbackTimer)}</th>
                                <th scope="col"><span class="sr-only">{prefs.t(Msg::OpsFeedbackHandle)}</span></th>
                            </tr></thead>
                            <tbody>
                                {q.rows.into_iter().map(|r| {
                                    let (kind, category) = kind_and_category(&r.kind, &r.category);
                                    view! {
                                        <tr data-testid="feedback-row">
                                            <td>{r.sent.clone()}</td>
                                            <td>{prefs.t(kind)}</td>
                                            <td>{prefs.t(category)}</td>
                                            <td data-testid="feedback-status">{prefs.t(r.status.label())}</td>
                                            <td>{match r.answered_at {
                                                None => view! { <SlaTimer due_at=r.due_at now=q.now/> }.into_any(),
                                                Some(at) => view! { <SlaTimer due_at=r.due_at now=at answered=true/> }.into_any(),
                                            }}</td>
                                            <td><a href=format!("/ops/feedback/{}", r.id)>{prefs.t(Msg::OpsFeedbackHandle)}</a></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }
                    .into_any(),
                })}
            </Transition>
        }/>
    }
}

#[component]
pub fn FeedbackTicketPage() -> impl IntoView {
    let prefs = use_prefs();
    let params = use_params_map();
    let take = ServerAction::<TakeFeedback>::new();
    let reply = ServerAction::<ReplyFeedback>::new();
    let ticket = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                take.version().get(),
                reply.version().get(),
            )
        },
        |(id, _, _)| load_feedback_ticket(id),
    );
    view! {
        <ConsolePage title=Msg::OpsFeedback ready=move |_| view! {
            <SaveStatus action=take saved=Msg::OpsSaved/>
            <Transition fallback=move || view! { <p aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || ticket.get().map(|r| match r {
                    Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
                    Ok(t) => {
                        let (kind, category) = kind_and_category(&t.row.kind, &t.row.category);
                        let waiting = t.answer.is_none();
                        let edition = crate::edition::Edition::from_slug(&t.edition);
                        let (take_id, reply_id) = (t.row.id.clone(), t.row.id.clone());
                        view! {
                            <dl class="card profile mb-4" data-testid="feedback-ticket">
                                <div><dt>{prefs.t(Msg::FeedbackKindLegend)}</dt><dd>{prefs.t(kind)}</dd></div>
                                <div><dt>{prefs.t(Msg::FeedbackCategory)}</dt><dd>{prefs.t(category)}</dd></div>
                                <div><dt>{prefs.t(Msg::FeedbackSentAt)}</dt><dd>{t.row.sent.clone()}</dd></div>
                                <div><dt>{prefs.t(Msg::OpsStatus)}</dt><dd data-testid="feedback-status">{prefs.t(t.row.status.label())}</dd></div>
                                <div><dt>{prefs.t(Msg::OpsFeedbackTimer)}</dt><dd>
                                    <SlaTimer due_at=t.row.due_at now=t.row.answered_at.unwrap_or(t.now) answered=t.row.answered_at.is_some()/>
                                </dd></div>
                                <div><dt>{prefs.t(Msg::FeedbackPage)}</dt><dd data-testid="feedback-page">{t.page.clone()}</dd></div>
                                <div><dt>{prefs.t(Msg::FeedbackEdition)}</dt><dd>{edition.map(|e| prefs.t(e.name()))}</dd></div>
                                {t.taken_by.map(|by| view! {
                                    <div><dt>{prefs.t(Msg::OpsFeedbackTakenBy)}</dt><dd>{prefs.t(match by {
                                        TakenBy::Me => Msg::OpsFeedbackTakenByMe,
                                        TakenBy::Colleague => Msg::OpsFeedbackTakenByOther,
                                    })}</dd></div>
                                })}
                            </dl>
                            <h2 class="section-title">{prefs.t(Msg::FeedbackYourWords)}</h2>
                            <p class="card whitespace-pre-line mb-4" data-testid="feedback-words">{t.text.clone()}</p>
                            {(waiting && t.taken_by != Some(TakenBy::Me)).then(|| view! {
                                <ActionForm action=take>
                                    <input type="hidden" name="id" value=take_id/>
                                    <button type="submit" class="btn-secondary mb-4" data-testid="feedback-take">{prefs.t(Msg::OpsFeedbackTake)}</button>
                                </ActionForm>
                            })}
                            {waiting.then(|| view! {
                                <ActionForm action=reply>
                                    <div class="card form-stack console-narrow">
                                        <input type="hidden" name="id" value=reply_id/>
                                        <label class="field-label">{prefs.t(Msg::OpsFeedbackReply)}
                                            <textarea class="field" name="text" rows="5" required minlength="2" maxlength="1000" data-testid="feedback-reply"></textarea></label>
                                        <p class="text-muted">{prefs.t(Msg::OpsFeedbackReplyHint)}</p>
                                        <button type="submit" class="btn-primary" data-testid="feedback-send-reply">{prefs.t(Msg::OpsFeedbackSendReply)}</button>
                                        <SaveStatus action=reply saved=Msg::OpsSaved/>
                                    </div>
                                </ActionForm>
                            })}
                            {t.answer.clone().map(|answer| view! {
                                <h2 class="section-title">{prefs.t(Msg::FeedbackAnswer)}</h2>
                                <div class="card mb-4">
                                    <p class="whitespace-pre-line" data-testid="feedback-answer">{answer}</p>
                                    <p class="text-muted mt-2">{prefs.t(Msg::FeedbackAnsweredAt)} "：" {t.answered.clone()}</p>
                                    <p class="mt-2">{prefs.t(Msg::OpsFeedbackRating)} "："
                                        <span data-testid="feedback-rating">{prefs.t(match t.rating.as_deref() {
                                            Some("satisfied") => Msg::FeedbackSatisfied,
                                            Some(_) => Msg::FeedbackUnsatisfied,
                                            None => Msg::OpsFeedbackNotRated,
                                        })}</span></p>
                                </div>
                            })}
                        }
                        .into_any()
                    }
                })}
            </Transition>
            <a class="btn-secondary mt-4" href="/ops/feedback">{prefs.t(Msg::OpsFeedbackBack)}</a>
        }/>
    }
}

#[component]
pub fn FeedbackStatsPage() -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    let days = move || {
        query
            .with(|q| q.get("days"))
            .and_then(|d| d.parse::<i64>().ok())
    };
    let stats = Resource::new(days, load_feedback_stats);
    let percent = |p: Option<i64>| p.map_or("—".to_string(), |p| format!("{p}%"));
    view! {
        <ConsolePage title=Msg::OpsFeedbackStats ready=move |_| view! {
            <Transition fallback=move || view! { <p aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || stats.get().map(|r| match r {
                    Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
                    Ok(v) => {
                        let chosen = v.days;
                        let periods = view! {
                            <nav class="inbox-tabs" aria-label=prefs.t(Msg::OpsFeedbackPeriod)>
                                {PERIODS.into_iter().map(|(d, label)| view! {
                                    <a class="inbox-tab" href=format!("/ops/feedback/stats?days={d}")
                                        aria-current=(d == chosen).then_some("page")>{prefs.t(label)}</a>
                                }).collect_view()}
                            </nav>
                        };
                        if v.rows.is_empty() {
                            return view! { {periods} <p class="card">{prefs.t(Msg::OpsFeedbackNoStats)}</p> }.into_any();
                        }
                        let line = move |r: StatsRow, total: bool| {
                            let lang = prefs.lang.get_untracked();
                            view! {
                                <tr data-testid="feedback-stats-row" class=total.then_some("font-bold")>
                                    <th scope="row">{if total { prefs.t(Msg::OpsFeedbackTotal).to_string() } else { r.bank.clone() }}</th>
                                    <td>{r.received}</td>
                                    <td>{r.complaints}</td>
                                    <td>{r.waiting}</td>
                                    <td>{r.overdue}</td>
                                    <td>{percent(r.in_time_percent)}</td>
                                    <td>{r.average_minutes.map_or("—".to_string(), |m| hours_minutes(lang, m))}</td>
                                    <td>{percent(r.satisfied_percent)}</td>
                                </tr>
                            }
                        };
                        view! {
                            {periods}
                            <table class="console-table" data-testid="feedback-stats">
                                <thead><tr>
                                    <th scope="col">{prefs.t(Msg::OpsFeedbackBank)}</th>
                                    <th scope="col">{prefs.t(Msg::OpsFeedbackReceived)}</th>
                                    <th scope="col">{prefs.t(Msg::OpsFeedbackComplaints)}</th>
                                    <th scope="col">{prefs.t(Msg::OpsFeedbackWaiting)}</th>
                                    <th scope="col">{prefs.t(Msg::OpsFeedbackOverdue)}</th>
                                    <th scope="col">{prefs.t(Msg::OpsFeedbackInTime)}</th>
                                    <th scope="col">{prefs.t(Msg::OpsFeedbackAverage)}</th>
                                    <th scope="col">{prefs.t(Msg::OpsFeedbackSatisfaction)}</th>
                                </tr></thead>
                                <tbody>
                                    {v.rows.into_iter().map(|r| line(r, false)).collect_view()}
                                    {v.total.map(|t| line(t, true))}
                                </tbody>
                            </table>
                        }
                        .into_any()
                    }
                })}
            </Transition>
        }/>
    }
}
