//! 资讯与活动: the institution's news, announcements and campaigns through maker–checker. An
//! editor drafts (kind, title, Markdown body, targeting, dates), changes and submits; an
//! approver who did not draft it publishes it or sends it back with a note, and may take a
//! published one down. The page shows the body as customers will see it.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use super::home::ConsolePage;
use crate::edition::Edition;
use crate::error::{AppError, ErrorMessage, SaveStatus};
use crate::i18n::Msg;
use crate::news::NewsKind;
use crate::prefs::use_prefs;

/// Where an item is in review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContentStatus {
    Draft,
    Submitted,
    Published,
    Rejected,
    Withdrawn,
}

impl ContentStatus {
    fn label(self) -> Msg {
        match self {
            ContentStatus::Draft => Msg::ContentStatusDraft,
            ContentStatus::Submitted => Msg::ContentStatusSubmitted,
            ContentStatus::Published => Msg::ContentStatusPublished,
            ContentStatus::Rejected => Msg::ContentStatusRejected,
            ContentStatus::Withdrawn => Msg::ContentStatusWithdrawn,
        }
    }
}

/// The segments, with the form field each is ticked in.
const SEGMENTS: [(&str, Msg); 3] = [
    ("age60", Msg::SegmentAge60),
    ("deposit", Msg::SegmentDeposit),
    ("new30", Msg::SegmentNew30),
];

/// An item in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentRow {
    pub id: String,
    pub title: String,
    pub kind: NewsKind,
    pub status: ContentStatus,
    pub updated: String,
}

/// The editor's form, as posted (checkboxes post only when ticked).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentForm {
    /// Empty for a new draft.
    pub id: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub editions: Option<Vec<String>>,
    pub places: String,
    pub segments: Option<Vec<String>>,
    /// `YYYY-MM-DD`, Beijing: from the start of the first day to the end of the last.
    pub starts: String,
    pub ends: String,
    /// Ticked: also pushed to the message centre of the customers it targets.
    pub push: Option<String>,
}

/// One item as the editor and the approver see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentView {
    pub form: ContentForm,
    pub status: ContentStatus,
    pub note: String,
    /// The body as customers will see it (sanitized on the server).
    pub preview: String,
    pub may_edit: bool,
    pub may_review: bool,
    pub may_withdraw: bool,
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use domain::content::{Draft, Item, Kind, Segment, Status, Targeting};

    pub fn status(s: Status) -> ContentStatus {
        match s {
            Status::Draft => ContentStatus::Draft,
            Status::Submitted => ContentStatus::Submitted,
            Status::Published => ContentStatus::Published,
            Status::Rejected => ContentStatus::Rejected,
            Status::Withdrawn => ContentStatus::Withdrawn,
        }
    }

    pub fn form_of(i: &Item) -> ContentForm {
        let d = &i.draft;
        ContentForm {
            id: i.id.clone(),
            kind: d.kind.as_str().into(),
            title: d.title.clone(),
            body: d.body.clone(),
            editions: Some(d.targeting.editions.clone()),
            places: d.targeting.places.join(" "),
            segments: Some(
                d.targeting
                    .segments
                    .iter()
                    .map(|s| s.as_str().to_string())
                    .collect(),
            ),
            starts: domain::clock::beijing_date(d.starts_at),
            ends: domain::clock::beijing_date(d.ends_at - 1),
            push: d.push.then(|| "on".to_string()),
        }
    }

    pub fn draft_of(f: &ContentForm) -> Result<Draft, AppError> {
        use crate::error::{respond, Field};
        let bad = || respond(AppError::BadRequest("content form".into()));
        let kind = Kind::parse(&f.kind).ok_or_else(bad)?;
        let segments = f
            .segments
            .iter()
            .flatten()
            .map(|s| Segment::parse(s).ok_or_else(bad))
            .collect::<Result<Vec<_>, _>>()?;
        let day = |d: &str| {
            domain::clock::beijing_day_start(d)
                .ok_or_else(|| respond(AppError::Invalid(Field::ContentSchedule)))
        };
        Ok(Draft {
            kind,
            title: f.title.clone(),
            body: f.body.clone(),
            targeting: Targeting {
                editions: f.editions.clone().unwrap_or_default(),
                places: f.places.split_whitespace().map(str::to_string).collect(),
                segments,
            },
            starts_at: day(&f.starts)?,
            ends_at: day(&f.ends)? + domain::clock::DAY,
            push: f.push.is_some(),
        })
    }
}

