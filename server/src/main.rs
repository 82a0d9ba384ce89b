//! `bank-portal`: serves the portal. Operator commands: `bank-portal verify-audit` recomputes the
//! audit log's hash chain and names the first broken entry (exit code 1 if any);
//! `bank-portal rotate-keys` re-seals personal data still sealed with an older master key.
//! `bank-portal create-staff --login LOGIN --name NAME [--institution P000] [--roles admin]`
//! creates the operators' console's first administrator and prints their credentials once.
//! `bank-portal migrate` only brings the database schema up to
//! date and exits (run it from one node before starting several against PostgreSQL).

use std::process::ExitCode;

use axum::serve::ListenerExt;
use leptos::config::get_configuration;
use tracing_subscriber::EnvFilter;

use std::net::SocketAddr;
use std::sync::Arc;

use domain::clock::SystemClock;
use domain::db::{redact_url, Db, DbConfig};
use domain::identity::session::SessionPolicy;
use domain::pii::KeyRing;
use server::config::{Config, Mode};
use server::context::{server_context, Outside};
use server::create_staff::StaffArgs;
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

/// What the binary was asked to do (its first argument, and the options after it).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Command {
    /// Serve the portal (also with no argument).
    Serve,
    /// Bring the schema up to date and exit.
    Migrate,
    /// Recompute the audit log's hash chain.
    VerifyAudit,
    /// Check the books' invariants and print them as one JSON line.
    VerifyLedger,
    /// Re-seal personal data still sealed with an older master key.
    RotateKeys,
    /// Create a staff member of the operators' console (the first administrator).
    CreateStaff(StaffArgs),
    /// Re-hash a signed loan contract and check its signatures against it.
    VerifyContract(String),
}

