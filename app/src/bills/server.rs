//! The bill pages' server functions: load the kinds and saved numbers, find a bill, pay it,
//! save its number, set or remove automatic payment, and read payments back.

use leptos::prelude::*;

use super::rows::*;
use crate::error::AppError;

#[server(endpoint = "load_bills_home")]
pub async fn load_bills_home() -> Result<BillsHome, AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    let mut latest = ctx
        .bill_payments()
        .list(&s.customer_id, None)
        .await
        .map_err(fail)?;
    latest.truncate(5);
    let recent = payment_rows(&ctx, &s.customer_id, latest).await?;
    let accounts = ctx.accounts().list(&s.customer_id).await.map_err(fail)?;
    let autopays = ctx.autopays().list(&s.customer_id).await.map_err(fail)?;
    let households = ctx
        .households()
        .list(&s.customer_id)
        .await
        .map_err(fail)?
        .into_iter()
        .map(|h| {
            let biller = domain::billpay::biller(&h.biller_id);
            let autopay = autopays
                .iter()
                .find(|a| a.household_id == h.id)
                .map(|a| AutoPayRow {
                    cap: domain::money::format_yuan(a.monthly_cap),
                    cap_decimal: domain::money::format_decimal(a.monthly_cap),
                    from_tail: accounts
                        .iter()
                        .find(|x| x.id == a.from_account_id)
                        .map(|x| domain::account::card::tail(&x.card_no).to_string())
                        .unwrap_or_default(),
                    from_id: a.from_account_id.clone(),
                });
            HouseholdRow {
                autopay_available: domain::billpay::autopay::available_for(h.kind),
                autopay,
                href: household_href(&h),
                id: h.id,
                label: h.label,
                kind: kind_row(h.kind),
                biller: biller.map(|b| b.name).unwrap_or(h.biller_id),
                number: shown_number(h.kind, &h.number),
            }
        })
        .collect();
    Ok(BillsHome {
        households,
        kinds: domain::billpay::Kind::ALL
            .into_iter()
            .map(kind_row)
            .collect(),
        social: domain::billpay::Kind::SOCIAL
            .into_iter()
            .map(kind_row)
            .collect(),
        accounts: crate::transfer::from_options(&accounts, crate::accounts::balances_hidden()),
        recent,
        simulated: ctx.billers.is_simulator(),
    })
}

#[server(endpoint = "load_bill_form")]
pub async fn load_bill_form(
    kind: String,
    city: String,
    biller: String,
    number: String,
) -> Result<BillForm, AppError> {
    use crate::auth::server::{current_session, fail};
    use domain::billpay::{billers_for, Kind, Rule, CITIES, MAX_PAYMENT, MIN_PARTIAL};
    use domain::money::{format_decimal, format_yuan};
    let (ctx, s) = current_session().await?;
    let kind = Kind::from_slug(&kind).ok_or(AppError::NotFound)?;
    // The customer's own city first: the one of their home bank.
    let city = if CITIES.contains(&city.as_str()) {
        city
    } else {
        let profile = ctx.identity().profile(&s.customer_id).await.map_err(fail)?;
        domain::institution::get(&ctx.db, &profile.bank_code)
            .await
            .map(|b| b.city)
            .unwrap_or_else(|_| CITIES[0].into())
    };
    let billers: Vec<(String, String)> = billers_for(kind, &city)
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    let chosen = if billers.iter().any(|(id, _)| *id == biller) {
        biller
    } else {
        billers
            .first()
            .map(|(id, _)| id.clone())
            .unwrap_or_default()
    };
    let (mut bill, mut lookup_error) = (None, None);
    if !number.trim().is_empty() {
        match ctx.bill_payments().lookup(&chosen, &number).await {
            Ok(b) => {
                let amount = match kind.rule() {
                    Rule::Exact => AmountChoice::Exact {
                        due: format_yuan(b.due),
                        due_decimal: format_decimal(b.due),
                    },
                    Rule::Partial => AmountChoice::Partial {
                        suggested: if b.due > 0 {
                            format_decimal(b.due)
                        } else {
                            String::new()
                        },
                        min: format_yuan(MIN_PARTIAL),
                        max: format_yuan(MAX_PAYMENT),
                    },
                    Rule::Denominations(list) => AmountChoice::Denominations(
                        list.iter()
                            .map(|f| (format_decimal(*f), format_yuan(*f)))
                            .collect(),
                    ),
                    Rule::Grades(list) => AmountChoice::Grades(
                        list.iter()
                            .map(|f| (format_decimal(*f), format_yuan(*f)))
                            .collect(),
                    ),
                };
                let grades = matches!(kind.rule(), Rule::Grades(_));
                bill = Some(BillView {
                    holder: b.holder_masked,
                    detail: b.detail,
                    period: b.period,
                    // A grade is chosen: no single amount is "due".
                    due: if grades {
                        String::new()
                    } else {
                        format_yuan(b.due)
                    },
                    nothing_due: b.due == 0 && (kind.rule() == Rule::Exact || grades),
                    amount,
                });
            }
            Err(e) => lookup_error = Some(AppError::from(e)),
        }
    }
    let accounts = ctx.accounts().list(&s.customer_id).await.map_err(fail)?;
    let (zh, en) = number_labels(kind.number());
    Ok(BillForm {
        kind: kind_row(kind),
        number_label: crate::i18n::Named::new(zh, en),
        cities: CITIES.iter().map(|c| c.to_string()).collect(),
        city,
        billers,
        biller: chosen,
        number: number.trim().into(),
        numeric: kind.number() != domain::billpay::Number::ResidentId,
        bill,
        lookup_error,
        accounts: crate::transfer::from_options(&accounts, crate::accounts::balances_hidden()),
        key: domain::id::new_id(),
        simulated: ctx.billers.is_simulator(),
    })
}

