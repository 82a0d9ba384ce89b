//! Payee resolution: from the payee as the customer named it ([`PayeeRef`]: own account,
//! card, mobile number, saved payee) to the receiving account or other bank, resolved and
//! masked ([`ResolvedPayee`]), which the checks and the confirmation page work from.

use serde::{Deserialize, Serialize};

use super::{Kind, PayeeRef, TransferRequest, Transfers};
use crate::account::card;
use crate::error::Refusal;
use crate::identity::{Mobile, RealName};
use crate::{Error, Result};

/// The receiving side, resolved and masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedPayee {
    pub kind: Kind,
    pub card_no: String,
    pub to_account_id: Option<String>,
    pub name_masked: String,
    pub bank_name: String,
    /// Ⅱ类户 payees have a balance cap.
    pub balance_cap: Option<i64>,
    /// Other banks only: the name as typed, which clearing checks.
    #[serde(skip)]
    pub name_typed: Option<String>,
}

impl Transfers<'_> {
    /// Who receives the money, as the customer named them: one of our accounts (own, by
    /// mobile number, by card of our network, or saved), or another bank's card with the name
    /// its clearing checks (typed, or the saved payee's).
    pub(super) async fn resolve(&self, req: &TransferRequest) -> Result<ResolvedPayee> {
        let intra = |account| intra_payee(req, account);
        let card_no = match &req.payee {
            PayeeRef::OwnAccount(id) => {
                let account = self.accounts().get_owned(&req.customer_id, id).await?;
                return Ok(intra(account));
            }
            PayeeRef::Mobile(m) => {
                let mobile = Mobile::parse(m)?;
                let owner = self
                    .identity()
                    .find_by_mobile(&mobile)
                    .await?
                    .ok_or(Refusal::PayeeNotFound)?;
                let account = self
                    .accounts()
                    .list(&owner)
                    .await?
                    .into_iter()
                    .next()
                    .ok_or(Refusal::PayeeNotFound)?;
                return Ok(intra(account));
            }
            PayeeRef::Card(c) => card::parse(c)?,
            PayeeRef::Saved(id) => self.payees().card_of(&req.customer_id, id).await?,
        };
        if card::bank_of(&card_no).is_some() {
            let account = self
                .accounts()
                .by_card(&card_no)
                .await?
                .ok_or(Refusal::PayeeNotFound)?;
            return Ok(intra(account));
        }
        let bank_name = crate::clearing::other_bank_name(&card_no).ok_or_else(|| {
            Error::invalid(
                crate::Input::Card,
                "card of a bank we do not clear with".into(),
            )
        })?;
        let typed = match (&req.payee_name, &req.payee) {
            (Some(n), _) if !n.trim().is_empty() => RealName::parse(n)?,
            (_, PayeeRef::Saved(id)) => self.payees().name_of(&req.customer_id, id).await?,
            _ => {
                return Err(Error::invalid(
                    crate::Input::PayeeName,
                    "the payee's name is needed".into(),
                ))
            }
        };
        Ok(ResolvedPayee {
            kind: Kind::Interbank,
            card_no,
            to_account_id: None,
            name_masked: typed.masked(),
            bank_name: bank_name.into(),
            balance_cap: None,
            name_typed: Some(typed.as_str().to_string()),
        })
    }
}

/// A payee account in our network: the customer's own or another customer's.
pub(super) fn intra_payee(
    req: &TransferRequest,
    account: crate::account::Account,
) -> ResolvedPayee {
    ResolvedPayee {
        kind: if account.customer_id == req.customer_id {
            Kind::Own
        } else {
            Kind::Intra
        },
        card_no: account.card_no.clone(),
        to_account_id: Some(account.id.clone()),
        name_masked: account.owner_name_masked.clone(),
        bank_name: account.bank_name.clone(),
        balance_cap: account.class.limits().balance_cap,
        name_typed: None,
    }
}

/// The payee's card when it is a card of our network (the instant, common case).
pub(super) fn our_card(req: &TransferRequest) -> Option<String> {
    match &req.payee {
        PayeeRef::Card(c) => card::parse(c).ok().filter(|c| card::bank_of(c).is_some()),
        _ => None,
    }
}
