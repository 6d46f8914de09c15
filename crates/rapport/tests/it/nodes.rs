//! Several `rapport serve` processes on one PostgreSQL database, and a database that goes
//! away and comes back (issue 6: many nodes, outages).
//!
//! Every test here needs PostgreSQL (`RAPPORT_TEST_PG_URL`); without it they skip loudly,
//! and under `RAPPORT_REQUIRE_ALL=1` a skip fails.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rapport_store::testing::{TestDb, skip};
use serde_json::{Value, json};

use crate::support::{Cli, Server, exchange, start, try_exchange};

const PASSWORD: &str = "a calm river at dawn";

/// A fresh PostgreSQL database with the runtime its pool belongs to.
struct Pg {
    db: TestDb,
    rt: tokio::runtime::Runtime,
}

fn postgres(test: &str) -> Option<Pg> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    match rt.block_on(TestDb::postgres()).unwrap() {
        Some(db) => Some(Pg { db, rt }),
        None => {
            skip(test, "RAPPORT_TEST_PG_URL is not set");
            None
        }
    }
}

/// A workspace with its admin and an API token for the admin.
fn workspace(cli: &Cli) -> String {
    cli.workspace("Acme", "admin@acme.example");
    cli.ok(&["token", "create", "--email", "admin@acme.example"], "")
        .trim()
        .to_owned()
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

fn create_contact(addr: SocketAddr, token: &str, last_name: &str) -> std::io::Result<Value> {
    let auth = bearer(token);
    let a = try_exchange(
        addr,
        "POST",
        "/api/v1/contacts",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        &json!({"last_name": last_name}).to_string(),
    )?;
    if a.status != 201 {
        return Err(std::io::Error::other(format!(
            "create answered {}: {}",
            a.status, a.body
        )));
    }
    Ok(a.json())
}

#[test]
fn a_session_made_on_one_node_works_on_the_other_and_ends_on_both() {
    let Some(pg) = postgres("sessions across two nodes") else {
        return;
    };
    let cli = Cli::with_url(&pg.db.url);
    workspace(&cli);
    let (a, _) = start(&cli, &[]);
    let (b, _) = start(&cli, &[]);
    let login = exchange(
        a.addr,
        "POST",
        "/auth/login",
        &[("Content-Type", "application/json")],
        &json!({"email": "admin@acme.example", "password": PASSWORD}).to_string(),
    );
    assert_eq!(login.status, 200, "{}", login.body);
    let cookie = login
        .header("set-cookie")
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    let csrf = login.json()["csrf_token"].as_str().unwrap().to_owned();

    let on_b = exchange(b.addr, "GET", "/auth/session", &[("Cookie", &cookie)], "");
    assert_eq!(on_b.status, 200, "{}", on_b.body);
    assert_eq!(on_b.json()["user"]["email"], "admin@acme.example");

    let out = exchange(
        b.addr,
        "POST",
        "/auth/logout",
        &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
        "",
    );
    assert!(out.status == 204 || out.status == 200, "{}", out.body);
    for node in [&a, &b] {
        let after = exchange(
            node.addr,
            "GET",
            "/auth/session",
            &[("Cookie", &cookie)],
            "",
        );
        assert_eq!(after.status, 401, "signed out everywhere: {}", after.body);
    }
}

#[test]
fn concurrent_patches_through_two_nodes_never_lose_an_update() {
    let Some(pg) = postgres("concurrent updates across two nodes") else {
        return;
    };
    let cli = Cli::with_url(&pg.db.url);
    let token = workspace(&cli);
    let (a, _) = start(&cli, &[]);
    let (b, _) = start(&cli, &[]);
    let created = create_contact(a.addr, &token, "Nowak").unwrap();
    let path = format!("/api/v1/contacts/{}", created["id"].as_str().unwrap());

    const WRITERS: usize = 4;
    const EACH: usize = 6;
    let conflicts = Arc::new(Mutex::new(0usize));
    std::thread::scope(|s| {
        for w in 0..WRITERS {
            let addr = if w % 2 == 0 { a.addr } else { b.addr };
            let (token, path, conflicts) = (&token, &path, conflicts.clone());
            s.spawn(move || {
                let auth = bearer(token);
                for i in 0..EACH {
                    // Read, append a marker, write back on the version read; a 412 means
                    // another writer got there first, so read again.
                    loop {
                        let got = exchange(addr, "GET", path, &[("Authorization", &auth)], "");
                        assert_eq!(got.status, 200, "{}", got.body);
                        let etag = got.header("etag").unwrap().to_owned();
                        let before = got.json()["description"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned();
                        let body = json!({"description": format!("{before}[w{w}-{i}]")});
                        let put = exchange(
                            addr,
                            "PATCH",
                            path,
                            &[
                                ("Authorization", &auth),
                                ("Content-Type", "application/json"),
                                ("If-Match", &etag),
                            ],
                            &body.to_string(),
                        );
                        match put.status {
                            200 => break,
                            412 => *conflicts.lock().unwrap() += 1,
                            other => panic!("PATCH answered {other}: {}", put.body),
                        }
                    }
                }
            });
        }
    });
    let auth = bearer(&token);
    let last = exchange(b.addr, "GET", &path, &[("Authorization", &auth)], "").json();
    let text = last["description"].as_str().unwrap();
    for w in 0..WRITERS {
        for i in 0..EACH {
            assert!(
                text.contains(&format!("[w{w}-{i}]")),
                "lost w{w}-{i}: {text}"
            );
        }
    }
    assert_eq!(last["version"], json!(1 + WRITERS * EACH), "{last}");
    eprintln!(
        "{} updates through two nodes, {} conflicts retried",
        WRITERS * EACH,
        conflicts.lock().unwrap()
    );
}

#[test]
fn the_login_limiter_counts_attempts_on_both_nodes_together() {
    let Some(pg) = postgres("login limiter across two nodes") else {
        return;
    };
    let cli = Cli::with_url(&pg.db.url);
    workspace(&cli);
    let (a, _) = start(&cli, &[]);
    let (b, _) = start(&cli, &[]);
    let started = Instant::now();
    // Twenty wrong passwords at once, ten through each node. Limiters kept per node would
    // let all twenty through to the password check; the shared one lets the burst of ten.
    let answers: Vec<(SocketAddr, u16)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..20)
            .map(|i| {
                let addr = if i % 2 == 0 { a.addr } else { b.addr };
                s.spawn(move || {
                    let r = exchange(
                        addr,
                        "POST",
                        "/auth/login",
                        &[("Content-Type", "application/json")],
                        &json!({"email": "admin@acme.example", "password": "wrong guess"})
                            .to_string(),
                    );
                    assert!(
                        r.status == 401 || r.status == 429,
                        "answered {}: {}",
                        r.status,
                        r.body
                    );
                    (addr, r.status)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let elapsed = started.elapsed();
    let checked = answers.iter().filter(|(_, s)| *s == 401).count();
    // GCRA lets one more attempt through every six seconds after the burst.
    let allowed = 10 + (elapsed.as_secs() / 6) as usize;
    assert!(
        checked <= allowed,
        "{checked} attempts reached the password check in {elapsed:?}; the limit is {allowed}"
    );
    for node in [a.addr, b.addr] {
        assert!(
            answers.iter().any(|(n, s)| *n == node && *s == 429),
            "node {node} never refused: {answers:?}"
        );
    }
}

#[test]
fn queued_jobs_run_exactly_once_with_two_nodes_polling() {
    let Some(pg) = postgres("jobs across two nodes") else {
        return;
    };
    let cli = Cli::with_url(&pg.db.url);
    let token = workspace(&cli);
    let (a, _) = start(&cli, &[]);
    let (b, _) = start(&cli, &[]);
    let auth = bearer(&token);
    const ROWS: usize = 300;
    let mut jobs = Vec::new();
    // Two at a time: the per-workspace cap. Each round's pair goes through different nodes
    // and both nodes' workers race for them.
    for round in 0..4 {
        let mut pair = Vec::new();
        for (k, node) in [&a, &b].into_iter().enumerate() {
            let mut csv = String::from("Last name,E-mail\n");
            for r in 0..ROWS {
                csv.push_str(&format!("Person {r},p{round}-{k}-{r}@acme.example\n"));
            }
            let q = exchange(
                node.addr,
                "POST",
                "/api/v1/imports?object=contacts",
                &[("Authorization", &auth), ("Content-Type", "text/csv")],
                &csv,
            );
            assert_eq!(q.status, 202, "{}", q.body);
            pair.push(q.header("location").unwrap().to_owned());
        }
        for url in &pair {
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                let j = exchange(a.addr, "GET", url, &[("Authorization", &auth)], "").json();
                if j["status"] == "succeeded" {
                    assert_eq!(j["result"]["created"], json!(ROWS), "{j}");
                    break;
                }
                assert!(
                    j["status"] == "queued" || j["status"] == "running",
                    "job {url}: {j}\n{}\n{}",
                    a.log(),
                    b.log()
                );
                assert!(Instant::now() < deadline, "job {url} never finished: {j}");
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        jobs.extend(pair);
    }
    let count = exchange(
        b.addr,
        "GET",
        "/api/v1/contacts?count=true&limit=1",
        &[("Authorization", &auth)],
        "",
    )
    .json();
    assert_eq!(count["total"], json!(4 * 2 * ROWS), "{count}");
    // Each job was claimed once: a second claim would show as a second attempt.
    let ws = pg.rt.block_on(async {
        let mut c = pg.db.db.read().await.unwrap();
        let ws = rapport_store::workspaces::by_slug(&mut c, "acme").await;
        ws.unwrap().expect("the workspace").id
    });
    for url in &jobs {
        let id: uuid::Uuid = url.rsplit('/').next().unwrap().parse().unwrap();
        let job = pg.rt.block_on(async {
            let mut c = pg.db.db.read().await.unwrap();
            rapport_store::jobs::get(&mut c, ws, id)
                .await
                .unwrap()
                .unwrap()
        });
        assert_eq!(job.attempts, 1, "job {id} ran {} times", job.attempts);
    }
}

#[test]
fn a_node_killed_mid_load_loses_no_acknowledged_write_and_the_other_keeps_serving() {
    let Some(pg) = postgres("a node killed under load") else {
        return;
    };
    let cli = Cli::with_url(&pg.db.url);
    let token = workspace(&cli);
    let (mut a, _) = start(&cli, &[]);
    let (b, _) = start(&cli, &[]);
    let killed = AtomicBool::new(false);
    let acknowledged: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let refused_by_a = Mutex::new(0usize);
    std::thread::scope(|s| {
        for w in 0..4 {
            let addr = if w % 2 == 0 { a.addr } else { b.addr };
            let on_a = w % 2 == 0;
            let (token, killed, acknowledged, refused_by_a) =
                (&token, &killed, &acknowledged, &refused_by_a);
            s.spawn(move || {
                let stop_at = Instant::now() + Duration::from_secs(4);
                let mut n = 0;
                while Instant::now() < stop_at {
                    n += 1;
                    match create_contact(addr, token, &format!("Load {w}-{n}")) {
                        Ok(v) => acknowledged
                            .lock()
                            .unwrap()
                            .push(v["id"].as_str().unwrap().to_owned()),
                        Err(e) if on_a && killed.load(Ordering::SeqCst) => {
                            *refused_by_a.lock().unwrap() += 1;
                            let _ = e;
                            std::thread::sleep(Duration::from_millis(20));
                        }
                        Err(e) => panic!(
                            "writer {w} failed (node A killed: {}): {e}",
                            killed.load(Ordering::SeqCst)
                        ),
                    }
                }
            });
        }
        std::thread::sleep(Duration::from_millis(1500));
        killed.store(true, Ordering::SeqCst);
        a.child.kill().unwrap(); // SIGKILL: no shutdown, no flush
        a.child.wait().unwrap();
    });
    let acknowledged = acknowledged.into_inner().unwrap();
    assert!(
        *refused_by_a.lock().unwrap() > 0,
        "the load never saw A down"
    );
    let auth = bearer(&token);
    for id in &acknowledged {
        let got = exchange(
            b.addr,
            "GET",
            &format!("/api/v1/contacts/{id}"),
            &[("Authorization", &auth)],
            "",
        );
        assert_eq!(
            got.status, 200,
            "acknowledged contact {id} is gone: {}",
            got.body
        );
    }
    let unique: BTreeSet<&String> = acknowledged.iter().collect();
    assert_eq!(unique.len(), acknowledged.len());
    eprintln!(
        "{} acknowledged creates survived a SIGKILL of one of two nodes",
        acknowledged.len()
    );
}

/// A TCP proxy to PostgreSQL that the test can cut and restore: an outage without touching
/// the shared server.
struct Proxy {
    addr: SocketAddr,
    cut: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Proxy {
    fn start(target: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let cut = Arc::new(AtomicBool::new(false));
        let open: Arc<Mutex<Vec<TcpStream>>> = Arc::new(Mutex::new(Vec::new()));
        let (c, o) = (cut.clone(), open.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if c.load(Ordering::SeqCst) {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(target) else {
                    continue;
                };
                {
                    let mut open = o.lock().unwrap();
                    open.push(client.try_clone().unwrap());
                    open.push(server.try_clone().unwrap());
                }
                pipe(client.try_clone().unwrap(), server.try_clone().unwrap());
                pipe(server, client);
            }
        });
        Proxy { addr, cut, open }
    }

    /// Every open connection is reset and new ones are closed at once.
    fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        for s in self.open.lock().unwrap().drain(..) {
            let _ = s.shutdown(Shutdown::Both);
        }
    }

    fn restore(&self) {
        self.cut.store(false, Ordering::SeqCst);
    }
}

fn pipe(mut from: TcpStream, mut to: TcpStream) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 16 * 1024];
        loop {
            match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if to.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = to.shutdown(Shutdown::Both);
    });
}

/// `postgres://user@host:port/db?…` with `host:port` swapped for `addr`.
fn through(url: &str, addr: SocketAddr) -> (String, SocketAddr) {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (authority, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (user, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (format!("{u}@"), h),
        None => (String::new(), authority),
    };
    let hostport = if hostport.contains(':') {
        hostport.to_owned()
    } else {
        format!("{hostport}:5432")
    };
    let target: SocketAddr = hostport
        .replace("localhost", "127.0.0.1")
        .parse()
        .expect("the test database URL names an IP address and port");
    (format!("{scheme}://{user}{addr}{tail}"), target)
}

#[test]
fn a_database_outage_fails_requests_fast_and_readiness_recovers_by_itself() {
    let Some(pg) = postgres("database outage") else {
        return;
    };
    let direct = Cli::with_url(&pg.db.url);
    let token = workspace(&direct);
    let (_, target) = through(&pg.db.url, "127.0.0.1:1".parse().unwrap());
    let proxy = Proxy::start(target);
    let (url, _) = through(&pg.db.url, proxy.addr);
    let cli = Cli::with_url(&url);
    let (server, _) = start(&cli, &["--db-acquire-timeout", "1"]);
    let auth = bearer(&token);
    let list = |s: &Server| {
        exchange(
            s.addr,
            "GET",
            "/api/v1/contacts",
            &[("Authorization", &auth)],
            "",
        )
    };
    assert_eq!(exchange(server.addr, "GET", "/readyz", &[], "").status, 200);
    assert_eq!(list(&server).status, 200);

    proxy.cut();
    let started = Instant::now();
    let ready = exchange(server.addr, "GET", "/readyz", &[], "");
    let readyz_took = started.elapsed();
    assert_eq!(ready.status, 503, "{}", ready.body);
    let started = Instant::now();
    let refused = list(&server);
    let request_took = started.elapsed();
    assert_eq!(refused.status, 503, "{}\n{}", refused.body, server.log());
    assert_eq!(refused.json()["status"], 503);
    // Creates fail the same way and store nothing half-done.
    assert!(create_contact(server.addr, &token, "During the outage").is_err());
    assert_eq!(
        exchange(server.addr, "GET", "/healthz", &[], "").status,
        200
    );
    eprintln!("during the outage: /readyz answered in {readyz_took:?}, a list in {request_took:?}");

    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(30);
    while exchange(server.addr, "GET", "/readyz", &[], "").status != 200 {
        assert!(
            Instant::now() < deadline,
            "never ready again:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(list(&server).status, 200);
    create_contact(server.addr, &token, "After the outage").unwrap();
    let mut server = server;
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server process died during the outage"
    );
}