#[server(prefix = "/ops/api", endpoint = "load_content_list")]
pub async fn load_content_list() -> Result<Vec<ContentRow>, AppError> {
    use crate::auth::server::fail;
    let (ctx, s) = super::server::current_staff().await?;
    let items = ctx
        .content()
        .list_for_staff(&s.member)
        .await
        .map_err(fail)?;
    Ok(items
        .iter()
        .map(|i| ContentRow {
            id: i.id.clone(),
            title: i.draft.title.clone(),
            kind: i.draft.kind.into(),
            status: server::status(i.status),
            updated: domain::clock::beijing_datetime(i.updated_at),
        })
        .collect())
}

#[server(prefix = "/ops/api", endpoint = "load_content_item")]
pub async fn load_content_item(id: String) -> Result<ContentView, AppError> {
    use crate::auth::server::fail;
    use domain::content::Status;
    use domain::ops::Role;
    let (ctx, s) = super::server::current_staff().await?;
    let item = ctx
        .content()
        .item_for_staff(&s.member, &id)
        .await
        .map_err(fail)?;
    let m = &s.member;
    Ok(ContentView {
        form: server::form_of(&item),
        status: server::status(item.status),
        note: item.review_note.clone(),
        preview: domain::content::markdown::render(&item.draft.body),
        may_edit: m.has(Role::Editor) && matches!(item.status, Status::Draft | Status::Rejected),
        may_review: m.has(Role::Approver)
            && item.status == Status::Submitted
            && item.drafted_by != m.id,
        may_withdraw: m.has(Role::Approver) && item.status == Status::Published,
    })
}

#[server(prefix = "/ops/api", endpoint = "save_content")]
pub async fn save_content(form: ContentForm) -> Result<(), AppError> {
    use crate::auth::server::fail;
    let (ctx, s) = super::server::current_staff().await?;
    let draft = server::draft_of(&form)?;
    let content = ctx.content();
    let id = if form.id.is_empty() {
        content.create(&s.member, draft).await.map_err(fail)?
    } else {
        content
            .update(&s.member, &form.id, draft)
            .await
            .map_err(fail)?;
        form.id.clone()
    };
    leptos_axum::redirect(&format!("/ops/content/{id}"));
    Ok(())
}

/// A step of review: `submit`, `publish`, `reject` (with a note) or `withdraw`.
#[server(prefix = "/ops/api", endpoint = "content_step")]
pub async fn content_step(id: String, step: String, note: Option<String>) -> Result<(), AppError> {
    use crate::auth::server::fail;
    let (ctx, s) = super::server::current_staff().await?;
    let (content, m) = (ctx.content(), &s.member);
    match step.as_str() {
        "submit" => content.submit(m, &id).await,
        "publish" => content.publish(m, &id).await,
        "reject" => content.reject(m, &id, note.as_deref().unwrap_or("")).await,
        "withdraw" => content.withdraw(m, &id).await,
        _ => return Err(crate::error::respond(AppError::BadRequest("step".into()))),
    }
    .map_err(fail)
}