/// Pays; the answer is the payment's page whatever the outcome (paid, refunded, waiting).
/// When the payment needs an SMS code (¥2,000 and up, or past the day's allowance without
/// one) and none came with it, the code is sent and the answer says so: the form then asks for
/// it, and the same payment is sent again with `code`.
#[server(endpoint = "pay_bill")]
pub async fn pay_bill(
    biller: String,
    number: String,
    from: String,
    amount: String,
    key: String,
    code: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::server::{audit, current_session, fail, limit, parse_code};
    use crate::error::{respond, CodeWhy, Field};
    use domain::audit::Action;
    let (ctx, s) = current_session().await?;
    limit(&ctx, &format!("bills:pay:{}", s.customer_id), 30, 600).await?;
    let amount = domain::money::parse_yuan(&amount)
        .map_err(|_| respond(AppError::Invalid(Field::Amount)))?;
    let code = match code.as_deref().map(str::trim) {
        Some(c) if !c.is_empty() => Some(parse_code(c)?),
        _ => None,
    };
    let request = domain::billpay::PayRequest {
        customer_id: s.customer_id.clone(),
        from_account_id: from,
        biller_id: biller,
        household: number,
        amount,
        idempotency_key: key,
        step_up_code: code,
    };
    let payments = ctx.bill_payments();
    let p = match payments.pay(&request).await {
        Err(domain::Error::Refused(domain::Refusal::StepUpRequired))
            if request.step_up_code.is_none() =>
        {
            let why = match payments.step_up_reason(&request).await.map_err(fail)? {
                Some(domain::transfer::StepUpReason::EarlierPayments) => CodeWhy::EarlierPayments,
                _ => CodeWhy::Amount,
            };
            return Err(send_payment_code(&ctx, &s.customer_id, why, || {
                payments.send_step_up(ctx.sms.as_ref(), &request)
            })
            .await);
        }
        other => other.map_err(fail)?,
    };
    let detail = serde_json::json!({
        "bill_payment": p.id,
        "amount": p.amount,
        "biller": p.biller_id,
        "status": p.status.as_str(),
    });
    audit(&ctx, &s.customer_id, Action::MoneyMoved, detail).await?;
    leptos_axum::redirect(&format!("/bills/payments/{}", p.id));
    Ok(())
}

/// Saves a paid payment's biller and number under the customer's label (taken from the
/// payment, never from the form).
#[server(endpoint = "save_household")]
pub async fn save_household(payment: String, label: String) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    let p = ctx
        .bill_payments()
        .get(&s.customer_id, &payment)
        .await
        .map_err(fail)?;
    ctx.households()
        .save(&s.customer_id, &p.biller_id, &p.household, &label)
        .await
        .map_err(fail)?;
    Ok(())
}

