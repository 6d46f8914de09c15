//! Command-line interface. Every setting is a flag with a `RAPPORT_*` environment variable
//! and a default; none is required.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "rapport",
    version,
    about = "Rapport, an open-source CRM",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// sqlite://path/to/file.db or postgres://user@host/db
    #[arg(
        long,
        global = true,
        env = "RAPPORT_DATABASE_URL",
        default_value = "sqlite://rapport-data/rapport.db"
    )]
    pub database_url: String,
    /// Start even when the database settings could lose acknowledged writes.
    #[arg(long, global = true, env = "RAPPORT_ALLOW_UNSAFE_DB")]
    pub allow_unsafe_db: bool,
    /// Database connections (PostgreSQL pool size; SQLite readers).
    #[arg(long, global = true, env = "RAPPORT_DB_POOL_SIZE", default_value_t = 8)]
    pub db_pool_size: u32,
    /// How long a request waits for a database connection, in seconds.
    #[arg(
        long,
        global = true,
        env = "RAPPORT_DB_ACQUIRE_TIMEOUT",
        default_value_t = 5
    )]
    pub db_acquire_timeout: u64,
    /// SQLite: how long a write waits for a lock held by another process, in seconds.
    #[arg(
        long,
        global = true,
        env = "RAPPORT_DB_BUSY_TIMEOUT",
        default_value_t = 5
    )]
    pub db_busy_timeout: u64,
    /// PostgreSQL: statements running longer are cancelled, in seconds (0 keeps the
    /// server's setting). Bounds how long a runaway query holds a connection and its locks.
    #[arg(
        long,
        global = true,
        env = "RAPPORT_DB_STATEMENT_TIMEOUT",
        default_value_t = 60
    )]
    pub db_statement_timeout: u64,
    #[arg(long, global = true, env = "RAPPORT_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// A tracing filter such as `info` or `rapport=debug,sqlx=warn`.
    #[arg(
        long,
        global = true,
        env = "RAPPORT_LOG",
        default_value = "info,sqlx::postgres::notice=warn"
    )]
    pub log: String,
    /// Print machine-readable JSON instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web UI and the API.
    Serve(ServeArgs),
    /// Apply database migrations, or check whether any are pending.
    Migrate {
        /// Only report; exit with 1 when migrations are pending or the schema is not usable.
        #[arg(long)]
        check: bool,
    },
    /// Create and list workspaces.
    #[command(subcommand)]
    Workspace(WorkspaceCommand),
    /// Add, list and change users.
    #[command(subcommand)]
    User(UserCommand),
    /// Create, list and revoke API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Create and fill the demo workspace on an empty database, or show the one there is.
    Demo(DemoArgs),
    /// Write a consistent backup of the whole database while it keeps serving.
    Backup {
        /// The backup file to write (`-` for standard output). Written under a temporary
        /// name and renamed when complete.
        #[arg(long)]
        to: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Restore a backup into an empty database, SQLite or PostgreSQL, either way round.
    Restore {
        /// The backup file to read (`-` for standard input).
        #[arg(long)]
        from: PathBuf,
        /// Only read the file through and check it (lines, counts, checksum); touch no
        /// database.
        #[arg(long)]
        check: bool,
    },
    /// Copy every workspace, with its records, audit history and sessions, from one database
    /// into another (SQLite up to PostgreSQL, or any other way), checked table by table.
    Copy {
        /// The database to copy from (sqlite://… or postgres://…); it may keep serving.
        #[arg(long, env = "RAPPORT_COPY_FROM")]
        from: String,
        /// The database to copy into; created and migrated as needed, and it must hold no
        /// data unless --replace. (The variables keep passwords in URLs out of `ps`.)
        #[arg(long, env = "RAPPORT_COPY_TO")]
        to: String,
        /// Delete whatever the target holds and put the source's data in its place (in the
        /// copy's transaction: a failed copy leaves it as it was).
        #[arg(long)]
        replace: bool,
    },
    /// Import a CSV file into one object (`import FILE --object contacts`, all-or-nothing
    /// unless --skip-bad-rows), or purchase history (`import transactions FILE`).
    Import(ImportCmd),
    /// Export a list view (the list API's filters, sort, q and fields) as CSV or vCard.
    Export(ExportArgs),
    /// Print the OpenAPI document of the REST API.
    Openapi,
    /// Customer-base analytics: model fits, CLV and churn predictions, RFM, cohorts.
    #[command(subcommand)]
    Analytics(AnalyticsCommand),
    /// Exchange rates into the workspace's base currency: list, set, delete, import a CSV.
    #[command(subcommand)]
    Rates(RatesCommand),
}

