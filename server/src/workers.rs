//! Background workers of every node. Each pass is safe to run on several nodes at once (the
//! work they do is conditional on the rows' state), so no node is special.
//!
//! * clearing: submits interbank transfers that have waited `CLEARING_DELAY_SECS` to the
//!   clearing network (the simulator unless a real one is configured) and records the answers;
//! * deposits: renews or pays out time deposits that have matured, once a minute;
//! * bills: asks the billers about bill payments left pending (a lost answer, a crash between
//!   our debit and their answer) for over a minute, and records paid or refunds, every 30 s;
//! * pushes: delivers published items marked for push to the message centres of the
//!   customers they target, in batches, every 2 s while there is work (a claimed delivery
//!   passes to another node if this one stops);
//! * loans: the daily servicing (collection of what is due, penalty interest, reminders,
//!   pledges enforced, credit lines settled) every 5 minutes; each loan is collected at most
//!   once a China day whichever node gets there first;
//! * housekeeping, at start and hourly: drops rate-limit windows older than a day, fills in the
//!   year of birth of customers registered before it was kept, and re-seals personal data
//!   still sealed with an older master key (key rotation without downtime).

use std::sync::Arc;
use std::time::Duration;

use domain::clearing::ClearingNetwork;
use domain::clock::{Clock, DAY};
use domain::pii::KeyRing;
use domain::Db;

/// Everything the workers need; cloned into each task.
#[derive(Clone)]
pub struct Workers {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub keys: Arc<KeyRing>,
    pub clearing: Arc<dyn ClearingNetwork>,
    pub clearing_delay_secs: i64,
    pub billers: Arc<dyn domain::billpay::BillerGateway>,
    pub credit_bureau: Arc<dyn domain::loans::bureau::CreditBureau>,
    pub tax_bureau: Arc<dyn domain::loans::tax::TaxBureau>,
}

