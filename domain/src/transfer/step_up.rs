//! Step-up for transfers that need one: an SMS code or a passkey answer, each bound to the
//! transfer's customer, amount and payee card, so it authorises exactly that payment.

use webauthn_rs::prelude::RequestChallengeResponse;

use super::{ResolvedPayee, TransferRequest, Transfers};
use crate::account::card;
use crate::error::Error;
use crate::identity::passkey::{Challenge, Passkeys, RelyingParty};
use crate::identity::{Binding, Purpose};
use crate::sms::SmsGateway;
use crate::Result;

impl Transfers<'_> {
    /// The binding a step-up code for this transfer carries: customer, amount and payee card.
    pub(super) fn binding(req: &TransferRequest, payee: &ResolvedPayee) -> Binding {
        Binding::to_operation(&req.customer_id, "transfer", req.amount, &payee.card_no)
    }

    /// Starts a passkey step-up for a transfer, bound like the SMS code to its amount and payee.
    pub async fn start_passkey_step_up(
        &self,
        rp: &RelyingParty,
        req: &TransferRequest,
    ) -> Result<Challenge<RequestChallengeResponse>> {
        let (quote, payee, _) = self.plan(req).await?;
        if !quote.needs_step_up {
            return Err(Error::invalid(
                crate::Input::Request,
                "this transfer needs no confirmation".into(),
            ));
        }
        Passkeys {
            db: self.db,
            clock: self.clock,
            rp,
        }
        .start_step_up(&req.customer_id, &Self::binding(req, &payee))
        .await
    }

    /// Sends the step-up code for a transfer; the SMS names the amount and the masked payee.
    /// Returns whether a code was needed.
    pub async fn send_step_up(&self, sms: &dyn SmsGateway, req: &TransferRequest) -> Result<bool> {
        let (quote, payee, _) = self.plan(req).await?;
        if !quote.needs_step_up {
            return Ok(false);
        }
        let mobile = self.identity().mobile_of(&req.customer_id).await?;
        let amount = crate::money::format_yuan(req.amount);
        let to = format!(
            "{}（尾号{}）",
            payee.name_masked,
            card::tail(&payee.card_no)
        );
        self.otp()
            .issue(
                sms,
                &mobile,
                Purpose::StepUp,
                &Self::binding(req, &payee),
                |code| {
                    format!(
                        "【农商银行】您正向{to}转账{amount}，验证码 {code}，5 分钟内有效。请勿告诉任何人，银行工作人员不会索要。"
                    )
                },
            )
            .await?;
        Ok(true)
    }

    /// Whether the newest step-up code sent to the customer is still usable for exactly this
    /// transfer: the confirm page then says where it went instead of offering to send one,
    /// with or without JavaScript.
    pub async fn step_up_code_live(&self, req: &TransferRequest) -> Result<bool> {
        let (quote, payee, _) = self.plan(req).await?;
        if !quote.needs_step_up {
            return Ok(false);
        }
        let mobile = self.identity().mobile_of(&req.customer_id).await?;
        self.otp()
            .live_for(&mobile, Purpose::StepUp, &Self::binding(req, &payee))
            .await
    }
}
