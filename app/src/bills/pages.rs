//! The bill pages: 生活缴费's home, the form that finds and pays a bill, one payment's outcome,
//! and the history.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::rows::*;
use super::server::*;
use crate::account::Protected;
use crate::error::{AppError, ErrorMessage, SaveStatus};
use crate::i18n::{Msg, Tpl};
use crate::prefs::use_prefs;
use crate::transfer::{FromAccountChoice, FromOption};

/// The SMS code field of a payment form, once its answer said a code was sent for it (with
/// WASM the answer of the last submit, without it the refusal carried back in the URL).
#[component]
fn CodeIfAsked<S>(action: ServerAction<S>) -> impl IntoView
where
    S: server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let asked = move || matches!(action.value().get(), Some(Err(AppError::CodeSent { .. })));
    view! {
        <Show when=asked>
            <crate::auth::fields::CodeField/>
        </Show>
    }
}

/// 自动缴费 for one saved number: off, or on with its cap and account; a plain form either way.
#[component]
fn AutoPayForm(
    household: String,
    setting: Option<AutoPayRow>,
    accounts: Vec<FromOption>,
    set: ServerAction<SetAutopay>,
    unset: ServerAction<RemoveAutopay>,
) -> impl IntoView {
    let prefs = use_prefs();
    let (cap, from) = setting
        .as_ref()
        .map(|s| (s.cap_decimal.clone(), s.from_id.clone()))
        .unwrap_or_default();
    let household_off = household.clone();
    let state = setting.clone().map(|s| {
        view! { <span data-testid="autopay-on">{move || Tpl::AutoPayOn.fill(prefs.lang.get(), &[("cap", &s.cap), ("tail", &s.from_tail)])}</span> }
    });
    view! {
        // Open again when it waits for the code (without WASM the page was loaded anew).
        <details class="terms w-full" data-testid="autopay"
            open=move || matches!(set.value().get(), Some(Err(AppError::CodeSent { .. })))>
            // One child: the summary is a flex row, and this must read as one line of text.
            <summary>
                <span>
                    {prefs.t(Msg::AutoPayTitle)} " · "
                    {if setting.is_some() { state.into_any() } else { view! { <span>{prefs.t(Msg::AutoPayOff)}</span> }.into_any() }}
                </span>
            </summary>
            <p>{prefs.t(Msg::AutoPayHint)}</p>
            <ActionForm action=set>
                <div class="form-stack">
                    <input type="hidden" name="household" value=household.clone()/>
                    <label class="field-label">{prefs.t(Msg::AutoPayCap)}
                        <input class="field" type="text" inputmode="decimal" name="cap" required maxlength="12" value=cap/></label>
                    <FromAccountChoice accounts=accounts chosen=from/>
                    <CodeIfAsked action=set/>
                    <button type="submit" class="btn-primary w-full" data-testid="autopay-set">{prefs.t(Msg::AutoPaySet)}</button>
                </div>
            </ActionForm>
            {setting.is_some().then(|| view! {
                <ActionForm action=unset>
                    <input type="hidden" name="household" value=household_off.clone()/>
                    <button type="submit" class="btn-secondary w-full mt-3" data-testid="autopay-remove">{prefs.t(Msg::AutoPayRemove)}</button>
                </ActionForm>
            })}
        </details>
    }
}

/// A heading and its kinds as a grid of large links.
#[component]
fn KindList(title: Msg, kinds: Vec<KindRow>, testid: &'static str) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <h2 class="section-title mt-6">{prefs.t(title)}</h2>
        <ul class="bill-kinds" role="list" data-testid=testid>
            {kinds.into_iter().map(|k| { let href = format!("/bills/{}", k.slug); let slug = k.slug.clone(); view! {
                <li><a class="btn-secondary w-full" href=href data-kind=slug>{move || k.name(prefs.lang.get())}</a></li>
            }}).collect_view()}
        </ul>
    }
}

/// The simulator notice: billers here are a local stand-in.
#[component]
fn SimulatedNotice(simulated: bool) -> impl IntoView {
    let prefs = use_prefs();
    simulated.then(|| view! { <p class="text-muted mb-4" data-testid="billers-simulated">{move || prefs.t(Msg::BillsSimulated)}</p> })
}

