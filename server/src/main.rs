//! `bank-portal`: serves the portal. Operator commands: `bank-portal verify-audit` recomputes the
//! audit log's hash chain and names the first broken entry (exit code 1 if any);
//! `bank-portal rotate-keys` re-seals personal data still sealed with an older master key.
//! `bank-portal migrate` only brings the database schema up to
//! date and exits (run it from one node before starting several against PostgreSQL).

use std::process::ExitCode;

use axum::serve::ListenerExt;
use leptos::config::get_configuration;
use tracing_subscriber::EnvFilter;

use std::net::SocketAddr;
use std::sync::Arc;

use app::ServerContext;
use domain::clock::SystemClock;
use domain::db::{redact_url, Db, DbConfig};
use domain::identity::session::SessionPolicy;
use domain::pii::KeyRing;
use domain::sms::{DevOutbox, SmsGateway};
use server::config::{Config, Mode};
use server::router::{build, AppState};

// mimalloc for Rust and, through its `override` feature, for SQLite's C allocations: glibc's
// malloc (with its consolidations of freed chunks) was a tenth of the transfer writer's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "bank-portal stopped");
            eprintln!("bank-portal: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut leptos_options = get_configuration(None)?.leptos_options;
    // The release build names its JS, WASM and CSS by content and lists them in hash.txt
    // beside the binary; a binary built without it serves the plain names.
    leptos_options.hash_files = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(&*leptos_options.hash_file)))
        .is_some_and(|file| file.exists());
    let addr = leptos_options.site_addr;
    let config = Config::from_env(addr)?;
    init_logging(&config);

    let db_config = DbConfig {
        url: config.database_url.clone(),
        max_connections: config.database_max_connections,
    };
    tracing::info!(database = %redact_url(&config.database_url), "opening database");
    let db = Db::connect(&db_config).await?;
    let seeded = domain::institution::seed(&db).await?;
    if seeded > 0 {
        tracing::info!(rows = seeded, "seeded the union and its banks");
    }
    let internal = domain::account::seed_internal(&db, &SystemClock).await?;
    if internal > 0 {
        tracing::info!(accounts = internal, "opened the banks' internal accounts");
    }
    if std::env::args().nth(1).as_deref() == Some("migrate") {
        tracing::info!("database is up to date");
        db.close().await;
        return Ok(());
    }

    let keys = match &config.pii_keys {
        Some(k) => KeyRing::new(&k.masters, &k.active, &k.index)?,
        None => {
            tracing::warn!("PII keys: using the published DEVELOPMENT keys (APP_ENV=development); never in production");
            KeyRing::development()
        }
    };
    let clock = Arc::new(SystemClock);
    match std::env::args().nth(1).as_deref() {
        Some("verify-audit") => {
            let verdict = domain::audit::verify(&db).await?;
            db.close().await;
            return match verdict {
                domain::audit::Verdict::Intact { entries } => {
                    println!("audit log intact: {entries} entries");
                    Ok(())
                }
                domain::audit::Verdict::Broken { seq, reason } => {
                    println!("audit log BROKEN at entry {seq}: {reason}");
                    Err(format!("audit log broken at entry {seq}").into())
                }
            };
        }
        Some("rotate-keys") => {
            let changed = domain::pii::rotate::all(&db, &keys).await?;
            println!(
                "re-sealed {changed} rows of personal data with key {}",
                keys.active_key_id()
            );
            db.close().await;
            return Ok(());
        }
        Some("verify-ledger") => {
            // The books' invariants: every entry sums to zero, every balance is the sum of its
            // postings, no customer account below zero. One JSON line, for scripts.
            let problems = domain::ledger::check_books(&db).await?;
            let (all, customers) = domain::ledger::totals(&db).await?;
            let negative: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM accounts WHERE kind <> 'internal' AND balance < 0",
            )
            .fetch_one(db.pool())
            .await?;
            let transfers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM transfers")
                .fetch_one(db.pool())
                .await?;
            println!(
                "{}",
                serde_json::json!({
                    "problems": problems,
                    "all_accounts": all,
                    "customers": customers,
                    "negative_accounts": negative,
                    "transfers": transfers,
                })
            );
            db.close().await;
            return if problems.is_empty() && all == 0 && negative == 0 {
                Ok(())
            } else {
                Err("the books do not balance".into())
            };
        }
        None | Some("serve") => {}
        Some(other) => {
            return Err(format!(
                "unknown command {other:?}: use serve, migrate, verify-audit, verify-ledger or rotate-keys"
            )
            .into())
        }
    }
    if config.mode == Mode::Development && !config.dev_endpoints {
        tracing::warn!("development mode beyond loopback: no demo data, no /dev endpoints (DEV_ON_ANY_ADDRESS=1 allows them)");
    } else if config.dev_endpoints && !addr.ip().is_loopback() {
        tracing::warn!(%addr, "DEV_ON_ANY_ADDRESS=1: demo customers with published passwords and the SMS outbox (every code) are served to anyone who reaches this address");
    }
    let committer = domain::transfer::Committer::start(db.clone());
    let (customers, banking) =
        server::dev::demo_data(&config, &db, clock.as_ref(), &keys, &committer).await?;
    if customers > 0 {
        tracing::info!(
            created = customers,
            "development mode: demo customers created (see README)"
        );
    }
    if banking {
        tracing::info!("development mode: demo accounts with six months of history created");
    }
    let keys = Arc::new(keys);
    // Only the simulator exists so far: say so loudly, never pretend it is live.
    let clearing: Arc<dyn domain::clearing::ClearingNetwork> =
        Arc::new(domain::clearing::ClearingSimulator::with_demo_directory());
    tracing::warn!("clearing network: local SIMULATOR (see README for its accounts); no money leaves this machine");
    // Only the simulator exists so far: say so loudly, never pretend it is live.
    let billers: Arc<dyn domain::billpay::BillerGateway> = Arc::new(
        domain::billpay::BillerSimulator::new(db.clone(), clock.clone()),
    );
    tracing::warn!(
        "billers (water, electricity, top-ups …): local SIMULATOR; no bill is really paid"
    );
    server::workers::Workers {
        db: db.clone(),
        clock: clock.clone(),
        keys: keys.clone(),
        clearing,
        clearing_delay_secs: config.clearing_delay_secs,
        billers: billers.clone(),
    }
    .spawn();
    // Only the simulator exists so far: say so loudly, never pretend it is live.
    let sms: Arc<dyn SmsGateway> = Arc::new(DevOutbox::new(db.clone(), clock.clone()));
    tracing::warn!("SMS gateway: development outbox SIMULATOR; no message leaves this machine");

    // Only the simulator exists so far: say so loudly, never pretend it is live.
    let bureau: Arc<dyn domain::livelihood::SocialSecurityBureau> =
        Arc::new(domain::livelihood::simulator::BureauSimulator::new());
    tracing::warn!(
        "social-security and medical bureaus (e-SSC, medical e-voucher): local SIMULATOR; its QR codes are accepted nowhere"
    );

    // Only the simulator exists so far: say so loudly, never pretend it is live.
    let jobs: Arc<dyn domain::jobs::JobBoard> =
        Arc::new(domain::jobs::simulator::JobBoardSimulator::new());
    tracing::warn!("job listings (就业在线): local SIMULATOR; the employers and jobs are made up");

    // Passkeys belong to one site: the origin customers use (a config error stops the start).
    let passkeys = Arc::new(domain::identity::passkey::RelyingParty::new(
        &config.public_origin,
    )?);
    tracing::info!(
        origin = passkeys.origin(),
        "passkeys (fingerprint / face login) bound to this origin"
    );

    let state = AppState {
        leptos_options,
        ctx: ServerContext {
            db: db.clone(),
            secure_cookies: config.secure_cookies,
            clock,
            keys,
            sms,
            committer,
            code_free: config.code_free,
            passkeys,
            billers,
            bureau,
            jobs,
            sessions: SessionPolicy {
                idle: config.session_idle_secs * 1000,
                absolute: config.session_absolute_secs * 1000,
            },
        },
        dev_endpoints: config.dev_endpoints,
        public_origin: server::security::PublicOrigin(config.public_origin.as_str().into()),
        trusted_proxies: server::client_ip::TrustedProxies(Arc::new(
            config.trusted_proxies.clone(),
        )),
    };
    let app = build(state);
    // TCP_NODELAY: without it a response's body waits for the delayed ACK of its headers
    // (about 40 ms per static file on Linux).
    let listener = tokio::net::TcpListener::bind(addr).await?.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY could not be set on a connection");
        }
    });
    tracing::info!(%addr, database = db.kind().as_str(), mode = ?config.mode, "bank-portal listening on http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("draining finished; closing the database");
    db.close().await;
    Ok(())
}

fn init_logging(config: &Config) {
    let default = if config.mode == Mode::Development {
        "info,server=debug,app=debug"
    } else {
        "info"
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if config.log_json {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Ctrl-C or SIGTERM: stop accepting, let requests in flight finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown requested");
}
