//! 产品与利率: a product manager's rate sheet. A bank's sees its products (the province
//! catalogue and its own local ones) with the rate in effect, the band it must keep to, the
//! rates to come (withdrawable) and the history, schedules a rate from a day, and adds a local
//! product; the union's sees the catalogue and moves its bands and default rates. The loan
//! products (信e贷, 保证e贷, 质押e贷, 税e贷) are on the same sheet, priced the same way.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::home::ConsolePage;
use crate::error::{AppError, ErrorMessage, SaveStatus};
use crate::i18n::{Msg, Named};
use crate::prefs::use_prefs;

/// A rate on a day, as the sheet shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedRate {
    /// `2027-01-15`, Beijing.
    pub from: String,
    /// The instant, as the withdraw form posts it back.
    pub effective_from: i64,
    pub rate: String,
}

/// A product on the sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductLine {
    pub code: String,
    pub name: Named,
    pub local: bool,
    /// A loan product (its forms post `book=loan`), not a deposit.
    pub loan: bool,
    /// A deposit's smallest amount; a loan's range.
    pub min: String,
    pub rate: String,
    pub floor: String,
    pub ceiling: String,
    pub default: String,
    pub upcoming: Vec<DatedRate>,
    pub history: Vec<DatedRate>,
}

/// The sheet of the staff member's institution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateSheet {
    /// The union's sheet (bands), not a bank's (rates).
    pub union: bool,
    /// Today, Beijing: the earliest day a rate may take effect.
    pub today: String,
    pub lines: Vec<ProductLine>,
    pub loans: Vec<ProductLine>,
}

#[cfg(feature = "ssr")]
fn dated(r: &domain::deposit::catalogue::ScheduledRate) -> DatedRate {
    DatedRate {
        from: domain::clock::beijing_date(r.effective_from),
        effective_from: r.effective_from,
        rate: crate::deposits::percent(r.rate_bp),
    }
}

#[server(prefix = "/ops/api", endpoint = "load_rate_sheet")]
pub async fn load_rate_sheet() -> Result<RateSheet, AppError> {
    use crate::auth::server::fail;
    let (ctx, s) = super::server::current_staff().await?;
    use crate::deposits::percent;
    let lines = ctx.ops().rate_sheet(&s.member).await.map_err(fail)?;
    let loans = ctx.loans().rate_sheet(&s.member).await.map_err(fail)?;
    let loan_rate = |r: &domain::loans::desk::LoanRate| DatedRate {
        from: domain::clock::beijing_date(r.effective_from),
        effective_from: r.effective_from,
        rate: percent(r.rate_bp),
    };
    Ok(RateSheet {
        union: s.member.is_union(),
        today: domain::clock::beijing_date(ctx.clock.now()),
        lines: lines
            .iter()
            .map(|l| ProductLine {
                code: l.offer.code.clone(),
                name: Named::new(l.offer.name_zh.clone(), l.offer.name_en.clone()),
                local: l.offer.local,
                loan: false,
                min: domain::money::format_yuan(l.offer.min),
                rate: percent(l.offer.rate_bp),
                floor: percent(l.offer.floor_bp),
                ceiling: percent(l.offer.ceiling_bp),
                default: percent(l.offer.default_bp),
                upcoming: l.upcoming.iter().map(dated).collect(),
                history: l.history.iter().map(dated).collect(),
            })
            .collect(),
        loans: loans
            .iter()
            .map(|l| ProductLine {
                code: l.offer.code.clone(),
                name: Named::new(l.offer.name_zh.clone(), l.offer.name_en.clone()),
                local: l.offer.local,
                loan: true,
                min: format!(
                    "{} – {}",
                    domain::money::format_yuan(l.offer.min),
                    domain::money::format_yuan(l.offer.max)
                ),
                rate: percent(l.offer.rate_bp),
                floor: percent(l.offer.floor_bp),
                ceiling: percent(l.offer.ceiling_bp),
                default: percent(l.offer.default_bp),
                upcoming: l.upcoming.iter().map(loan_rate).collect(),
                history: l.history.iter().map(loan_rate).collect(),
            })
            .collect(),
    })
}

/// Whether a form is about a loan product (`book=loan`) rather than a deposit.
#[cfg(feature = "ssr")]
fn is_loan(book: &Option<String>) -> bool {
    book.as_deref() == Some("loan")
}