#[component]
pub fn ContentListPage() -> impl IntoView {
    let prefs = use_prefs();
    let save = ServerAction::<SaveContent>::new();
    let list = Resource::new(|| (), |_| load_content_list());
    view! {
        <ConsolePage title=Msg::OpsContent ready=move |_| view! {
            <Transition fallback=move || view! { <p aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p class="card">{prefs.t(Msg::OpsContentNone)}</p> }.into_any(),
                    Ok(rows) => view! {
                        <table class="console-table" data-testid="content-list">
                            <thead><tr>
                                <th scope="col">{prefs.t(Msg::OpsContentTitle)}</th>
                                <th scope="col">{prefs.t(Msg::OpsContentKind)}</th>
                                <th scope="col">{prefs.t(Msg::OpsStatus)}</th>
                                <th scope="col">{prefs.t(Msg::OpsContentUpdated)}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td><a href=format!("/ops/content/{}", r.id)>{r.title}</a></td>
                                        <td>{prefs.t(r.kind.label())}</td>
                                        <td data-testid="content-status">{prefs.t(r.status.label())}</td>
                                        <td>{r.updated}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }
                    .into_any(),
                })}
            </Transition>
            <h2 class="section-title mt-8">{prefs.t(Msg::OpsContentNew)}</h2>
            <ContentEditor action=save form=ContentForm::default()/>
            <super::images::ImageUpload back="/ops/content".to_string()/>
        }/>
    }
}

/// The draft's fields; `form.id` empty makes a new one.
#[component]
fn ContentEditor(action: ServerAction<SaveContent>, form: ContentForm) -> impl IntoView {
    let prefs = use_prefs();
    let editions = form.editions.clone().unwrap_or_default();
    let segments = form.segments.clone().unwrap_or_default();
    let kinds = [
        ("news", NewsKind::News),
        ("announcement", NewsKind::Announcement),
        ("campaign", NewsKind::Campaign),
    ];
    view! {
        <ActionForm action=action>
            <div class="card form-stack console-narrow">
                <input type="hidden" name="form[id]" value=form.id.clone()/>
                <label class="field-label">{prefs.t(Msg::OpsContentKind)}
                    <select class="field" name="form[kind]">
                        {kinds.into_iter().map(|(value, kind)| view! {
                            <option value=value selected=form.kind == value>{prefs.t(kind.label())}</option>
                        }).collect_view()}
                    </select></label>
                <label class="field-label">{prefs.t(Msg::OpsContentTitle)}
                    <input class="field" type="text" name="form[title]" value=form.title.clone() required maxlength="60"/></label>
                <label class="field-label">{prefs.t(Msg::OpsContentBody)}
                    <textarea class="field" name="form[body]" rows="8" required maxlength="5000">{form.body.clone()}</textarea></label>
                <fieldset>
                    <legend class="field-label">{prefs.t(Msg::OpsContentEditions)}</legend>
                    {Edition::ALL.into_iter().enumerate().map(|(n, e)| view! {
                        <label class="check-label">
                            <input type="checkbox" name=format!("form[editions][{n}]") value=e.slug() checked=editions.iter().any(|x| x == e.slug())/>
                            {prefs.t(e.name())}
                        </label>
                    }).collect_view()}
                    <p class="text-muted">{prefs.t(Msg::OpsContentSimpleNote)}</p>
                </fieldset>
                <label class="field-label">{prefs.t(Msg::OpsContentPlaces)}
                    <input class="field" type="text" name="form[places]" value=form.places.clone() maxlength="200"/></label>
                <fieldset>
                    <legend class="field-label">{prefs.t(Msg::OpsContentSegments)}</legend>
                    {SEGMENTS.into_iter().enumerate().map(|(n, (value, label))| view! {
                        <label class="check-label">
                            <input type="checkbox" name=format!("form[segments][{n}]") value=value checked=segments.iter().any(|x| x == value)/>
                            {prefs.t(label)}
                        </label>
                    }).collect_view()}
                </fieldset>
                <div class="console-inline">
                    <label>{prefs.t(Msg::OpsContentStarts)}<input class="field" type="date" name="form[starts]" value=form.starts.clone() required/></label>
                    <label>{prefs.t(Msg::OpsContentEnds)}<input class="field" type="date" name="form[ends]" value=form.ends.clone() required/></label>
                </div>
                <label class="check-label">
                    <input type="checkbox" name="form[push]" value="on" checked=form.push.is_some() data-testid="content-push"/>
                    {prefs.t(Msg::OpsContentPush)}
                </label>
                <p class="text-muted">{prefs.t(Msg::OpsContentPushNote)}</p>
                <button type="submit" class="btn-primary">{prefs.t(Msg::OpsSaveDraft)}</button>
                <SaveStatus action=action saved=Msg::OpsSaved/>
            </div>
        </ActionForm>
    }
}

