//! 意见反馈 (`/feedback`, `/feedback/:id`): a customer sends a suggestion or a complaint from
//! any page (the frame's link carries the page as `?from=`), follows its status, reads the
//! bank's answer (also announced in the message centre) and rates it. The bank's agents answer
//! in the console (`crate::ops::feedback`).

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use crate::account::Protected;
use crate::error::{AppError, SaveStatus};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

// The pages below arrive in their own WASM chunk (see `crate::chunk`).
crate::lazy_pages!(feedback: FEEDBACK_PAGE => FeedbackPage, FEEDBACK_ITEM_PAGE => FeedbackItemPage);

/// The kinds, as the form posts them.
pub const KINDS: [(&str, Msg); 2] = [
    ("suggestion", Msg::FeedbackKindSuggestion),
    ("complaint", Msg::FeedbackKindComplaint),
];

/// The categories, as the form posts them.
pub const CATEGORIES: [(&str, Msg); 7] = [
    ("transfer", Msg::FeedbackCategoryTransfer),
    ("deposit", Msg::FeedbackCategoryDeposit),
    ("bills", Msg::FeedbackCategoryBills),
    ("account", Msg::FeedbackCategoryAccount),
    ("usability", Msg::FeedbackCategoryUsability),
    ("service", Msg::FeedbackCategoryService),
    ("other", Msg::FeedbackCategoryOther),
];

/// A posted value's words (the value itself when it is not one of `list`'s).
pub fn label_of(list: &[(&str, Msg)], value: &str) -> Option<Msg> {
    list.iter().find(|(v, _)| *v == value).map(|(_, m)| *m)
}

/// Where a piece of feedback is, as pages show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedbackStatus {
    Open,
    Taken,
    Replied,
    Closed,
}

impl FeedbackStatus {
    pub fn label(self) -> Msg {
        match self {
            FeedbackStatus::Open => Msg::FeedbackStatusOpen,
            FeedbackStatus::Taken => Msg::FeedbackStatusTaken,
            FeedbackStatus::Replied => Msg::FeedbackStatusReplied,
            FeedbackStatus::Closed => Msg::FeedbackStatusClosed,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::feedback::Status> for FeedbackStatus {
    fn from(s: domain::feedback::Status) -> Self {
        use domain::feedback::Status as S;
        match s {
            S::Open => FeedbackStatus::Open,
            S::Taken => FeedbackStatus::Taken,
            S::Replied => FeedbackStatus::Replied,
            S::Closed => FeedbackStatus::Closed,
        }
    }
}

/// One piece of feedback as its sender sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackView {
    pub id: String,
    /// `KINDS`' and `CATEGORIES`' values.
    pub kind: String,
    pub category: String,
    pub text: String,
    pub sent: String,
    pub due: String,
    pub status: FeedbackStatus,
    pub answer: Option<String>,
    pub answered: Option<String>,
    /// `satisfied` or `unsatisfied`, once rated.
    pub rating: Option<String>,
}

#[cfg(feature = "ssr")]
impl From<domain::feedback::Ticket> for FeedbackView {
    fn from(t: domain::feedback::Ticket) -> Self {
        use domain::clock::beijing_datetime;
        FeedbackView {
            id: t.id,
            kind: t.kind.as_str().into(),
            category: t.category.as_str().into(),
            text: t.text,
            sent: beijing_datetime(t.created_at),
            due: beijing_datetime(t.due_at),
            status: t.status.into(),
            answer: t.reply,
            answered: t.replied_at.map(beijing_datetime),
            rating: t.rating.map(|r| r.as_str().into()),
        }
    }
}

#[server(endpoint = "load_my_feedback")]
pub async fn load_my_feedback() -> Result<Vec<FeedbackView>, AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    let mine = ctx.feedback().mine(&s.customer_id).await.map_err(fail)?;
    Ok(mine.into_iter().map(FeedbackView::from).collect())
}

#[server(endpoint = "load_feedback_item")]
pub async fn load_feedback_item(id: String) -> Result<FeedbackView, AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    let t = ctx
        .feedback()
        .one(&s.customer_id, &id)
        .await
        .map_err(fail)?;
    Ok(t.into())
}

/// Sends feedback; the browser goes on to it.
#[server(endpoint = "send_feedback")]
pub async fn send_feedback(
    kind: String,
    category: String,
    text: String,
    page: Option<String>,
    edition: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail};
    use crate::error::respond;
    use domain::feedback::{Category, Kind, NewFeedback};
    let (ctx, s) = current_session().await?;
    let bad = || respond(AppError::BadRequest("feedback form".into()));
    let new = NewFeedback {
        kind: Kind::parse(&kind).ok_or_else(bad)?,
        category: Category::parse(&category).ok_or_else(bad)?,
        text,
        page: page.unwrap_or_default(),
        edition: edition.unwrap_or_default(),
    };
    let id = ctx
        .feedback()
        .submit(&s.customer_id, new)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/feedback/{id}"));
    Ok(())
}