#[server(endpoint = "remove_household")]
pub async fn remove_household(id: String) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    ctx.households()
        .remove(&s.customer_id, &id)
        .await
        .map_err(fail)
}

/// Turns automatic payment on (or changes it) for one of the customer's saved numbers. A new
/// mandate or a higher cap needs an SMS code: without one, it is sent and the answer says so.
#[server(endpoint = "set_autopay")]
pub async fn set_autopay(
    household: String,
    from: String,
    cap: String,
    code: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::server::{audit, current_session, fail, parse_code};
    use crate::error::{respond, CodeWhy, Field};
    let (ctx, s) = current_session().await?;
    let cap =
        domain::money::parse_yuan(&cap).map_err(|_| respond(AppError::Invalid(Field::Amount)))?;
    let code = match code.as_deref().map(str::trim) {
        Some(c) if !c.is_empty() => Some(parse_code(c)?),
        _ => None,
    };
    let pays = ctx.autopays();
    match pays
        .set(&s.customer_id, &household, &from, cap, code.as_deref())
        .await
    {
        Err(domain::Error::Refused(domain::Refusal::StepUpRequired)) if code.is_none() => Err(
            send_payment_code(&ctx, &s.customer_id, CodeWhy::Mandate, || {
                pays.send_step_up(ctx.sms.as_ref(), &s.customer_id, &household, cap)
            })
            .await,
        ),
        Err(e) => Err(fail(e)),
        Ok(setting) => {
            let detail = serde_json::json!({
                "autopay": setting.household_id,
                "monthly_cap": setting.monthly_cap,
            });
            audit(
                &ctx,
                &s.customer_id,
                domain::audit::Action::MandateSet,
                detail,
            )
            .await
        }
    }
}

/// Sends the SMS code a payment waits for and answers with where it went (or why it could not
/// be sent now: a code went to the number less than a minute ago, the day's codes are used).
#[cfg(feature = "ssr")]
async fn send_payment_code<F, Fut>(
    ctx: &crate::ServerContext,
    customer_id: &str,
    why: crate::error::CodeWhy,
    send: F,
) -> AppError
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = domain::Result<()>>,
{
    use crate::auth::server::fail;
    if let Err(e) = send().await {
        return fail(e);
    }
    match ctx.identity().mobile_of(customer_id).await {
        Ok(mobile) => crate::error::respond(AppError::CodeSent {
            to: mobile.masked(),
            why,
        }),
        Err(e) => fail(e),
    }
}

#[server(endpoint = "remove_autopay")]
pub async fn remove_autopay(household: String) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    ctx.autopays()
        .remove(&s.customer_id, &household)
        .await
        .map_err(fail)
}

#[server(endpoint = "load_bill_payment")]
pub async fn load_bill_payment(id: String) -> Result<PaymentRow, AppError> {
    use crate::auth::server::current_session;
    let (ctx, s) = current_session().await?;
    payment_view(&ctx, &s.customer_id, &id).await
}

/// One of the customer's payments as its page and its PDF show it; someone else's is "not
/// found".
#[cfg(feature = "ssr")]
pub async fn payment_view(
    ctx: &crate::ServerContext,
    customer_id: &str,
    id: &str,
) -> Result<PaymentRow, AppError> {
    let p = ctx
        .bill_payments()
        .get(customer_id, id)
        .await
        .map_err(crate::auth::server::fail)?;
    let mut rows = payment_rows(ctx, customer_id, vec![p]).await?;
    rows.pop().ok_or(AppError::Internal)
}

#[server(endpoint = "load_bill_history")]
pub async fn load_bill_history(kind: String) -> Result<Vec<PaymentRow>, AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    let kind = domain::billpay::Kind::from_slug(&kind);
    let payments = ctx
        .bill_payments()
        .list(&s.customer_id, kind)
        .await
        .map_err(fail)?;
    payment_rows(&ctx, &s.customer_id, payments).await
}

/// Every kind, bills first, for the history's filter.
#[server(endpoint = "load_bill_kinds")]
pub async fn load_bill_kinds() -> Result<Vec<KindRow>, AppError> {
    crate::auth::server::current_session().await?;
    Ok(domain::billpay::Kind::ALL
        .into_iter()
        .chain(domain::billpay::Kind::SOCIAL)
        .map(kind_row)
        .collect())
}