#[component]
pub fn ContentItemPage() -> impl IntoView {
    let prefs = use_prefs();
    let params = use_params_map();
    let save = ServerAction::<SaveContent>::new();
    let step = ServerAction::<ContentStep>::new();
    let item = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                step.version().get(),
            )
        },
        |(id, _)| load_content_item(id),
    );
    view! {
        <ConsolePage title=Msg::OpsContent ready=move |_| view! {
            <SaveStatus action=step saved=Msg::OpsSaved/>
            <Transition fallback=move || view! { <p aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || item.get().map(|r| match r {
                    Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
                    Ok(v) => {
                        let id = v.form.id.clone();
                        let button = move |name: &'static str, label: Msg, class: &'static str| {
                            let id = id.clone();
                            view! {
                                <ActionForm action=step>
                                    <input type="hidden" name="id" value=id/>
                                    <input type="hidden" name="step" value=name/>
                                    <button type="submit" class=class>{prefs.t(label)}</button>
                                </ActionForm>
                            }
                        };
                        let reject_id = v.form.id.clone();
                        view! {
                            <p class="mb-4">
                                {prefs.t(Msg::OpsStatus)} "：" <strong data-testid="content-status">{prefs.t(v.status.label())}</strong>
                            </p>
                            {(!v.note.is_empty()).then(|| view! {
                                <p class="card mb-4" data-testid="review-note">{prefs.t(Msg::OpsRejectNote)} "：" {v.note.clone()}</p>
                            })}
                            <h2 class="section-title">{prefs.t(Msg::OpsPreview)}</h2>
                            <article class="card news-article mb-4" data-testid="content-preview">
                                <h3 class="font-bold">{v.form.title.clone()}</h3>
                                <div class="news-body" inner_html=v.preview.clone()></div>
                            </article>
                            <div class="console-actions mb-4">
                                {v.may_edit.then(|| button("submit", Msg::OpsSubmit, "btn-primary"))}
                                {v.may_review.then(|| button("publish", Msg::OpsPublish, "btn-primary"))}
                                {v.may_withdraw.then(|| button("withdraw", Msg::OpsWithdrawContent, "btn-secondary"))}
                            </div>
                            {v.may_review.then(|| view! {
                                <ActionForm action=step>
                                    <div class="card form-stack console-narrow">
                                        <input type="hidden" name="id" value=reject_id/>
                                        <input type="hidden" name="step" value="reject"/>
                                        <label class="field-label">{prefs.t(Msg::OpsRejectNote)}
                                            <textarea class="field" name="note" rows="3" maxlength="500" required></textarea></label>
                                        <button type="submit" class="btn-secondary">{prefs.t(Msg::OpsReject)}</button>
                                    </div>
                                </ActionForm>
                            })}
                            {v.may_edit.then(|| view! {
                                <h2 class="section-title mt-8">{prefs.t(Msg::OpsContentEdit)}</h2>
                                <ContentEditor action=save form=v.form.clone()/>
                                <super::images::ImageUpload back=format!("/ops/content/{}", v.form.id)/>
                            })}
                        }
                        .into_any()
                    }
                })}
            </Transition>
            <a class="btn-secondary mt-4" href="/ops/content">{prefs.t(Msg::OpsBackToContent)}</a>
        }/>
    }
}