#[derive(Debug, Subcommand)]
pub enum RatesCommand {
    /// Every rate, by currency and newest first.
    List {
        #[command(flatten)]
        act: ActAs,
        /// Only this currency (ISO 4217).
        #[arg(long)]
        currency: Option<String>,
    },
    /// Set the rate of a currency from a day: `rates set USD 2026-11-23 0.9215` means one
    /// USD is worth 0.9215 units of the base currency from that day on. The same currency
    /// and day again replaces the rate.
    Set {
        #[command(flatten)]
        act: ActAs,
        currency: String,
        valid_from: String,
        rate: String,
    },
    /// Remove one rate; the currency's previous rate is in force again.
    Delete {
        #[command(flatten)]
        act: ActAs,
        currency: String,
        valid_from: String,
    },
    /// Load a CSV with the columns currency,valid_from,rate (header first, any order):
    /// every row or, when any is wrong, none, with each wrong cell named by line.
    Import {
        #[command(flatten)]
        act: ActAs,
        /// The file to read (`-` for standard input).
        file: std::path::PathBuf,
    },
}

/// The user a data command acts as, in a workspace.
#[derive(Debug, Args)]
pub struct ActAs {
    #[command(flatten)]
    pub ws: WorkspaceArg,
    /// The admin the command acts as (owner of created contacts, author in the audit log);
    /// the workspace's first admin when left out.
    #[arg(long = "as", env = "RAPPORT_AS")]
    pub as_user: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FileFormat {
    /// Comma-separated with a header: customer, date, amount[, quantity, currency, order_id,
    /// first_name, last_name, email].
    Csv,
    /// The CDNOW sample: whitespace-separated, no header (full id, sample id, yyyymmdd, CDs,
    /// dollars); the sample id becomes the contact's external id.
    Cdnow,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CustomerKeyArg {
    ExternalId,
    Email,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import purchase history: each row becomes an order; unknown customers become contacts.
    Transactions {
        #[command(flatten)]
        act: ActAs,
        /// The file to read (`-` for standard input).
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = FileFormat::Csv)]
        format: FileFormat,
        /// How the customer column names a contact.
        #[arg(long, value_enum, default_value_t = CustomerKeyArg::ExternalId)]
        customer_key: CustomerKeyArg,
        /// strftime-style date format such as %d/%m/%Y (%Y-%m-%d by default, %Y%m%d for cdnow).
        #[arg(long)]
        date_format: Option<String>,
        /// Check and count everything, keep nothing.
        #[arg(long)]
        dry_run: bool,
        /// Keep the good rows when some are bad (by default one bad row keeps nothing).
        #[arg(long)]
        skip_bad_rows: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OutputFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CustomerArg {
    Contact,
    Company,
}

#[derive(Debug, Args)]
pub struct AnalyticsCommon {
    #[command(flatten)]
    pub act: ActAs,
    /// Whom an order counts for: its contact or its company.
    #[arg(long, value_enum, default_value_t = CustomerArg::Contact)]
    pub customer: CustomerArg,
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

#[derive(Debug, Subcommand)]
pub enum AnalyticsCommand {
    /// Fit BG/NBD, Pareto/NBD and Gamma-Gamma on orders up to the calibration end and keep them.
    Fit {
        #[command(flatten)]
        common: AnalyticsCommon,
        /// Last day of calibration (YYYY-MM-DD); the day of the last order by default.
        #[arg(long, value_parser = parse_day)]
        calibration_end: Option<time::Date>,
    },
    /// Per-customer predictions of the latest fit, highest CLV first.
    Predict {
        #[command(flatten)]
        common: AnalyticsCommon,
        /// bgnbd or paretonbd.
        #[arg(long, default_value = "bgnbd")]
        model: String,
        /// Expected purchases and churn risk over this many weeks.
        #[arg(long, default_value_t = 52.0)]
        horizon_weeks: f64,
        /// CLV horizon in months.
        #[arg(long, default_value_t = 12)]
        clv_months: u32,
        /// Monthly discount rate of CLV.
        #[arg(long, default_value_t = 0.01)]
        discount_rate: f64,
        /// clv, p_alive, expected_purchases or churn_risk.
        #[arg(long, default_value = "clv")]
        sort: String,
        /// At most this many rows (all by default).
        #[arg(long)]
        limit: Option<usize>,
    },
    /// RFM scores and segments at a cut-off date.
    Rfm {
        #[command(flatten)]
        common: AnalyticsCommon,
        /// Cut-off day (YYYY-MM-DD); the day of the last order by default.
        #[arg(long, value_parser = parse_day)]
        as_of: Option<time::Date>,
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Retention by month of first purchase.
    Cohorts {
        #[command(flatten)]
        common: AnalyticsCommon,
        #[arg(long, value_parser = parse_day)]
        through: Option<time::Date>,
    },
    /// Churn-risk scores and their AUC on a time-based holdout.
    Churn {
        #[command(flatten)]
        common: AnalyticsCommon,
        #[arg(long, value_parser = parse_day)]
        calibration_end: Option<time::Date>,
        #[arg(long, value_parser = parse_day)]
        holdout_end: Option<time::Date>,
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Fit BG/BB on a (frequency, recency, periods, weights) CSV such as testdata/donations.csv.
    Bgbb {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
    },
}

fn parse_day(raw: &str) -> Result<time::Date, String> {
    time::Date::parse(
        raw,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| format!("{raw:?} is not a date such as 1997-09-30"))
}

/// `rapport import FILE --object …` for records, `rapport import transactions FILE` for
/// purchase history. The record form's required arguments give way to the subcommand.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ImportCmd {
    #[command(subcommand)]
    pub what: Option<ImportCommand>,
    #[command(flatten)]
    pub records: ImportArgs,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file (UTF-8, header row first), or - for standard input.
    #[arg(required = true)]
    pub file: Option<PathBuf>,
    /// companies, contacts, leads or opportunities.
    #[arg(long, required = true)]
    pub object: Option<String>,
    #[command(flatten)]
    pub ws: WorkspaceArg,
    /// Act as this user (their role and field rules apply); the first admin by default.
    #[arg(long = "as")]
    pub as_user: Option<String>,
    /// The owner of every created record, by e-mail (default: the acting user).
    #[arg(long)]
    pub owner: Option<String>,
    /// Validate every row and report what would happen; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Update records matched by id, external_id, e-mail or domain instead of refusing them.
    #[arg(long)]
    pub upsert: bool,
    /// Import the good rows and report the bad ones instead of importing nothing.
    #[arg(long)]
    pub skip_bad_rows: bool,
    /// HEADER=FIELD maps a column (custom.key for custom fields); HEADER= leaves it out.
    #[arg(long = "map")]
    pub map: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Vcard,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// companies, contacts, leads or opportunities (vCard: contacts).
    #[arg(long)]
    pub object: String,
    #[command(flatten)]
    pub ws: WorkspaceArg,
    /// Act as this user (what they may see is what is exported); the first admin by default.
    #[arg(long = "as")]
    pub as_user: Option<String>,
    /// The list API's query string, e.g. 'filter[address.city][eq]=Kraków&sort=last_name'.
    #[arg(long)]
    pub filter: Vec<String>,
    /// The file to write (standard output by default).
    #[arg(long)]
    pub to: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
}

/// What the demo workspace holds. The same seed and date always give the same data.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Seed of the demo data generator.
    #[arg(long = "seed", env = "RAPPORT_DEMO_SEED", default_value_t = rapport_core::demo::DEFAULT_SEED)]
    pub seed: u64,
    /// The day the demo treats as today (YYYY-MM-DD): tasks fall due on it, nothing is
    /// created after it. Today when left out.
    #[arg(long = "date", env = "RAPPORT_DEMO_DATE", value_parser = parse_date)]
    pub date: Option<rapport_core::value::Date>,
    /// Contacts to generate, with companies, leads, deals and activities in proportion
    /// (the standard demo has 1,000; bench datasets use 100,000 or 1,000,000).
    #[arg(
        long = "contacts",
        env = "RAPPORT_DEMO_CONTACTS",
        default_value_t = 1_000
    )]
    pub contacts: u64,
}

fn parse_date(raw: &str) -> Result<rapport_core::value::Date, String> {
    rapport_core::value::Date::parse("date", raw).map_err(|e| e.message)
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[arg(long, env = "RAPPORT_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Serve Prometheus metrics on this separate address (open to whoever reaches it).
    /// Without it, /metrics on the main address answers admin tokens only.
    #[arg(long, env = "RAPPORT_METRICS_BIND")]
    pub metrics_bind: Option<SocketAddr>,
    /// Create the demo workspace on an empty database, or reuse it.
    #[arg(long)]
    pub demo: bool,
    /// The demo's data (with --demo).
    #[command(flatten)]
    pub demo_args: DemoArgs,
    /// Browser origins allowed to call the API (repeat or separate with commas).
    #[arg(long, env = "RAPPORT_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origin: Vec<String>,
    #[arg(long, env = "RAPPORT_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Served over TLS (directly or by a proxy): Secure, __Host- cookies and HSTS.
    #[arg(long, env = "RAPPORT_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Trust X-Forwarded-For for the client address (only behind your own proxy).
    #[arg(long, env = "RAPPORT_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// Refuse to start when migrations are pending instead of applying them.
    #[arg(long, env = "RAPPORT_NO_AUTO_MIGRATE")]
    pub no_auto_migrate: bool,
    /// Sign out sessions unused for this many minutes.
    #[arg(long, env = "RAPPORT_SESSION_IDLE_MINUTES", default_value_t = 120)]
    pub session_idle_minutes: u64,
    /// Sign out every session this many hours after sign-in.
    #[arg(long, env = "RAPPORT_SESSION_MAX_HOURS", default_value_t = 12)]
    pub session_max_hours: u64,
}

#[derive(Debug, Args)]
pub struct WorkspaceArg {
    /// The workspace slug; may be left out when there is only one.
    #[arg(long, short = 'w', env = "RAPPORT_WORKSPACE")]
    pub workspace: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum WorkspaceCommand {
    /// Create a workspace and its first admin (password read from stdin).
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        admin_email: String,
        #[arg(long)]
        admin_name: Option<String>,
        /// Derived from the name when left out.
        #[arg(long)]
        slug: Option<String>,
    },
    List,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user (password read from stdin, or generated with --generate-password).
    Add {
        #[command(flatten)]
        ws: WorkspaceArg,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, default_value = "rep")]
        role: String,
        /// Generate a strong password and print it once, instead of reading one.
        #[arg(long)]
        generate_password: bool,
    },
    List {
        #[command(flatten)]
        ws: WorkspaceArg,
    },
    /// Let a disabled user sign in again.
    Enable {
        #[command(flatten)]
        ws: WorkspaceArg,
        #[arg(long)]
        email: String,
    },
    /// Stop a user from signing in; ends their sessions and revokes their tokens.
    Disable {
        #[command(flatten)]
        ws: WorkspaceArg,
        #[arg(long)]
        email: String,
    },
    /// Set a user's password (read from stdin); ends their sessions and tokens.
    SetPassword {
        #[command(flatten)]
        ws: WorkspaceArg,
        #[arg(long)]
        email: String,
    },
    SetRole {
        #[command(flatten)]
        ws: WorkspaceArg,
        #[arg(long)]
        email: String,
        /// admin, manager, rep or read_only
        #[arg(long)]
        role: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make an API token for a user and print it (once).
    Create {
        #[command(flatten)]
        ws: WorkspaceArg,
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "cli")]
        name: String,
        /// read or read_write
        #[arg(long, default_value = "read_write")]
        scope: String,
        /// The token stops working after this many days; never when left out.
        #[arg(long)]
        expires_in_days: Option<u32>,
    },
    /// List a user's tokens (metadata only).
    List {
        #[command(flatten)]
        ws: WorkspaceArg,
        #[arg(long)]
        email: String,
    },
    Revoke {
        #[command(flatten)]
        ws: WorkspaceArg,
        /// The token's id (from `token list`).
        #[arg(long)]
        id: String,
    },
}

/// Where the default SQLite file lives; used in messages.
pub fn describe_database(url: &str) -> String {
    match sqlite_path(url) {
        Some(path) => format!("SQLite file {}", path.display()),
        None => "PostgreSQL".to_owned(),
    }
}

/// The file a SQLite URL names; `None` for other databases.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let url = url.trim();
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .map(|path| PathBuf::from(path.split('?').next().unwrap_or(path)))
}
