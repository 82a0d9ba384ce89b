//! `bank-portal`: serves the portal. `bank-portal migrate` only brings the database schema up to
//! date and exits (run it from one node before starting several against PostgreSQL).

use std::process::ExitCode;

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
    let leptos_options = get_configuration(None)?.leptos_options;
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
    // Only the simulator exists so far: say so loudly, never pretend it is live.
    let sms: Arc<dyn SmsGateway> = Arc::new(DevOutbox::new(db.clone(), clock.clone()));
    tracing::warn!("SMS gateway: development outbox SIMULATOR; no message leaves this machine");

    let state = AppState {
        leptos_options,
        ctx: ServerContext {
            db: db.clone(),
            secure_cookies: config.secure_cookies,
            clock,
            keys: Arc::new(keys),
            sms,
            sessions: SessionPolicy {
                idle: config.session_idle_secs * 1000,
                absolute: config.session_absolute_secs * 1000,
            },
        },
        dev_endpoints: config.mode == Mode::Development,
    };
    let app = build(state);
    let listener = tokio::net::TcpListener::bind(addr).await?;
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