impl Command {
    fn parse(args: &[String]) -> Result<Command, String> {
        Ok(match args.first().map(String::as_str) {
            None | Some("serve") => Command::Serve,
            Some("migrate") => Command::Migrate,
            Some("verify-audit") => Command::VerifyAudit,
            Some("verify-ledger") => Command::VerifyLedger,
            Some("rotate-keys") => Command::RotateKeys,
            Some("create-staff") => Command::CreateStaff(StaffArgs::parse(&args[1..])?),
            Some("verify-contract") => match args.get(1) {
                Some(id) => Command::VerifyContract(id.clone()),
                None => return Err("verify-contract needs the contract's id".into()),
            },
            Some(other) => {
                return Err(format!(
                    "unknown command {other:?}: use serve, migrate, verify-audit, verify-ledger, rotate-keys, create-staff or verify-contract"
                ))
            }
        })
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = Command::parse(&args)?;
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
    let keys = match &config.pii_keys {
        Some(k) => KeyRing::new(&k.masters, &k.active, &k.index)?,
        None => {
            tracing::warn!("PII keys: using the published DEVELOPMENT keys (APP_ENV=development); never in production");
            KeyRing::development()
        }
    };
    let outcome = match command {
        Command::Serve => serve(config, leptos_options, &db, keys).await,
        Command::Migrate => {
            tracing::info!("database is up to date");
            Ok(())
        }
        Command::VerifyAudit => verify_audit(&db).await,
        Command::VerifyLedger => verify_ledger(&db).await,
        Command::RotateKeys => {
            let changed = domain::pii::rotate::all(&db, &keys).await?;
            println!(
                "re-sealed {changed} rows of personal data with key {}",
                keys.active_key_id()
            );
            Ok(())
        }
        Command::CreateStaff(args) => {
            let ops = domain::ops::Ops {
                db: &db,
                clock: &SystemClock,
                keys: &keys,
            };
            Ok(server::create_staff::run(&ops, &args).await?)
        }
        Command::VerifyContract(id) => verify_contract(&db, &keys, &id).await,
    };
    db.close().await;
    outcome
}

async fn verify_audit(db: &Db) -> Result<(), Box<dyn std::error::Error>> {
    match domain::audit::verify(db).await? {
        domain::audit::Verdict::Intact { entries } => {
            println!("audit log intact: {entries} entries");
            Ok(())
        }
        domain::audit::Verdict::Broken { seq, reason } => {
            println!("audit log BROKEN at entry {seq}: {reason}");
            Err(format!("audit log broken at entry {seq}").into())
        }
    }
}

/// A signed loan contract re-hashed: the stored text against its hash, and each signature
/// against the text. One JSON line; an error when anything does not match.
async fn verify_contract(
    db: &Db,
    keys: &KeyRing,
    id: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let loans = domain::loans::Loans {
        db,
        clock: &SystemClock,
        keys,
        bureau: &domain::loans::bureau::SimulatedBureau,
        tax: &domain::loans::tax::SimulatedTaxBureau,
    };
    let v = loans.verify_contract(id).await?;
    println!(
        "{}",
        serde_json::json!({
            "contract": v.contract_id,
            "sha256": v.sha256,
            "text_intact": v.text_intact,
            "signatures": v.signatures.iter().map(|(role, method, at, matches)| serde_json::json!({
                "role": role,
                "method": method,
                "signed_at": domain::clock::beijing_datetime(*at),
                "signed_this_text": matches,
            })).collect::<Vec<_>>(),
            "valid": v.is_valid(),
        })
    );
    if v.is_valid() {
        Ok(())
    } else {
        Err(format!("contract {id} does not verify").into())
    }
}

/// The books' invariants: every entry sums to zero, every balance is the sum of its postings,
/// no customer account below zero. One JSON line, for scripts.
async fn verify_ledger(db: &Db) -> Result<(), Box<dyn std::error::Error>> {
    let problems = domain::ledger::check_books(db).await?;
    let (all, customers) = domain::ledger::totals(db).await?;
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
    if problems.is_empty() && all == 0 && negative == 0 {
        Ok(())
    } else {
        Err("the books do not balance".into())
    }
}

async fn serve(
    config: Config,
    leptos_options: leptos::config::LeptosOptions,
    db: &Db,
    keys: KeyRing,
) -> Result<(), Box<dyn std::error::Error>> {
    let addr = leptos_options.site_addr;
    if config.mode == Mode::Development && !config.dev_endpoints {
        tracing::warn!("development mode beyond loopback: no demo data, no /dev endpoints (DEV_ON_ANY_ADDRESS=1 allows them)");
    } else if config.dev_endpoints && !addr.ip().is_loopback() {
        tracing::warn!(%addr, "DEV_ON_ANY_ADDRESS=1: demo customers with published passwords and the SMS outbox (every code) are served to anyone who reaches this address");
    }
    let clock: Arc<dyn domain::clock::Clock> = Arc::new(SystemClock);
    let outside = Outside::simulators(db, clock.clone());
    outside.warn_simulated();
    // Passkeys belong to one site: the origin customers use (a config error stops the start).
    let mut ctx = server_context(
        db,
        clock.clone(),
        Arc::new(keys),
        &outside,
        &config.public_origin,
    )?;
    ctx.secure_cookies = config.secure_cookies;
    ctx.code_free = config.code_free;
    ctx.codes_per_address_hour = config.codes_per_address_hour;
    ctx.sessions = SessionPolicy {
        idle: config.session_idle_secs * 1000,
        absolute: config.session_absolute_secs * 1000,
    };
    ctx.staff_sessions = domain::ops::StaffPolicy {
        idle: config.staff_idle_secs * 1000,
        ..Default::default()
    };
    tracing::info!(
        origin = ctx.passkeys.origin(),
        "passkeys (fingerprint / face login) bound to this origin"
    );
    let (customers, banking) =
        server::dev::demo_data(&config, db, clock.as_ref(), &ctx.keys, &ctx.committer).await?;
    if customers > 0 {
        tracing::info!(
            created = customers,
            "development mode: demo customers created (see README)"
        );
    }
    if banking {
        tracing::info!("development mode: demo accounts with six months of history created");
    }
    let live = server::live::LiveHub::start(db.clone(), clock.clone());
    server::workers::Workers {
        db: db.clone(),
        clock,
        keys: ctx.keys.clone(),
        clearing: outside.clearing.clone(),
        clearing_delay_secs: config.clearing_delay_secs,
        billers: outside.billers.clone(),
        credit_bureau: outside.credit_bureau.clone(),
        tax_bureau: outside.tax_bureau.clone(),
    }
    .spawn();

    let state = AppState {
        leptos_options,
        ctx,
        dev_endpoints: config.dev_endpoints,
        public_origin: server::security::PublicOrigin(config.public_origin.as_str().into()),
        trusted_proxies: server::client_ip::TrustedProxies(Arc::new(
            config.trusted_proxies.clone(),
        )),
        live: live.clone(),
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
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        live.close();
    })
    .await?;
    tracing::info!("draining finished; closing the database");
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