/// The customer rates the answer: `satisfied` or `unsatisfied`.
#[server(endpoint = "rate_feedback")]
pub async fn rate_feedback(id: String, rating: String) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail};
    use crate::error::respond;
    let (ctx, s) = current_session().await?;
    let rating = domain::feedback::Rating::parse(&rating)
        .ok_or_else(|| respond(AppError::BadRequest("rating".into())))?;
    ctx.feedback()
        .rate(&s.customer_id, &id, rating)
        .await
        .map_err(fail)
}

/// The page the link came from: one of ours, by path only (anything else is dropped).
fn from_page(from: Option<String>) -> String {
    from.filter(|p| {
        p.starts_with('/')
            && !p.starts_with("//")
            && p.len() <= 120
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || "/-_".contains(c))
    })
    .unwrap_or_default()
}

#[component]
pub fn FeedbackPage() -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    let send = ServerAction::<SendFeedback>::new();
    let mine = Resource::new(|| (), |_| load_my_feedback());
    let page = move || from_page(query.with(|q| q.get("from")));
    view! {
        <section class="page" aria-labelledby="feedback-title">
            <h1 id="feedback-title" class="page-title">{move || prefs.t(Msg::FeedbackTitle)}</h1>
            <Protected data=mine next="/feedback" ready=move |mine| { view! {
                <p class="mb-4">{prefs.t(Msg::FeedbackIntro)}</p>
                <ActionForm action=send>
                    <div class="card form-stack">
                        <fieldset>
                            <legend class="field-label">{prefs.t(Msg::FeedbackKindLegend)}</legend>
                            <div class="choice-row">
                                {KINDS.into_iter().enumerate().map(|(n, (value, label))| view! {
                                    <label class="check-label">
                                        <input type="radio" name="kind" value=value checked=n == 0 required/>
                                        <span>{prefs.t(label)}</span>
                                    </label>
                                }).collect_view()}
                            </div>
                        </fieldset>
                        <label class="field-label">{prefs.t(Msg::FeedbackCategory)}
                            <select class="field" name="category" data-testid="feedback-category">
                                {CATEGORIES.into_iter().map(|(value, label)| view! {
                                    <option value=value>{prefs.t(label)}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label class="field-label">{prefs.t(Msg::FeedbackText)}
                            <textarea class="field" name="text" rows="5" required minlength="5" maxlength="500" data-testid="feedback-text"></textarea>
                        </label>
                        <p class="text-muted">{prefs.t(Msg::FeedbackTextHint)}</p>
                        <input type="hidden" name="page" value=page/>
                        <input type="hidden" name="edition" value=move || prefs.edition.get().slug()/>
                        <p class="text-muted">{prefs.t(Msg::FeedbackContextNote)}</p>
                        <button type="submit" class="btn-primary" data-testid="feedback-send">{prefs.t(Msg::FeedbackSend)}</button>
                        <SaveStatus action=send saved=Msg::OpsSaved/>
                    </div>
                </ActionForm>
                <h2 class="section-title mt-8">{prefs.t(Msg::FeedbackMine)}</h2>
                <MyFeedback mine=mine/>
            }}/>
        </section>
    }
}

#[component]
fn MyFeedback(mine: Vec<FeedbackView>) -> impl IntoView {
    let prefs = use_prefs();
    if mine.is_empty() {
        return view! { <p class="card">{prefs.t(Msg::FeedbackNone)}</p> }.into_any();
    }
    let rows = mine
        .into_iter()
        .map(|f| {
            let category = label_of(&CATEGORIES, &f.category).unwrap_or(Msg::FeedbackCategoryOther);
            let kind = label_of(&KINDS, &f.kind).unwrap_or(Msg::FeedbackKindSuggestion);
            view! {
                <li class="movement" data-testid="my-feedback">
                    <div class="movement-main">
                        <span class="movement-party">{prefs.t(category)} " · " {prefs.t(kind)}</span>
                        <span class="badge" data-testid="feedback-status">{prefs.t(f.status.label())}</span>
                    </div>
                    <p class="movement-sub">{f.sent}</p>
                    <a class="btn-secondary mt-2" href=format!("/feedback/{}", f.id)>{prefs.t(Msg::FeedbackOpen)}</a>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="movements" role="list">{rows}</ul> }.into_any()
}

#[component]
pub fn FeedbackItemPage() -> impl IntoView {
    let prefs = use_prefs();
    let params = use_params_map();
    let rate = ServerAction::<RateFeedback>::new();
    let item = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                rate.version().get(),
            )
        },
        |(id, _)| load_feedback_item(id),
    );
    view! {
        <section class="page" aria-labelledby="feedback-item-title">
            <h1 id="feedback-item-title" class="page-title">{move || prefs.t(Msg::FeedbackItemTitle)}</h1>
            <Protected data=item next="/feedback" ready=move |f: FeedbackView| {
                let category = label_of(&CATEGORIES, &f.category).unwrap_or(Msg::FeedbackCategoryOther);
                let kind = label_of(&KINDS, &f.kind).unwrap_or(Msg::FeedbackKindSuggestion);
                let rateable = f.status == FeedbackStatus::Replied;
                let id = f.id.clone();
                view! {
                    <dl class="card profile" data-testid="feedback-item">
                        <div><dt>{prefs.t(Msg::FeedbackKindLegend)}</dt><dd>{prefs.t(kind)}</dd></div>
                        <div><dt>{prefs.t(Msg::FeedbackCategory)}</dt><dd>{prefs.t(category)}</dd></div>
                        <div><dt>{prefs.t(Msg::FeedbackSentAt)}</dt><dd>{f.sent.clone()}</dd></div>
                        <div><dt>{prefs.t(Msg::FeedbackStatus)}</dt><dd data-testid="feedback-status">{prefs.t(f.status.label())}</dd></div>
                        {f.answer.is_none().then(|| view! {
                            <div><dt>{prefs.t(Msg::FeedbackDue)}</dt><dd>{f.due.clone()}</dd></div>
                        })}
                    </dl>
                    <h2 class="section-title mt-6">{prefs.t(Msg::FeedbackYourWords)}</h2>
                    <p class="card whitespace-pre-line" data-testid="feedback-words">{f.text.clone()}</p>
                    {f.answer.clone().map(|answer| view! {
                        <h2 class="section-title mt-6">{prefs.t(Msg::FeedbackAnswer)}</h2>
                        <div class="card">
                            <p class="whitespace-pre-line" data-testid="feedback-answer">{answer}</p>
                            <p class="text-muted mt-2">{prefs.t(Msg::FeedbackAnsweredAt)} "：" {f.answered.clone()}</p>
                        </div>
                    })}
                    // One form per answer (a plain post carries no clicked button's value
                    // everywhere).
                    {rateable.then(|| {
                        let choice = move |value: &'static str, label: Msg, class: &'static str, testid: &'static str| {
                            let id = id.clone();
                            view! {
                                <ActionForm action=rate>
                                    <input type="hidden" name="id" value=id/>
                                    <input type="hidden" name="rating" value=value/>
                                    <button type="submit" class=class data-testid=testid>{prefs.t(label)}</button>
                                </ActionForm>
                            }
                        };
                        view! {
                            <div class="card form-stack mt-6">
                                <p class="font-semibold">{prefs.t(Msg::FeedbackRateQuestion)}</p>
                                <div class="choice-row">
                                    {choice.clone()("satisfied", Msg::FeedbackSatisfied, "btn-primary", "feedback-satisfied")}
                                    {choice("unsatisfied", Msg::FeedbackUnsatisfied, "btn-secondary", "feedback-unsatisfied")}
                                </div>
                                <SaveStatus action=rate saved=Msg::FeedbackThanks/>
                            </div>
                        }
                    })}
                    {f.rating.clone().map(|r| view! {
                        <p class="card mt-6" data-testid="feedback-rating">{prefs.t(Msg::FeedbackYourRating)} "："
                            {prefs.t(if r == "satisfied" { Msg::FeedbackSatisfied } else { Msg::FeedbackUnsatisfied })}</p>
                    })}
                }
            }/>
            <a class="btn-secondary mt-6" href="/feedback">{move || prefs.t(Msg::FeedbackBack)}</a>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::from_page;

    #[test]
    fn only_our_own_paths_go_with_feedback() {
        let from = |s: &str| from_page(Some(s.to_string()));
        assert_eq!(from("/transfer"), "/transfer");
        assert_eq!(from("/bills/water"), "/bills/water");
        assert_eq!(from("//evil.example/x"), "");
        assert_eq!(from("https://evil.example"), "");
        assert_eq!(from("/transfer?card=6228"), "");
        assert_eq!(from_page(None), "");
    }
}