/// A Beijing day typed as `YYYY-MM-DD` (a date input), as a day number.
#[cfg(feature = "ssr")]
fn day_of(date: &str) -> Result<i64, AppError> {
    use crate::error::{respond, Field};
    domain::clock::beijing_day_start(date)
        .map(domain::clock::china_day_of)
        .ok_or_else(|| respond(AppError::Invalid(Field::EffectiveDate)))
}

#[cfg(feature = "ssr")]
fn rate_of(text: &str) -> Result<i64, AppError> {
    domain::ops::parse_rate(text).map_err(crate::auth::server::fail)
}

#[server(prefix = "/ops/api", endpoint = "schedule_product_rate")]
pub async fn schedule_product_rate(
    code: String,
    rate: String,
    from: String,
    book: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::server::fail;
    let (ctx, s) = super::server::current_staff().await?;
    let (rate_bp, day) = (rate_of(&rate)?, day_of(&from)?);
    if is_loan(&book) {
        ctx.loans()
            .schedule_rate(&s.member, &code, rate_bp, day)
            .await
    } else {
        ctx.ops()
            .schedule_rate(&s.member, &code, rate_bp, day)
            .await
    }
    .map_err(fail)
}

#[server(prefix = "/ops/api", endpoint = "withdraw_product_rate")]
pub async fn withdraw_product_rate(
    code: String,
    effective_from: String,
    book: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::server::fail;
    use crate::error::respond;
    let (ctx, s) = super::server::current_staff().await?;
    let at: i64 = effective_from
        .parse()
        .map_err(|_| respond(AppError::BadRequest("effective_from".into())))?;
    if is_loan(&book) {
        ctx.loans().withdraw_rate(&s.member, &code, at).await
    } else {
        ctx.ops().withdraw_rate(&s.member, &code, at).await
    }
    .map_err(fail)
}

/// The local-product form: its names, the catalogue product whose term and kind it takes, the
/// smallest amount in yuan and the rate in per cent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalProductForm {
    pub name_zh: String,
    pub name_en: String,
    pub like: String,
    pub min: String,
    pub rate: String,
}

#[server(prefix = "/ops/api", endpoint = "add_local_deposit")]
pub async fn add_local_deposit(form: LocalProductForm) -> Result<(), AppError> {
    use crate::auth::server::fail;
    use crate::error::{respond, Field};
    use domain::deposit::catalogue;
    let (ctx, s) = super::server::current_staff().await?;
    let rate_bp = rate_of(&form.rate)?;
    let min = domain::money::parse_yuan(&form.min)
        .map_err(|_| respond(AppError::Invalid(Field::Amount)))?;
    let twin = catalogue::offer(
        &ctx.db,
        domain::institution::PROVINCE_CODE,
        &form.like,
        ctx.clock.now(),
    )
    .await
    .map_err(fail)?
    .ok_or_else(|| respond(AppError::BadRequest("like".into())))?;
    ctx.ops()
        .add_local_product(
            &s.member,
            &domain::ops::NewLocalProduct {
                name_zh: form.name_zh,
                name_en: form.name_en,
                months: twin.months,
                certificate: twin.certificate,
                min,
                rate_bp,
            },
        )
        .await
        .map_err(fail)?;
    Ok(())
}

#[server(prefix = "/ops/api", endpoint = "set_product_band")]
pub async fn set_product_band(
    code: String,
    floor: String,
    ceiling: String,
    default: String,
    book: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::server::fail;
    let (ctx, s) = super::server::current_staff().await?;
    let (floor, ceiling, default) = (rate_of(&floor)?, rate_of(&ceiling)?, rate_of(&default)?);
    if is_loan(&book) {
        ctx.loans()
            .set_band(&s.member, &code, floor, ceiling, default)
            .await
    } else {
        ctx.ops()
            .set_band(&s.member, &code, floor, ceiling, default)
            .await
    }
    .map_err(fail)
}