#[component]
fn PaymentList(rows: Vec<PaymentRow>) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <ul class="grid gap-3" role="list" data-testid="bill-payments">
            {rows.into_iter().map(|p| view! {
                <li class="card">
                    <a href=format!("/bills/payments/{}", p.id) class="block">
                        <span class="font-bold">{move || p.kind.name(prefs.lang.get())}</span> " "
                        <span class="font-mono">{p.household.clone()}</span>
                        <span class="block">{p.amount.clone()} " · " {prefs.t(p.status.msg())}</span>
                        <span class="block text-muted">{p.time.clone()}</span>
                    </a>
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn BillsPage() -> impl IntoView {
    let prefs = use_prefs();
    let remove = ServerAction::<RemoveHousehold>::new();
    let set_auto = ServerAction::<SetAutopay>::new();
    let unset_auto = ServerAction::<RemoveAutopay>::new();
    let data = Resource::new(
        move || {
            (
                remove.version().get(),
                set_auto.version().get(),
                unset_auto.version().get(),
            )
        },
        |_| load_bills_home(),
    );
    view! {
        <section class="page" aria-labelledby="bills-title">
            <h1 id="bills-title" class="page-title">{move || prefs.t(Msg::BillsTitle)}</h1>
            <Protected data=data next="/bills" ready=move |home| {
                        let mut kinds = home.kinds.clone();
                        // The rural editions lead with resident insurance and then with the
                        // bills village households pay most.
                        let rural = prefs.edition.get_untracked().is_rural();
                        if rural {
                            kinds.sort_by_key(|k| k.rural_rank);
                        }
                        view! {
                            <SimulatedNotice simulated=home.simulated/>
                            <h2 class="section-title">{prefs.t(Msg::HouseholdsTitle)}</h2>
                            {if home.households.is_empty() {
                                view! { <p class="card mb-4">{prefs.t(Msg::HouseholdsNone)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="grid gap-3 mb-4" role="list" data-testid="households">
                                        {home.households.into_iter().map(|h| { let id = h.id.clone(); let accounts = home.accounts.clone(); view! {
                                            <li class="card flex flex-wrap items-center gap-3">
                                                <span class="min-w-48 flex-1">
                                                    <span class="block font-bold">{h.label.clone()}</span>
                                                    <span class="block text-muted">{move || h.kind.name(prefs.lang.get())} " · " {h.biller.clone()}</span>
                                                    <span class="block font-mono">{h.number.clone()}</span>
                                                </span>
                                                <a class="btn-primary" href=h.href.clone() data-testid="household-pay">{prefs.t(Msg::HouseholdPay)}</a>
                                                <ActionForm action=remove>
                                                    <input type="hidden" name="id" value=id/>
                                                    <button type="submit" class="btn-secondary">{prefs.t(Msg::HouseholdRemove)}</button>
                                                </ActionForm>
                                                {h.autopay_available.then(|| view! {
                                                    <AutoPayForm household=h.id.clone() setting=h.autopay.clone() accounts=accounts set=set_auto unset=unset_auto/>
                                                })}
                                            </li>
                                        }}).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            {rural.then(|| view! { <KindList title=Msg::BillsSocialTitle kinds=home.social.clone() testid="social-kinds"/> })}
                            <KindList title=Msg::BillsTitle kinds=kinds testid="bill-kinds"/>
                            {(!rural).then(|| view! { <KindList title=Msg::BillsSocialTitle kinds=home.social.clone() testid="social-kinds"/> })}
                            <h2 class="section-title mt-6">{prefs.t(Msg::BillsRecent)}</h2>
                            {if home.recent.is_empty() {
                                view! { <p class="card">{prefs.t(Msg::BillsNone)}</p> }.into_any()
                            } else {
                                view! { <PaymentList rows=home.recent/> }.into_any()
                            }}
                            <a class="btn-secondary mt-4" href="/bills/history">{prefs.t(Msg::BillsHistory)}</a>
                        }.into_any()
                    }/>
            <SaveStatus action=remove saved=Msg::HouseholdRemoved/>
            <SaveStatus action=set_auto saved=Msg::AutoPaySaved/>
            <SaveStatus action=unset_auto saved=Msg::AutoPayRemoved/>
        </section>
    }
}

#[component]
pub fn BillFormPage() -> impl IntoView {
    let prefs = use_prefs();
    let params = use_params_map();
    let query = use_query_map();
    let pay = ServerAction::<PayBill>::new();
    let read = move || {
        let q = query.get();
        let get = |k: &str| q.get(k).unwrap_or_default();
        (
            params.get().get("kind").unwrap_or_default(),
            get("city"),
            get("biller"),
            get("number"),
        )
    };
    let data = Resource::new(read, |(k, c, b, n)| load_bill_form(k, c, b, n));
    view! {
        <section class="page" aria-labelledby="bill-title">
            <Protected data=data next="/bills" ready=move |f| {
                        let kind = f.kind.clone();
                        let kind_name = move || kind.name(prefs.lang.get());
                        let label = f.number_label.clone();
                        let number_label = move || label.get(prefs.lang.get()).to_string();
                        let city = f.city.clone();
                        let biller = f.biller.clone();
                        view! {
                            <h1 id="bill-title" class="page-title">{kind_name}</h1>
                            <SimulatedNotice simulated=f.simulated/>
                            <form method="get" class="card form-stack" data-testid="bill-lookup">
                                <label class="field-label">{prefs.t(Msg::BillCity)}
                                    <select class="field" name="city">
                                        {f.cities.iter().map(|c| view! { <option value=c.clone() selected=*c == city>{c.clone()}</option> }).collect_view()}
                                    </select></label>
                                <label class="field-label">{prefs.t(Msg::BillBiller)}
                                    <select class="field" name="biller">
                                        {f.billers.iter().map(|(id, name)| view! { <option value=id.clone() selected=*id == biller>{name.clone()}</option> }).collect_view()}
                                    </select></label>
                                <label class="field-label">{number_label}
                                    <input class="field font-mono" type="text" inputmode=if f.numeric { "numeric" } else { "text" } name="number" required maxlength="24"
                                        autocomplete="off" value=f.number.clone()/></label>
                                <button type="submit" class="btn-primary w-full" data-testid="bill-lookup-submit">{prefs.t(Msg::BillLookup)}</button>
                            </form>
                            {f.lookup_error.clone().map(|e| view! { <div class="mt-4"><ErrorMessage error=e/></div> })}
                            {f.bill.clone().map(|b| view! { <BillToPay f=f.clone() b=b pay=pay/> })}
                            <a class="btn-secondary mt-4" href="/bills">{prefs.t(Msg::BillsTitle)}</a>
                        }.into_any()
                    }/>
        </section>
    }
}

/// The bill found, and the form that pays it.
#[component]
fn BillToPay(f: BillForm, b: BillView, pay: ServerAction<PayBill>) -> impl IntoView {
    let prefs = use_prefs();
    let amount = match b.amount.clone() {
        AmountChoice::Exact { due, due_decimal } => view! {
            <input type="hidden" name="amount" value=due_decimal/>
            <p>{prefs.t(Msg::BillPayExact)} " " <strong class="text-2xl" data-testid="bill-amount">{due}</strong></p>
        }.into_any(),
        AmountChoice::Partial { suggested, min, max } => view! {
            <label class="field-label">{prefs.t(Msg::BillAmount)}
                <input class="field" type="text" inputmode="decimal" name="amount" required maxlength="12" value=suggested
                    aria-describedby="bill-amount-hint"/></label>
            <p id="bill-amount-hint" class="text-muted">{move || Tpl::BillPartialRange.fill(prefs.lang.get(), &[("min", &min), ("max", &max)])}</p>
        }.into_any(),
        AmountChoice::Grades(list) => view! {
            <fieldset class="form-stack">
                <legend class="font-bold">{prefs.t(Msg::BillGrade)}</legend>
                <p class="text-muted">{prefs.t(Msg::BillGradeHint)}</p>
                <div class="denominations">
                    {list.into_iter().enumerate().map(|(i, (value, label))| view! {
                        <label class="check-label"><input type="radio" name="amount" value=value required checked=i == 0/>{label}</label>
                    }).collect_view()}
                </div>
            </fieldset>
        }.into_any(),
        AmountChoice::Denominations(list) => view! {
            <fieldset class="form-stack">
                <legend class="font-bold">{prefs.t(Msg::BillTopUpAmount)}</legend>
                <div class="denominations">
                    {list.into_iter().enumerate().map(|(i, (value, label))| view! {
                        <label class="check-label"><input type="radio" name="amount" value=value required checked=i == 0/>{label}</label>
                    }).collect_view()}
                </div>
            </fieldset>
        }.into_any(),
    };
    view! {
        <dl class="card profile mt-4" data-testid="bill">
            <div><dt>{prefs.t(Msg::BillHolder)}</dt><dd>{b.holder.clone()}</dd></div>
            <div><dt>{prefs.t(Msg::BillDetail)}</dt><dd>{b.detail.clone()}</dd></div>
            {(!b.period.is_empty()).then(|| view! {
                <div><dt>{prefs.t(Msg::BillPeriod)}</dt><dd>{b.period.clone()}</dd></div>
            })}
            {(!b.period.is_empty() && !b.due.is_empty()).then(|| view! {
                <div><dt>{prefs.t(Msg::BillDue)}</dt><dd data-testid="bill-due">{b.due.clone()}</dd></div>
            })}
        </dl>
        {if b.nothing_due {
            view! { <p class="card mt-4" role="status">{prefs.t(Msg::ErrorNothingDue)}</p> }.into_any()
        } else {
            view! {
                <ActionForm action=pay>
                    <div class="card form-stack mt-4">
                        <input type="hidden" name="biller" value=f.biller.clone()/>
                        <input type="hidden" name="number" value=f.number.clone()/>
                        <input type="hidden" name="key" value=f.key.clone()/>
                        {amount}
                        <FromAccountChoice accounts=f.accounts.clone() chosen=String::new()/>
                        <CodeIfAsked action=pay/>
                        <button type="submit" class="btn-primary w-full" data-testid="bill-pay">{prefs.t(Msg::BillPay)}</button>
                        <SaveStatus action=pay saved=Msg::BillPaid/>
                    </div>
                </ActionForm>
            }.into_any()
        }}
    }
}

#[component]
pub fn BillPaymentPage() -> impl IntoView {
    let prefs = use_prefs();
    let params = use_params_map();
    let save = ServerAction::<SaveHousehold>::new();
    let data = Resource::new(
        move || params.get().get("id").unwrap_or_default(),
        load_bill_payment,
    );
    view! {
        <section class="page" aria-labelledby="bill-receipt-title">
            <h1 id="bill-receipt-title" class="page-title">{move || prefs.t(Msg::BillReceiptTitle)}</h1>
            <Protected data=data next="/bills" ready=move |p| {
                        let explain = p.status.explain();
                        let kind = p.kind.clone();
                        let pdf = format!("/bills/receipt.pdf?id={}", p.id);
                        view! {
                            <p class="text-2xl font-bold" data-testid="bill-status">{prefs.t(p.status.msg())}</p>
                            <p class="mb-4">{prefs.t(explain)}</p>
                            {(!p.reason.is_empty()).then(|| view! { <p class="mb-4" data-testid="bill-reason">{prefs.t(Msg::BillReason)} " " {p.reason.clone()}</p> })}
                            <dl class="card profile" data-testid="bill-receipt">
                                <div><dt>{prefs.t(Msg::BillKind)}</dt><dd>{move || kind.name(prefs.lang.get())}</dd></div>
                                <div><dt>{prefs.t(Msg::BillBiller)}</dt><dd>{p.biller.clone()}</dd></div>
                                <div><dt>{prefs.t(Msg::BillNumber)}</dt><dd class="font-mono">{p.household.clone()}</dd></div>
                                {(!p.period.is_empty()).then(|| view! { <div><dt>{prefs.t(Msg::BillPeriod)}</dt><dd>{p.period.clone()}</dd></div> })}
                                <div><dt>{prefs.t(Msg::BillAmount)}</dt><dd data-testid="bill-paid-amount">{p.amount.clone()}</dd></div>
                                <div><dt>{prefs.t(Msg::TransferFrom)}</dt><dd>"*" {p.from_card_tail.clone()}</dd></div>
                                {p.receipt.clone().map(|r| view! { <div><dt>{prefs.t(Msg::BillBillerReceipt)}</dt><dd class="font-mono" data-testid="bill-biller-receipt">{r}</dd></div> })}
                                <div><dt>{prefs.t(Msg::ReceiptTime)}</dt><dd>{p.time.clone()}</dd></div>
                            </dl>
                            {(p.status == PaymentStatus::Paid).then(|| view! {
                                <ActionForm action=save>
                                    <div class="card form-stack mt-4" data-testid="household-save">
                                        <h2 class="section-title">{prefs.t(Msg::HouseholdSaveTitle)}</h2>
                                        <input type="hidden" name="payment" value=p.id.clone()/>
                                        <label class="field-label">{prefs.t(Msg::HouseholdLabel)}
                                            <input class="field" type="text" name="label" required maxlength="20"
                                                aria-describedby="household-label-hint"/></label>
                                        <p id="household-label-hint" class="text-muted">{prefs.t(Msg::HouseholdLabelHint)}</p>
                                        <button type="submit" class="btn-secondary w-full">{prefs.t(Msg::HouseholdSave)}</button>
                                        <SaveStatus action=save saved=Msg::HouseholdSaved/>
                                    </div>
                                </ActionForm>
                            })}
                            {(p.status != PaymentStatus::Pending).then(|| view! {
                                <a class="btn-secondary w-full mt-4" href=pdf download data-testid="bill-receipt-pdf">{prefs.t(Msg::BillReceiptPdf)}</a>
                            })}
                            <div class="mt-4 flex flex-wrap gap-3">
                                <a class="btn-secondary" href="/bills">{prefs.t(Msg::BillsTitle)}</a>
                                <a class="btn-secondary" href="/bills/history">{prefs.t(Msg::BillsHistory)}</a>
                            </div>
                        }.into_any()
                    }/>
        </section>
    }
}

#[component]
pub fn BillHistoryPage() -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    let chosen = move || query.get().get("kind").unwrap_or_default();
    let data = Resource::new(chosen, load_bill_history);
    let kinds = Resource::new(|| (), |_| load_bill_kinds());
    view! {
        <section class="page" aria-labelledby="bill-history-title">
            <h1 id="bill-history-title" class="page-title">{move || prefs.t(Msg::BillsHistory)}</h1>
            // A GET form: the filter is the URL, before WASM too.
            <Suspense fallback=|| ()>
                {move || kinds.get().and_then(Result::ok).map(|kinds| {
                    let now = chosen();
                    view! {
                        <form method="get" class="card form-stack mb-4" data-testid="bill-history-filter">
                            <label class="field-label">{prefs.t(Msg::BillKind)}
                                <select class="field" name="kind">
                                    <option value="" selected=now.is_empty()>{prefs.t(Msg::BillKindAll)}</option>
                                    {kinds.into_iter().map(|k| {
                                        let selected = k.slug == now;
                                        let slug = k.slug.clone();
                                        view! { <option value=slug selected=selected>{move || k.name(prefs.lang.get())}</option> }
                                    }).collect_view()}
                                </select></label>
                            <button type="submit" class="btn-secondary w-full" data-testid="bill-history-apply">{prefs.t(Msg::BillKindFilter)}</button>
                        </form>
                    }
                })}
            </Suspense>
            <Protected data=data next="/bills/history" ready=move |rows| if rows.is_empty() {
                view! { <p class="card">{prefs.t(Msg::BillsNone)}</p> }.into_any()
            } else {
                view! { <PaymentList rows=rows/> }.into_any()
            }/>
            <a class="btn-secondary mt-4" href="/bills">{move || prefs.t(Msg::BillsTitle)}</a>
        </section>
    }
}
