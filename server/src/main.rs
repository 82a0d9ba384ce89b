//! `bank-portal`: serves the portal. `bank-portal migrate` only brings the database schema up to
//! date and exits (run it from one node before starting several against PostgreSQL).

use std::process::ExitCode;

use leptos::config::get_configuration;
use tracing_subscriber::EnvFilter;

use app::ServerContext;
use domain::db::{redact_url, Db, DbConfig};
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

    let state = AppState {
        leptos_options,
        ctx: ServerContext {
            db: db.clone(),
            secure_cookies: config.secure_cookies,
        },
    };
    let app = build(state);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, database = db.kind().as_str(), mode = ?config.mode, "bank-portal listening on http://{addr}");
    axum::serve(listener, app.into_make_service())
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