#[component]
pub fn ProductsPage() -> impl IntoView {
    let prefs = use_prefs();
    let schedule = ServerAction::<ScheduleProductRate>::new();
    let withdraw = ServerAction::<WithdrawProductRate>::new();
    let add = ServerAction::<AddLocalDeposit>::new();
    let band = ServerAction::<SetProductBand>::new();
    let sheet = Resource::new(
        move || {
            (
                schedule.version().get(),
                withdraw.version().get(),
                add.version().get(),
                band.version().get(),
            )
        },
        |_| load_rate_sheet(),
    );
    let lang = move || prefs.lang.get();
    view! {
        <ConsolePage title=Msg::OpsProducts ready=move |_| view! {
            <p class="text-muted mb-4">{prefs.t(Msg::OpsProductsNote)}</p>
            <SaveStatus action=schedule saved=Msg::OpsSaved/>
            <SaveStatus action=withdraw saved=Msg::OpsSaved/>
            <SaveStatus action=band saved=Msg::OpsSaved/>
            <Transition fallback=move || view! { <p aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || sheet.get().map(|r| match r {
                    Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
                    Ok(sheet) => {
                        let union = sheet.union;
                        let catalogue: Vec<(String, Named)> = sheet.lines.iter()
                            .filter(|l| !l.local)
                            .map(|l| (l.code.clone(), l.name.clone()))
                            .collect();
                        view! {
                            <table class="console-table" data-testid="rate-sheet">
                                <thead><tr>
                                    <th scope="col">{prefs.t(Msg::DepositProduct)}</th>
                                    <th scope="col">{prefs.t(Msg::DepositMin)}</th>
                                    <th scope="col">{prefs.t(if union { Msg::OpsDefaultRate } else { Msg::OpsRateNow })}</th>
                                    <th scope="col">{prefs.t(Msg::OpsBand)}</th>
                                    <th scope="col">{prefs.t(if union { Msg::OpsNewBand } else { Msg::OpsSchedule })}</th>
                                </tr></thead>
                                <tbody>
                                    {sheet.lines.into_iter().map(|l| view! {
                                        <RateRow line=l union=union today=sheet.today.clone() schedule=schedule withdraw=withdraw band=band/>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <h2 class="section-title mt-8" id="loan-products">{prefs.t(Msg::OpsLoanProducts)}</h2>
                            <table class="console-table" data-testid="loan-rate-sheet" aria-labelledby="loan-products">
                                <thead><tr>
                                    <th scope="col">{prefs.t(Msg::DepositProduct)}</th>
                                    <th scope="col">{prefs.t(Msg::OpsLoanAmounts)}</th>
                                    <th scope="col">{prefs.t(if union { Msg::OpsDefaultRate } else { Msg::OpsRateNow })}</th>
                                    <th scope="col">{prefs.t(Msg::OpsBand)}</th>
                                    <th scope="col">{prefs.t(if union { Msg::OpsNewBand } else { Msg::OpsSchedule })}</th>
                                </tr></thead>
                                <tbody>
                                    {sheet.loans.into_iter().map(|l| view! {
                                        <RateRow line=l union=union today=sheet.today.clone() schedule=schedule withdraw=withdraw band=band/>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {(!union).then(|| view! {
                                <h2 class="section-title mt-8">{prefs.t(Msg::OpsAddLocalProduct)}</h2>
                                <ActionForm action=add>
                                    <div class="card form-stack console-narrow">
                                        <label class="field-label">{prefs.t(Msg::OpsProductNameZh)}
                                            <input class="field" type="text" name="form[name_zh]" required maxlength="40"/></label>
                                        <label class="field-label">{prefs.t(Msg::OpsProductNameEn)}
                                            <input class="field" type="text" name="form[name_en]" required maxlength="40"/></label>
                                        <label class="field-label">{prefs.t(Msg::OpsProductLike)}
                                            <select class="field" name="form[like]">
                                                {catalogue.into_iter().map(|(code, name)| view! {
                                                    <option value=code>{move || name.get(lang()).to_string()}</option>
                                                }).collect_view()}
                                            </select></label>
                                        <label class="field-label">{prefs.t(Msg::OpsProductMin)}
                                            <input class="field" type="text" name="form[min]" inputmode="decimal" required maxlength="16"/></label>
                                        <label class="field-label">{prefs.t(Msg::OpsRatePercent)}
                                            <input class="field" type="text" name="form[rate]" inputmode="decimal" required maxlength="6"/></label>
                                        <button type="submit" class="btn-primary">{prefs.t(Msg::OpsAddLocalProductSubmit)}</button>
                                        <SaveStatus action=add saved=Msg::OpsSaved/>
                                    </div>
                                </ActionForm>
                            })}
                        }
                        .into_any()
                    }
                })}
            </Transition>
        }/>
    }
}

/// One product's row: its figures, then the union's band form or the bank's schedule form with
/// the rates to come and the history.
#[component]
fn RateRow(
    line: ProductLine,
    union: bool,
    today: String,
    schedule: ServerAction<ScheduleProductRate>,
    withdraw: ServerAction<WithdrawProductRate>,
    band: ServerAction<SetProductBand>,
) -> impl IntoView {
    let prefs = use_prefs();
    let lang = move || prefs.lang.get();
    let ProductLine {
        code,
        name,
        local,
        loan,
        min,
        rate,
        floor,
        ceiling,
        default,
        upcoming,
        history,
    } = line;
    let label = format!("{} {}", name.zh, name.en);
    let band_label = format!("{} {label}", prefs.t(Msg::OpsSaveBand));
    let schedule_label = format!("{} {label}", prefs.t(Msg::OpsSchedule));
    let figure = |p: &str| p.trim_end_matches('%').to_string();
    let (floor_value, ceiling_value, default_value) =
        (figure(&floor), figure(&ceiling), figure(&default));
    let row_code = code.clone();
    // A loan product's forms say so; a deposit's post as they always have.
    let book = move || loan.then(|| view! { <input type="hidden" name="book" value="loan"/> });
    let change = if union {
        view! {
            <ActionForm action=band>
                <input type="hidden" name="code" value=code/>
                {book()}
                <div class="console-inline">
                    <label>{prefs.t(Msg::OpsFloor)}<input class="field" type="text" name="floor" value=floor_value inputmode="decimal" maxlength="6" required/></label>
                    <label>{prefs.t(Msg::OpsCeiling)}<input class="field" type="text" name="ceiling" value=ceiling_value inputmode="decimal" maxlength="6" required/></label>
                    <label>{prefs.t(Msg::OpsDefaultRate)}<input class="field" type="text" name="default" value=default_value inputmode="decimal" maxlength="6" required/></label>
                    <button type="submit" class="btn-secondary" aria-label=band_label>{prefs.t(Msg::OpsSaveBand)}</button>
                </div>
            </ActionForm>
        }
        .into_any()
    } else {
        let upcoming = upcoming.into_iter().map(|r| {
            let code = code.clone();
            view! {
                <li data-testid="upcoming-rate">
                    {r.from.clone()} " " {r.rate.clone()}
                    <ActionForm action=withdraw>
                        <input type="hidden" name="code" value=code/>
                        {book()}
                        <input type="hidden" name="effective_from" value=r.effective_from.to_string()/>
                        <button type="submit" class="btn-link">{prefs.t(Msg::OpsWithdrawRate)}</button>
                    </ActionForm>
                </li>
            }
        }).collect_view();
        let today_value = today.clone();
        let history = history
            .into_iter()
            .map(|r| view! { <li>{r.from} " " {r.rate}</li> })
            .collect_view();
        view! {
            <ActionForm action=schedule>
                <input type="hidden" name="code" value=code/>
                {book()}
                <div class="console-inline">
                    <label>{prefs.t(Msg::OpsRatePercent)}<input class="field" type="text" name="rate" inputmode="decimal" maxlength="6" required/></label>
                    <label>{prefs.t(Msg::OpsEffectiveFrom)}<input class="field" type="date" name="from" value=today_value min=today required/></label>
                    <button type="submit" class="btn-secondary" aria-label=schedule_label>{prefs.t(Msg::OpsSchedule)}</button>
                </div>
            </ActionForm>
            <ul class="console-rates" role="list" aria-label=prefs.t(Msg::OpsUpcoming)>{upcoming}</ul>
            <details class="console-rates">
                <summary>{prefs.t(Msg::OpsRateHistory)}</summary>
                <ul role="list">{history}</ul>
            </details>
        }
        .into_any()
    };
    view! {
        <tr data-code=row_code>
            <th scope="row">
                {move || name.get(lang()).to_string()}
                {local.then(|| view! { " " <span class="badge">{prefs.t(Msg::OpsLocalProduct)}</span> })}
            </th>
            <td>{min}</td>
            <td data-testid="rate-now">{if union { default.clone() } else { rate }}</td>
            <td>{format!("{floor} – {ceiling}")}</td>
            <td>{change}</td>
        </tr>
    }
}