impl Workers {
    /// Starts the workers on the current runtime; they stop with the process.
    pub fn spawn(self) {
        let deposits = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(60)).await;
                let service = domain::deposit::Deposits {
                    db: &deposits.db,
                    clock: deposits.clock.as_ref(),
                };
                match service.process_matured(200).await {
                    Ok(n) if n > 0 => tracing::info!(deposits = n, "matured time deposits settled"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "time-deposit pass failed; will retry"),
                }
            }
        });
        let loans = self.clone();
        tokio::spawn(async move {
            loop {
                let service = domain::loans::Loans {
                    db: &loans.db,
                    clock: loans.clock.as_ref(),
                    keys: &loans.keys,
                    bureau: loans.credit_bureau.as_ref(),
                    tax: loans.tax_bureau.as_ref(),
                };
                match service.service(200).await {
                    Ok(r) if r.collected + r.lines_settled + r.reminders > 0 => tracing::info!(
                        collected = r.collected,
                        lines = r.lines_settled,
                        reminders = r.reminders,
                        pledges = r.pledges_enforced,
                        "loan servicing"
                    ),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "loan servicing failed; will retry"),
                }
                tokio::time::sleep(Duration::from_secs(300)).await;
            }
        });
        let bills = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(30)).await;
                bills.bills_pass().await;
            }
        });
        let pushes = self.clone();
        tokio::spawn(async move {
            // Names this process in the deliveries it claims.
            let node = domain::id::new_id();
            loop {
                tokio::time::sleep(Duration::from_secs(2)).await;
                pushes.push_pass(&node).await;
            }
        });
        let clearing = self.clone();
        tokio::spawn(async move {
            // Look several times per delay, so a transfer is answered soon after it is due.
            let every = Duration::from_secs((clearing.clearing_delay_secs / 6).clamp(1, 10) as u64);
            loop {
                tokio::time::sleep(every).await;
                clearing.clearing_pass().await;
            }
        });
        tokio::spawn(async move {
            loop {
                self.housekeeping_pass().await;
                tokio::time::sleep(Duration::from_secs(3600)).await;
            }
        });
    }

    /// Delivers pushes until none is due (or another node holds what is left).
    pub async fn push_pass(&self, node: &str) {
        let pusher = domain::content::push::Pusher {
            content: domain::content::Content {
                db: &self.db,
                clock: self.clock.as_ref(),
            },
            node,
        };
        let mut delivered = 0;
        loop {
            match pusher.pass(1_000, 10).await {
                Ok(p) if p.customers == 0 => break,
                Ok(p) => delivered += p.messages,
                Err(e) => {
                    tracing::warn!(error = %e, "push delivery failed; will retry");
                    break;
                }
            }
        }
        if delivered > 0 {
            tracing::info!(messages = delivered, "pushed items delivered");
        }
    }

    /// Hourly: drops old rate-limit windows, old counts of wrong sign-ins for unknown numbers and
    /// unanswered passkey challenges, and re-seals personal data still sealed with an
    /// older master key (after a new `PII_ACTIVE_KEY`), in bounded passes until none is left.
    /// Errors are logged; the next hour tries again.
    pub async fn housekeeping_pass(&self) {
        match domain::ratelimit::purge(&self.db, self.clock.now() - DAY).await {
            Ok(n) if n > 0 => tracing::info!(windows = n, "purged old rate-limit windows"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "rate-limit purge failed; will retry"),
        }
        let now = self.clock.now();
        match domain::identity::purge_unknown_failures(&self.db, now - 30 * DAY, now).await {
            Ok(n) if n > 0 => {
                tracing::info!(rows = n, "purged old sign-in failures of unknown numbers")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "sign-in failure purge failed; will retry"),
        }
        match domain::identity::passkey::purge_expired(&self.db, self.clock.as_ref()).await {
            Ok(n) if n > 0 => {
                tracing::info!(challenges = n, "purged unanswered passkey challenges")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "passkey challenge purge failed; will retry"),
        }
        match domain::identity::fill_birth_years(&self.db, &self.keys, 1_000).await {
            Ok(n) if n > 0 => tracing::info!(customers = n, "filled in years of birth"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "filling in years of birth failed; will retry"),
        }
        let mut resealed = 0;
        loop {
            match domain::pii::rotate::pass(&self.db, &self.keys, 500).await {
                Ok(0) => break,
                Ok(n) => resealed += n,
                Err(e) => {
                    tracing::warn!(error = %e, "key rotation pass failed; will retry");
                    break;
                }
            }
            // Leave room for the portal's own work between batches.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        if resealed > 0 {
            tracing::info!(
                rows = resealed,
                key = self.keys.active_key_id(),
                "re-sealed personal data with the active key"
            );
        }
    }

    /// One pass of the bill-payment worker: payments pending over a minute are settled by
    /// what the biller says happened to them, and saved numbers not asked about today get a
    /// reminder in the inbox when a bill is due. Errors are logged; the next pass tries again.
    pub async fn bills_pass(&self) -> usize {
        let payments = domain::billpay::Payments {
            db: &self.db,
            clock: self.clock.as_ref(),
            gateway: self.billers.as_ref(),
            keys: &self.keys,
            // The worker only settles and pays under mandates; no allowance is spent here.
            code_free: domain::transfer::CodeFreePolicy::default(),
        };
        let settled = match payments.resolve_pending(60_000).await {
            Ok(n) => {
                if n > 0 {
                    tracing::info!(payments = n, "pending bill payments settled");
                }
                n
            }
            Err(e) => {
                tracing::warn!(error = %e, "bill payment pass failed; will retry");
                0
            }
        };
        // Saved numbers not asked about today: a reminder for each bill due.
        match domain::billpay::reminders::remind_due(
            &self.db,
            self.clock.as_ref(),
            self.billers.as_ref(),
            &self.keys,
            100,
        )
        .await
        {
            Ok(n) if n > 0 => tracing::info!(reminders = n, "due-bill reminders sent"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "due-bill reminder pass failed; will retry"),
        }
        settled
    }

    /// One pass of the clearing worker; errors are logged and the next pass tries again.
    pub async fn clearing_pass(&self) -> usize {
        match domain::clearing::process_due(
            &self.db,
            self.clock.as_ref(),
            &self.keys,
            self.clearing.as_ref(),
            &domain::clearing::Pass::after(self.clearing_delay_secs * 1000),
        )
        .await
        {
            Ok(n) => {
                if n > 0 {
                    tracing::info!(transfers = n, "clearing answered interbank transfers");
                }
                n
            }
            Err(e) => {
                tracing::warn!(error = %e, "clearing pass failed; will retry");
                0
            }
        }
    }
}
